#!/bin/bash
# The run page of a real stacks run, rendered by headless Chromium.
#
# The run page of a real stacks run (stacks-prog-tagged: known types and
# bytes), rendered by headless Chromium: the timeline has one point per
# sample of the report, the flame graph's root is the selected weight's
# total for all types and for one type, selecting a type through the
# address bar changes the flame graph, leaks and histograms, and the
# script logs no error.  Then the same without stacks, and `run --html`.
. "$(dirname "$0")/lib.sh"

r=$tmp/r.json
run "$HT" run -q --stacks --timeline bytes --html "$tmp/run.html" -o "$r" -- "$PROGS/stacks-prog-tagged" one two
expect_rc 0 "heaptag run --stacks --html"
[ -s "$tmp/run.html" ] || fail "run --html wrote no page"
grep -q 'stacks-prog-tagged one two</code>' "$tmp/run.html" || fail "run --html: the command line is not in the header"
run "$HT" report "$r" --format html -o "$tmp/p.html"
expect_rc 0 "report --format html"
[ -s "$tmp/p.html" ] && [ ! -s "$tmp/out" ] || fail "report --format html -o: file empty or stdout used"
# Self-contained: nothing is fetched from anywhere.
if grep -qiE '(src|href)=["'"'"']?(https?:)?//|@import|url\(' "$tmp/p.html"; then
	fail "the page refers to something outside itself"
fi

