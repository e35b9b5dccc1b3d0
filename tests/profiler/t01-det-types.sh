#!/bin/bash
# Every figure of every type and of the totals, exactly, for a deterministic program that
# uses each tagging feature and each allocation entry point (progs/det-types.c).
#
# Also run without the tracker: the program must work the same (exit 0) when the weak
# tagging symbols resolve to nothing.
. "$(dirname "$0")/lib.sh"

d=$SCRATCH
if timeout 20 "$PT/det-types" "$d/plain.expected" "$d/plain.base.json"; then
    ok "det-types runs without the tracker"
else
    fail "det-types without the tracker: exit $?"
fi

HEAPTAG_OUT=$d/report.json timeout 20 env LD_PRELOAD="$LIB" \
    "$PT/det-types" "$d/expected" "$d/base.json"
rc=$?
expect_eq "det-types exit status under the tracker" 0 "$rc"
run_check "det-types report: exact figures" --baseline "$d/base.json" \
    --expect-file "$d/expected" --expect reason=exit --expect program=det-types \
    --expect totals.failed_calls=4 "$d/report.json"
# Absolute figures that do not depend on the baseline, as a cross-check of
# the model itself (see the timeline in det-types.c).
run_check "det-types report: hand-computed figures" \
    --expect types.Request.alloc_calls=8 --expect types.Request.peak_live_bytes=8600 \
    --expect types.Request.live_bytes=2300 --expect types.Request.instances=4 \
    --expect types.Request.live_instances=1 --expect types.Request.peak_live_instances=4 \
    --expect types.Response.peak_live_bytes=1100 --expect types.Response.live_bytes=600 \
    --expect types.Response.live_instances=1 \
    --expect types.Response.payload.peak_live_bytes=5000 \
    --expect types.Response.payload.live_bytes=3000 \
    --expect types.Buffer.peak_live_bytes=12000 --expect types.Buffer.live_bytes=4000 \
    --expect types.Buffer.alloc_calls=12 --expect types.Buffer.free_calls=11 \
    --expect types.Scratch.alloc_calls=2 --expect types.Scratch.free_calls=0 \
    --expect types.Scratch.live_bytes=10 --expect types.Scratch.live_blocks=1 \
    --expect types.Header.alloc_calls=0 --expect types.Header.free_calls=1 \
    --expect types.Header.peak_live_bytes=700 --expect types.Header.live_blocks=0 \
    --expect types.Worker.alloc_calls=3 --expect types.Worker.free_calls=3 \
    --expect types.Worker.peak_live_bytes=1800 \
    --expect types.Other.alloc_calls=6 --expect types.Other.free_calls=3 \
    --expect types.Other.live_bytes=232 \
    --expect types.Aligned.peak_live_bytes=$((1556 + $(getconf PAGESIZE))) \
    --expect types.Aligned.live_bytes=556 "$d/report.json"

# The same figures with the block map in its radix form: `ulimit -v`
# refuses the flat form's 8 TiB reservation (see addr_radix.h), as it would
# for a user running under an address-space limit.
( ulimit -v 4194304
  HEAPTAG_OUT=$d/radix.json timeout 20 env LD_PRELOAD="$LIB" \
      "$PT/det-types" "$d/radix.expected" "$d/radix.base.json" )
expect_eq "det-types exit status under ulimit -v" 0 "$?"
run_check "det-types report, radix block map: exact figures" --baseline "$d/radix.base.json" \
    --expect-file "$d/radix.expected" --expect totals.failed_calls=4 "$d/radix.json"
forms=$(/usr/bin/python3 -c 'import json, sys
print(*(json.load(open(f))["tracker"]["mapped_bytes"] >= 1 << 43 for f in sys.argv[1:]))' \
    "$d/report.json" "$d/radix.json")
expect_eq "flat block map by default, radix under ulimit -v" "True False" "$forms"
finish
