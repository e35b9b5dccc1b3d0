#!/bin/bash
# Render the diff HTML in headless Chromium and check the screenshot is a real page.
#
# Render the diff HTML in headless Chromium and check the screenshot is a
# real page: the right size and many distinct colours (text antialiasing,
# the bar colours), not a blank or single-colour canvas.
. "$(dirname "$0")/lib.sh"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "skip: no $CHROMIUM"; exit 77; }
cd "$DATA" || exit 1
"$HT" diff --format html -o "$tmp/d.html" --label dict=dict.json --label slots=slots.json \
	--label allslots=allslots.json --claim Response=40 --claim slots:40 >/dev/null
[ -s "$tmp/d.html" ] || { echo "no HTML written"; exit 1; }
profile=$(mktemp -d)
trap 'rm -rf "$tmp" "$profile"' EXIT
timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
	--disable-component-update --no-first-run --disable-sync --user-data-dir="$profile" \
	--screenshot="$tmp/d.png" --window-size=1200,900 "file://$tmp/d.html" >"$tmp/chromium.log" 2>&1
[ -s "$tmp/d.png" ] || { echo "no screenshot"; tail -5 "$tmp/chromium.log"; exit 1; }
# The three report colours of the bars (#4c78a8, #f58518, #54a24b) must be
# on screen exactly: the charts rendered, not just the text.
read -r w h n missing < <(python3 "$here/png_colours.py" "$tmp/d.png" 4c78a8 f58518 54a24b) || exit 1
echo "screenshot ${w}x${h}, $n distinct colours, missing bar colours: $missing"
[ "$w" = 1200 ] && [ "$h" = 900 ] || fail "screenshot is ${w}x${h}, not 1200x900"
# A blank page has 1 colour; this one has bar colours, tints and text.
[ "$n" -ge 50 ] || fail "only $n distinct colours: the page looks blank"
[ "$missing" = - ] || fail "bar colours not on screen: $missing"
finish
