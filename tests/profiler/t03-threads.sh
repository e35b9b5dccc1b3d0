#!/bin/bash
# 16 threads allocating at once and freeing each other's blocks: exact
# counts, bytes and peaks per type and in total (progs/threads-exact.c).
. "$(dirname "$0")/lib.sh"

d=$SCRATCH
HEAPTAG_OUT=$d/report.json timeout 30 env LD_PRELOAD="$LIB" \
    "$PT/threads-exact" "$d/expected" "$d/base.json"
expect_eq "threads-exact exit status" 0 "$?"
run_check "threads-exact report: exact figures" --baseline "$d/base.json" \
    --expect-file "$d/expected" --expect reason=exit \
    --expect types.T00.alloc_calls=100 --expect types.T00.free_calls=90 \
    --expect types.Shared.alloc_calls=320 --expect types.Shared.live_blocks=32 \
    --expect types.Churn.alloc_calls=1440 --expect types.Churn.live_bytes=0 \
    "$d/report.json"
finish
