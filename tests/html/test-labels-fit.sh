#!/bin/bash
# Every label of every chart stays inside its picture, as Chromium measures it.
#
# Every label of every chart stays inside its picture: the diff page (and
# so the validation report, which is one) and the run page, measured by
# Chromium itself.  A copy of each page gets a small script that compares
# each SVG text's box with its SVG's width and writes the overflowing ones
# into the DOM.
. "$(dirname "$0")/lib.sh"
DATA=$here/../tools/data

measure='<script>
(function () {
	var bad = [], n = 0;
	Array.prototype.forEach.call(document.querySelectorAll("svg"), function (svg) {
		var w = svg.viewBox.baseVal.width;
		Array.prototype.forEach.call(svg.querySelectorAll("text"), function (t) {
			var b = t.getBBox();
			n++;
			if (b.x < -0.5 || b.x + b.width > w + 0.5) bad.push(t.textContent + " [" + Math.round(b.x) + ".." + Math.round(b.x + b.width) + " of " + w + "]");
		});
	});
	document.body.setAttribute("data-labels", n);
	document.body.setAttribute("data-overflow", bad.join(" | "));
})();
</script>'

check() { # PAGE WHAT
	MEASURE=$measure $PY -c 'import os, sys
page = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(page.replace("</body>", os.environ["MEASURE"] + "</body>"))' "$1" "$1.m.html"
	chromium_dom "$1.m.html" "" "$1.dom"
	local n bad
	n=$(grep -o 'data-labels="[0-9]*"' "$1.dom" | grep -o '[0-9]*')
	bad=$(grep -o 'data-overflow="[^"]*"' "$1.dom" | sed 's/^data-overflow="//; s/"$//')
	echo "$2: $n labels measured"
	[ "${n:-0}" -ge 10 ] || fail "$2: only ${n:-0} labels measured"
	[ -z "$bad" ] || fail "$2: labels outside their chart: $bad"
}

cd "$DATA" || exit 1
"$HT" diff --format html -o "$tmp/diff.html" --label dict=dict.json --label slots=slots.json \
	--label allslots=allslots.json --claim Response=40 >/dev/null
check "$tmp/diff.html" "diff page"
# Long type names and long labels: payloads twice the object, big changes.
$PY - "$DATA/dict.json" "$tmp/long.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for t in d["types"]:
    if t["name"] == "Response":
        t["name"] = "ResponseWithAVeryLongTypeNameIndeed::Inner::Detail"
    elif t["name"] == "Response.payload":
        t["name"] = "ResponseWithAVeryLongTypeNameIndeed::Inner::Detail.payload"
json.dump(d, open(sys.argv[2], "w"))
PY
"$HT" diff --format html -o "$tmp/long.html" --label "a long baseline label=$tmp/long.json" \
	--label "b=slots.json" >/dev/null
check "$tmp/long.html" "diff page, long names"
# As in the validation, where Connection is 448 B (+payload 16871 B): the
# longest bar's label used to run off the right edge.
$PY - "$DATA/dict.json" "$tmp/adr.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["totals"]["peak_live_bytes"], d["totals"]["peak_live_usable_bytes"] = 200000000, 210000000
for t in d["types"]:
    if t["name"] == "Response":
        t["peak_live_bytes"], t["peak_live_usable_bytes"] = 3040000, 3200000
    elif t["name"] == "Response.payload":
        t["peak_live_bytes"], t["peak_live_usable_bytes"] = 168710000, 170000000
json.dump(d, open(sys.argv[2], "w"))
PY
"$HT" diff --format html -o "$tmp/adr.html" --label dict="$tmp/adr.json" --label slots=slots.json \
	--label allslots=allslots.json >/dev/null
check "$tmp/adr.html" "diff page, the validation's figures"
"$HT" run -q --stacks -o "$tmp/r.json" -- "$PROGS/stacks-prog-tagged" || fail "run --stacks"
"$HT" report "$tmp/r.json" --format html -o "$tmp/run.html" || fail "report --format html"
check "$tmp/run.html" "run page"
finish