samples=$($PY -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["timeline"]["samples"]))' "$r")
peak_sum=$($PY -c 'import json,sys; print(sum(s["live_at_peak"] for s in json.load(open(sys.argv[1]))["sites"]))' "$r")
fig() { $PY -c 'import json,sys
d=json.load(open(sys.argv[1]))
t=[x for x in d["types"] if x["name"]==sys.argv[2]] if sys.argv[2]!="-" else [d["totals"]]
print(t[0][sys.argv[3]])' "$r" "$1" "$2"; }
leak_sites=$($PY -c 'import json,sys; print(sum(s["live_blocks"]>0 for s in json.load(open(sys.argv[1]))["sites"]))' "$r")
# This program's figures are known (tests/stacks/stacks_prog.c).
expect_eq "sites' bytes at the peak" "$peak_sum" 80800
expect_eq "Headers live at exit" "$(fig Headers live_bytes)" 20000
[ "$samples" -ge 10 ] || fail "only $samples timeline samples"

check_page() { # NAME FRAGMENT ROOT_BYTES TITLE_TYPE
	local dom=$tmp/$1.dom
	chromium_dom "$tmp/p.html" "$2" "$dom"
	no_script_errors "$dom.log" "$1"
	grep -q 'data-ready="1"' "$dom" || fail "$1: the page's script did not finish"
	expect_eq "$1: timeline points" "$($DOM "$dom" points tl-total)" "$samples"
	expect_eq "$1: flame graph root bytes" "$($DOM "$dom" attr fg-root data-bytes)" "$3"
	expect_eq "$1: flame graph root width" "$($DOM "$dom" attr fg-root width)" \
		"$($DOM "$dom" attr fg-svg width).00"
	expect_eq "$1: flame graph title total" "$($DOM "$dom" attr fg-total data-bytes)" "$3"
	$DOM "$dom" text fg-title | grep -q "^Call sites of $4," || fail "$1: flame title: $($DOM "$dom" text fg-title)"
}
check_page all "" "$peak_sum" "all types"
check_page live "#weight=live" "$(fig - live_bytes)" "all types"
check_page allocated "#weight=allocated" "$(fig - bytes_requested)" "all types"
check_page headers-live "#type=Headers&weight=live" 20000 Headers
check_page body-alloc "#type=Body&weight=allocated" "$(fig Body bytes_requested)" Body

# Selecting a type changes the flame graph: other frames, other bytes.
frames() { grep -o '<title>[^<]*</title>' "$tmp/$1.dom" | sort -u; }
frames live >"$tmp/f-all"
frames headers-live >"$tmp/f-headers"
cmp -s "$tmp/f-all" "$tmp/f-headers" && fail "selecting Headers left the flame graph as it was"
grep -q '<title>header_add' "$tmp/f-headers" || fail "Headers' flame graph lacks header_add"
grep -q '<title>body_read' "$tmp/f-headers" && fail "Headers' flame graph shows body_read"
grep -q '<title>body_read' "$tmp/f-all" || fail "all types' flame graph lacks body_read"
# ... and the table row, the leaks and the histogram follow the selection.
expect_eq "selected row" "$(grep -o '<tr data-type="Headers" class="on">' "$tmp/headers-live.dom" | wc -l)" 1
read -r shown all < <($DOM "$tmp/all.dom" rows leaks-table)
expect_eq "leak rows (all types)" "$shown/$all" "$leak_sites/$leak_sites"
read -r shown all < <($DOM "$tmp/headers-live.dom" rows leaks-table)
[ "$shown" -ge 1 ] && [ "$shown" -lt "$all" ] || fail "leak rows of Headers: $shown of $all shown"
expect_eq "histograms shown for Headers" \
	"$(grep -o '<div class="hist" data-type="[^"]*">' "$tmp/headers-live.dom")" '<div class="hist" data-type="Headers">'
# Hovering shows the bytes per type: the tip starts at the highest sample.
$DOM "$tmp/all.dom" text tl-tip | grep -qE '^sample [0-9]+ of '"$samples"', at .* live.*Headers [0-9.]+ (B|KiB)' ||
	fail "timeline tip: $($DOM "$tmp/all.dom" text tl-tip)"
# `report --type NAME` opens on NAME; the address bar still wins.
run "$HT" report "$r" --format html --type Headers -o "$tmp/typed.html"
expect_rc 0 "report --format html --type Headers"
chromium_dom "$tmp/typed.html" "#weight=live" "$tmp/typed.dom"
no_script_errors "$tmp/typed.dom.log" "--type Headers"
expect_eq "--type Headers: flame graph root" "$($DOM "$tmp/typed.dom" attr fg-root data-bytes)" 20000
chromium_dom "$tmp/typed.html" "#type=Body&weight=live" "$tmp/typed2.dom"
expect_eq "--type Headers, #type=Body: flame graph root" "$($DOM "$tmp/typed2.dom" attr fg-root data-bytes)" \
	"$(fig Body live_bytes)"
# An unknown type in the address bar falls back to all types.
check_page unknown "#type=NoSuchType" "$peak_sum" "all types"

# A type name full of markup is text everywhere, and can be selected.
$PY - "$r" "$tmp/odd.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
odd = "Bo<dy \"&' </script><!-- \u2028"
for t in d["types"]:
    if t["name"] == "Body":
        t["name"] = odd
for s in d["sites"]:
    if s["type"] == "Body":
        s["type"] = odd
json.dump(d, open(sys.argv[2], "w"))
PY
run "$HT" report "$tmp/odd.json" --format html -o "$tmp/odd.html"
expect_rc 0 "report --format html, odd type name"
chromium_dom "$tmp/odd.html" "#type=$($PY -c 'import urllib.parse; print(urllib.parse.quote("Bo<dy \"&'"'"' </script><!-- \u2028"))')&weight=allocated" "$tmp/odd.dom"
no_script_errors "$tmp/odd.dom.log" "odd type name"
grep -q 'data-ready="1"' "$tmp/odd.dom" || fail "odd type name: the page's script did not finish"
expect_eq "odd type name: flame graph root" "$($DOM "$tmp/odd.dom" attr fg-root data-bytes)" "$(fig Body bytes_requested)"
expect_eq "odd type name: rows" "$($DOM "$tmp/odd.dom" rows types-table | cut -d' ' -f2)" 4

# A screenshot shows the charts: the first palette colours are on screen.
chromium_png "$tmp/p.html" "" 1200,1800 "$tmp/p.png"
no_script_errors "$tmp/p.png.log" "screenshot"
read -r w h n missing < <($PY "$here/../tools/png_colours.py" "$tmp/p.png" 4c78a8 f58518 54a24b)
echo "screenshot ${w}x${h}, $n distinct colours, missing palette colours: $missing"
[ "$w" = 1200 ] && [ "$n" -ge 50 ] && [ "$missing" = - ] || fail "screenshot: ${w}x${h}, $n colours, missing $missing"

# The page of `run --html` is the same page.
chromium_dom "$tmp/run.html" "" "$tmp/run.dom"
no_script_errors "$tmp/run.dom.log" "run --html"
expect_eq "run --html: flame graph root" "$($DOM "$tmp/run.dom" attr fg-root data-bytes)" "$peak_sum"

# Without stacks: the timeline and the table, and one line on stacks.
run "$HT" run -q -o "$tmp/ns.json" -- "$PROGS/stacks-prog-tagged"
expect_rc 0 "run without stacks"
run "$HT" report "$tmp/ns.json" --format html -o "$tmp/ns.html"
expect_rc 0 "report --format html without stacks"
nss=$($PY -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["timeline"]["samples"]))' "$tmp/ns.json")
chromium_dom "$tmp/ns.html" "" "$tmp/ns.dom"
no_script_errors "$tmp/ns.dom.log" "no stacks"
expect_eq "no stacks: timeline points" "$($DOM "$tmp/ns.dom" points tl-total)" "$nss"
read -r shown all < <($DOM "$tmp/ns.dom" rows types-table)
expect_eq "no stacks: type rows" "$all" 4
expect_eq "no stacks: flame graphs" "$($DOM "$tmp/ns.dom" count svg[data-nodes])" 0
grep -q 'No call stacks in this report: run with <code>heaptag run --stacks</code>' "$tmp/ns.dom" ||
	fail "no stacks: no line saying how to get them"
grep -q 'data-ready="1"' "$tmp/ns.dom" || fail "no stacks: the script did not finish"
# The mode: exact, or sampled when the report says so (the sampled mode's
# "sampling" object, or "mode": "sampled").
grep -q '<dt>mode</dt><dd>exact: every allocation counted</dd>' "$tmp/p.html" || fail "mode: not exact"
$PY - "$r" "$tmp/sampled.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["sampling"] = {"mean_bytes": 524288}
json.dump(d, open(sys.argv[2], "w"))
PY
run "$HT" report "$tmp/sampled.json" --format html -o "$tmp/sampled.html"
expect_rc 0 "report --format html of a sampled report"
grep -q '<dt>mode</dt><dd><b>sampled</b>: figures are estimates (one sample per 512.0 KiB allocated on average)</dd>' \
	"$tmp/sampled.html" || fail "mode: sampled report not shown as sampled"
# A report from a tracker without timelines (tests/tools/data/demo.json).
run "$HT" report "$here/../tools/data/demo.json" --format html -o "$tmp/demo.html"
expect_rc 0 "report --format html without a timeline"
chromium_dom "$tmp/demo.html" "#type=Response" "$tmp/demo.dom"
no_script_errors "$tmp/demo.dom.log" "no timeline"
grep -q 'data-ready="1"' "$tmp/demo.dom" || fail "no timeline: the script did not finish"
grep -q 'This report has no timeline samples.' "$tmp/demo.dom" || fail "no timeline: no line saying so"
# To stdout without -o.
run "$HT" report "$tmp/ns.json" --format html
expect_rc 0 "--format html to stdout"
tail -1 "$tmp/out" | grep -q '^</html>$' || fail "--format html to stdout: no whole page"
finish
