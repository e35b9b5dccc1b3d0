#!/bin/bash
# report-check itself: it accepts a correct report and rejects each kind of
# broken one, so the tracker tests that rely on it can fail.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
CHECK=$BUILD/tests/profiler/report-check
GOOD=$TOP/tests/profiler/data/good-report.json
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/heaptag-test.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
FAILS=0

# expect_status WANT DESCRIPTION ARGS...
expect_status() {
    local want=$1 what=$2
    shift 2
    "$CHECK" "$@" >"$SCRATCH/out" 2>&1
    local rc=$?
    if [ "$rc" = "$want" ]; then
        echo "ok: $what"
    else
        echo "FAIL: $what: exit $rc, expected $want"
        sed 's/^/    /' "$SCRATCH/out"
        FAILS=$((FAILS + 1))
    fi
}

# mutate NAME PYTHON-EXPR: a copy of the good report with one change
mutate() {
    /usr/bin/python3 -c "
import json, sys
r = json.load(open('$GOOD'))
$2
json.dump(r, open('$SCRATCH/$1.json', 'w'))"
}

expect_status 0 "good report passes" "$GOOD"
expect_status 0 "exact expectations" --expect totals.alloc_calls=3 \
    --expect types.Response.live_bytes=200 --expect reason=exit \
    --expect allocator~libc "$GOOD"
expect_status 1 "wrong integer expectation" --expect totals.alloc_calls=4 "$GOOD"
expect_status 1 "wrong string expectation" --expect reason=dump "$GOOD"
expect_status 1 "expected type missing" --expect types.Request.live_bytes=0 "$GOOD"
expect_status 1 "absent type present" --absent-type Response "$GOOD"
cp "$GOOD" "$SCRATCH/r.4242.json"
cp "$GOOD" "$SCRATCH/r.4243.json"
expect_status 0 "pid matches file name" --pid-from-name "$SCRATCH/r.4242.json"
expect_status 1 "pid differs from file name" --pid-from-name "$SCRATCH/r.4243.json"
expect_status 1 "missing file" "$SCRATCH/none.json"
expect_status 2 "bad usage" --expect
printf '{"format":"heaptag-report",' >"$SCRATCH/cut.json"
expect_status 1 "truncated JSON" "$SCRATCH/cut.json"

mutate version 'r["version"] = 2'
expect_status 1 "version 2 rejected" "$SCRATCH/version.json"
mutate blocks 'r["totals"]["live_blocks"] = 3'
expect_status 1 "alloc - free != live_blocks" "$SCRATCH/blocks.json"
mutate peak 'r["totals"]["peak_live_bytes"] = 150'
expect_status 1 "live > peak" "$SCRATCH/peak.json"
mutate usable 'r["types"][0]["live_usable_bytes"] = 100'
expect_status 1 "usable < requested" "$SCRATCH/usable.json"
mutate sum 'r["types"][1]["bytes_requested"] = 90'
expect_status 1 "type sums != totals" "$SCRATCH/sum.json"
mutate order 'r["types"].reverse()'
expect_status 1 "types not sorted by peak" "$SCRATCH/order.json"
mutate reason 'r["reason"] = "crash"'
expect_status 1 "unknown reason" "$SCRATCH/reason.json"
mutate neg 'r["types"][0]["instances"] = -1'
expect_status 1 "negative count" "$SCRATCH/neg.json"

# expected-values file relative to a baseline
mutate base 'r["totals"].update(alloc_calls=1, free_calls=0, live_blocks=1, bytes_requested=100, live_bytes=100, live_usable_bytes=112, peak_live_bytes=100, peak_live_usable_bytes=112, peak_live_blocks=1); r["types"] = [r["types"][1]]; r["types"][0].update(free_calls=0, live_bytes=100, live_usable_bytes=112, live_blocks=1)'
cat >"$SCRATCH/expected" <<'EOT'
# comment
totals.alloc_calls delta 2
totals.peak_live_bytes peak totals.live_bytes 200
types.Response.peak_live_bytes peak types.Response.live_bytes 200
types.untagged.live_bytes delta -100
totals.live_bytes range 100 300
types Response
EOT
expect_status 0 "expected-values file with baseline" --baseline "$SCRATCH/base.json" \
    --expect-file "$SCRATCH/expected" "$GOOD"
echo "totals.free_calls delta 0" >>"$SCRATCH/expected"
expect_status 1 "wrong delta" --baseline "$SCRATCH/base.json" \
    --expect-file "$SCRATCH/expected" "$GOOD"
echo "types Response" >"$SCRATCH/types-only"
expect_status 1 "unexpected type without baseline" --expect-file "$SCRATCH/types-only" "$GOOD"

[ "$FAILS" -eq 0 ] || { echo "$FAILS check(s) failed"; exit 1; }
echo "all checks passed"
