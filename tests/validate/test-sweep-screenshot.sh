#!/bin/bash
# A reduced `make validate`, its sweep chart checked in headless Chromium.
#
# A reduced `make validate` (no massif, two body sizes, few requests), then
# footprint.html in headless Chromium: the sweep's line chart must be on
# screen (each series' colour and the claim's band drawn exactly), and the
# page must carry the sweep's tables and the sentence that says where the
# with-payload saving leaves the band.
. "$(dirname "$0")/../lib/cli-test.sh"
need_tracker_and_python
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "skip: no $CHROMIUM"; exit 77; }
for m in dict slots allslots; do
	[ -x "$BUILD/validate/$m/hc-scene" ] || { echo "skip: $BUILD/validate/$m/hc-scene not built"; exit 77; }
done
out=$tmp/out-dir
run env BUILD="$BUILD" VALIDATE_OUT="$out" VALIDATE_ADR= VALIDATE_REQUESTS=300 VALIDATE_REPS=1 \
	VALIDATE_MASSIF_REQUESTS=0 VALIDATE_SWEEP="0 1024" VALIDATE_SWEEP_REQUESTS=200 \
	"$top/validate/run-validate.sh"
expect_rc 0 "reduced validation"
[ -s "$out/footprint.html" ] || { fail "no footprint.html: $(tail -5 "$tmp/err")"; finish; }
grep -q '<svg class="sweep"' "$out/footprint.html" || fail "no sweep chart in footprint.html"
# 0 B and 1 KiB with the minimal head bracket the lower edge of the band.
grep -q 'falls below 35% at about [0-9]* B of body' "$out/footprint.html" || fail "no band crossing stated"
grep -q '^Body-size sweep' "$out/footprint.txt" || fail "no sweep table in footprint.txt"
grep -q '^## Body-size sweep' "$out/footprint.md" || fail "no sweep table in footprint.md"
profile=$(mktemp -d)
trap 'rm -rf "$tmp" "$profile"' EXIT
timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile" \
	--screenshot="$tmp/s.png" --window-size=1200,1400 "file://$out/footprint.html" >"$tmp/chromium.log" 2>&1
[ -s "$tmp/s.png" ] || { fail "no screenshot: $(tail -3 "$tmp/chromium.log")"; finish; }
# The six series colours of validate/sweep_chart.py and the band's fill.
read -r w h n missing < <("$PY" "$top/tests/tools/png_colours.py" "$tmp/s.png" \
	1b6ca8 d95f02 c2185b 2e7d32 7b1fa2 8d6e63 fff3bf) || fail "png_colours.py failed"
echo "screenshot ${w}x${h}, $n distinct colours, missing chart colours: $missing"
[ "$missing" = - ] || fail "sweep chart colours not on screen: $missing"
[ "${n:-0}" -ge 50 ] || fail "only $n distinct colours: the page looks blank"
finish
