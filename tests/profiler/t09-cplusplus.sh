#!/bin/bash
# C++ new/delete, new[]/delete[] (with an array cookie), nothrow and aligned
# new in heaptag::Scope scopes: exact counts and bytes (progs/cpp-new.cc).
. "$(dirname "$0")/lib.sh"

d=$SCRATCH
HEAPTAG_OUT=$d/report.json timeout 20 env LD_PRELOAD="$LIB" \
    "$PT/cpp-new" "$d/expected" "$d/base.json"
expect_eq "cpp-new exit status" 0 "$?"
run_check "cpp-new report" --baseline "$d/base.json" --expect-file "$d/expected" \
    --expect types.Widget.alloc_calls=3 --expect types.Widget.live_bytes=300 \
    --expect types.Widget.payload.alloc_calls=2 \
    --expect types.Widget.payload.peak_live_bytes=$((3 * 4 + 8 + 128)) \
    --expect types.Gadget.alloc_calls=1 --expect types.Gadget.free_calls=1 \
    "$d/report.json"
finish
