#!/bin/bash
# The run page of a report with 100,000 call sites: small, fast and exact.
#
# A report with 100,000 call sites (big_report.py): its page stays under
# 10 MB, is ready in Chromium in under 3 s (the page's own clock, from the
# start of navigation to the end of its script: parsing included), says
# that it merged the small sites, and keeps every total exact.
. "$(dirname "$0")/lib.sh"

$PY "$here/big_report.py" "$tmp/big.json" 100000 || { fail "big_report.py"; finish; }
start=$(date +%s%N)
run "$HT" report "$tmp/big.json" --format html -o "$tmp/big.html"
expect_rc 0 "report --format html of 100,000 sites"
echo "heaptag report --format html: $(( ($(date +%s%N) - start) / 1000000 )) ms (wall, not checked)"
size=$(stat -c %s "$tmp/big.html")
echo "page: $size bytes"
[ "$size" -lt $((10 * 1024 * 1024)) ] || fail "page is $size bytes, not under 10 MB"

read -r peak_sum live alloc samples < <($PY -c 'import json,sys
d=json.load(open(sys.argv[1]))
print(sum(s["live_at_peak"] for s in d["sites"]), d["totals"]["live_bytes"], d["totals"]["bytes_requested"], len(d["timeline"]["samples"]))' "$tmp/big.json")
for view in "" "#weight=live" "#type=Type03&weight=allocated"; do
	dom=$tmp/big$(echo "$view" | tr -c 'a-zA-Z0-9\n' _).dom
	chromium_dom "$tmp/big.html" "$view" "$dom"
	no_script_errors "$dom.log" "100,000 sites$view"
	ms=$(grep -o 'data-render-ms="[0-9]*"' "$dom" | grep -o '[0-9]*')
	echo "ready after ${ms:-?} ms ($view)"
	[ -n "$ms" ] && [ "$ms" -lt 3000 ] || fail "100,000 sites$view: ready after ${ms:-never} ms, not under 3000"
	expect_eq "timeline points$view" "$($DOM "$dom" points tl-total)" "$samples"
	$DOM "$dom" text fg-note | grep -qE '^Drawn: the [0-9]+ largest of 100000 call sites\. The other [0-9]+ are merged per type' ||
		fail "no note on merged sites: $($DOM "$dom" text fg-note)"
done
expect_eq "root at the peak" "$($DOM "$tmp/big.dom" attr fg-root data-bytes)" "$peak_sum"
expect_eq "root live at exit" "$($DOM "$tmp/big_weight_live.dom" attr fg-root data-bytes)" "$live"
type_alloc=$($PY -c 'import json,sys
print([t for t in json.load(open(sys.argv[1]))["types"] if t["name"]=="Type03"][0]["bytes_requested"])' "$tmp/big.json")
expect_eq "root of Type03 allocated" "$($DOM "$tmp/big_type_Type03_weight_allocated.dom" attr fg-root data-bytes)" "$type_alloc"
finish
