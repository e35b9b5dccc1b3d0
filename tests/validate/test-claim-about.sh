#!/bin/bash
# `heaptag diff --claim TYPE=~PCT` on real keep-scene reports of the client.
#
# `heaptag diff --claim TYPE=~PCT` on real keep-scene reports of the client
# (dict and slots, 10,000 kept Responses of /bytes/128, as the validation): the Response shell
# saves 79%, twice "about 40%", so the about form exits 1 and says
# "exceeds" where the one-sided form holds; with payload the saving is
# inside the band and holds; a tighter band makes it exceed; the verdict is
# the same in every output format; bad about-claims exit 2.
. "$(dirname "$0")/../lib/cli-test.sh"
need_tracker_and_python
for m in dict slots; do
	[ -x "$BUILD/validate/$m/hc-scene" ] || { echo "skip: $BUILD/validate/$m/hc-scene not built"; exit 77; }
done
state=$tmp/serve
HC_SERVE=$BUILD/bin/hc-serve HCSERVE_MAX_SECONDS=120 "$top/tests/fixtures/start-hc-serve.sh" "$state" >/dev/null ||
	{ echo "skip: hc-serve did not start"; exit 77; }
trap '"$top/tests/fixtures/start-hc-serve.sh" --stop "$state" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
. "$state/env"
for m in dict slots; do
	run "$HT" run --quiet -o "$tmp/$m.json" -- "$BUILD/validate/$m/hc-scene" \
		"http://127.0.0.1:$HCSERVE_PORT/bytes/128" -n 10000 --keep
	expect_rc 0 "hc-scene $m"
done
d() { run "$HT" diff --label dict="$tmp/dict.json" --label slots="$tmp/slots.json" "$@"; }

d --claim 'Response=~40'
expect_rc 1 "Response=~40 on a 78.9% saving"
grep -qE '^  Response per instance, dict -> slots: claimed about 40\.0% saving \(band 35\.0\.\.45\.0%\), measured 78\.9% \(304(\.[0-9]+)? -> 64 B\): exceeds \(by 38\.9 pp, 1\.97x the claim\)$' "$tmp/out" ||
	fail "no 'exceeds' verdict: $(grep Response "$tmp/out" | tail -1)"
d --claim 'Response=40'
expect_rc 0 "the one-sided form holds at 78.9%"
d --claim 'Response+payload=~40'
expect_rc 0 "Response+payload=~40 inside the band"
grep -qE 'Response with payload per instance, dict -> slots: claimed about 40\.0% saving .*: holds \(margin \+[0-9.]+ pp, 1\.0[0-9]x the claim\)$' "$tmp/out" ||
	fail "with payload does not hold: $(tail -1 "$tmp/out")"
# The band is settable: 1 point each side leaves the saving above it.
d --claim-tolerance 1 --claim 'Response+payload=~40'
expect_rc 1 "a 39..41% band"
grep -q ': exceeds (by ' "$tmp/out" || fail "tolerance 1: $(tail -1 "$tmp/out")"
d --claim 'Response=~90'
expect_rc 1 "Response=~90"
grep -q 'measured 78.9% .*: falls short (by 11.1 pp, 0.88x the claim)$' "$tmp/out" || fail "falls short: $(tail -1 "$tmp/out")"
d --claim 'Response=~40' --claim 'Response+payload=~40' --format json
expect_rc 1 "json"
expect_eq "json verdicts" "$(jq -c '[.claims[] | [.form, .verdict, .band_percent, .holds]]' "$tmp/out")" \
	'[["about","exceeds",[35,45],false],["about","holds",[35,45],true]]'
expect_eq "json factor" "$(jq '.claims[0].factor * 100 | round' "$tmp/out")" 197
d --claim 'Response=~40' --format markdown
grep -q 'measured 78.9% .*: exceeds (by 38.9 pp' "$tmp/out" || fail "markdown: no exceeds"
d --claim 'Response=~40' --format html -o "$tmp/c.html"
expect_rc 1 "html"
grep -q '<span class="verdict">exceeds</span>Response per instance' "$tmp/c.html" || fail "html: no exceeds verdict"
# The verdict line on stdout with -o, as for the one-sided form.
grep -q ': exceeds (by 38.9 pp, 1.97x the claim)$' "$tmp/out" || fail "-o: no verdict on stdout"
for bad in 'Response=~' 'Response=~x' 'Response=~~40' '~' 'Response=~101'; do
	d --claim "$bad"
	expect_rc 2 "bad claim '$bad'"
	[ "$(wc -l <"$tmp/err")" = 1 ] || fail "'$bad': expected one line on stderr: $(cat "$tmp/err")"
done
finish
