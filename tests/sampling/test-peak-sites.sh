#!/bin/bash
# Each site's share of the sampled peak (live_at_peak) is its live bytes at the last peak.
#
# peak_sites.c under HEAPTAG_SAMPLE=1 (every block sampled, weight 1: exact
# figures): sites A, B and C hold 5,000, 4,000 and 3,000 bytes when the
# process's estimate last peaks (12,000 bytes), whatever they hold later or
# held before: A's frees, B's births and C's births must all reach the
# snapshot of the peak.
. "$(dirname "$0")/lib.sh"
LD_PRELOAD=$LIB HEAPTAG_SAMPLE=1 HEAPTAG_OUT=$tmp/r.json "$BUILD/tests/sampling/peak-sites" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 0 "peak-sites under sampled mode"
expect_eq "live_at_peak and live bytes of A, B, C" "$($PY - "$tmp/r.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
# Each type's sites (one per line of main that calls take), summed.
at, live = {}, {}
for s in d["sites"]:
    at[s["type"]] = at.get(s["type"], 0) + s["live_at_peak"]
    live[s["type"]] = live.get(s["type"], 0) + s["live_bytes"]
print(" ".join("%s=%d/%d" % (t, at.get(t, -1), live.get(t, -1)) for t in "ABC"))
PYEOF
)" "A=5000/5000 B=4000/0 C=3000/4000"
finish
