#!/bin/bash
# A sampled report says how many live samples its peak rests on, and warns when they are few.
#
# peak_samples.c holds 1000 blocks of 100 bytes (plus the array of their
# addresses: 1001 live blocks at the peak), frees them, then churns a ring
# of 8.  Under HEAPTAG_SAMPLE=1 every block is a sample: peak_samples is
# 1001, equal to the peak's live blocks, and `heaptag report` gives the
# count without a warning.  At the default mean the same program's 0.1 MB
# peak rests on a sample or two, and the report warns, in text, markdown
# and HTML.
. "$(dirname "$0")/lib.sh"
prog=$BUILD/tests/sampling/peak-samples
LD_PRELOAD=$LIB HEAPTAG_SAMPLE=1 HEAPTAG_OUT=$tmp/all.json "$prog" 1000 100000 >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 0 "peak-samples, every block sampled"
expect_eq "peak_samples and peak_live_blocks" "$($PY - "$tmp/all.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
print(d["sampling"]["peak_samples"], d["totals"]["peak_live_blocks"])
PYEOF
)" "1001 1001"
"$HT" report "$tmp/all.json" >"$tmp/all.txt" 2>&1
expect_eq "the text report's peak line" "$(grep 'peak: an estimate' "$tmp/all.txt")" \
    "  peak: an estimate resting on 1001 live samples"
LD_PRELOAD=$LIB HEAPTAG_SAMPLE=512KiB HEAPTAG_SAMPLE_SEED=5 HEAPTAG_OUT=$tmp/few.json "$prog" 1000 2000000 \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 0 "peak-samples at the default mean"
n=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["sampling"]["peak_samples"])' "$tmp/few.json")
expect_eq "few samples under the peak" "$([ "$n" -ge 0 ] && [ "$n" -lt 30 ] && echo yes)" yes
"$HT" report "$tmp/few.json" >"$tmp/few.txt" 2>&1
expect_eq "the text report warns" "$(grep -c 'too few to trust' "$tmp/few.txt")" 1
"$HT" report "$tmp/few.json" --format markdown >"$tmp/few.md" 2>&1
expect_eq "the markdown report warns" "$(grep -c 'too few to trust' "$tmp/few.md")" 1
"$HT" report "$tmp/few.json" --format html -o "$tmp/few.html" >/dev/null 2>&1
expect_eq "the HTML page warns" "$(grep -c 'too few to trust' "$tmp/few.html")" 1
"$HT" report "$tmp/all.json" --format html -o "$tmp/all.html" >/dev/null 2>&1
expect_eq "the HTML page of 1001 samples does not" \
    "$(grep -c 'resting on 1001 live samples' "$tmp/all.html") $(grep -c 'too few to trust' "$tmp/all.html")" "1 0"
finish
