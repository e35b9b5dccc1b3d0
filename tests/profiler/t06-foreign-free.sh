#!/bin/bash
# free() of blocks the tracker never saw (from __libc_malloc, and from a library opened with
# RTLD_DEEPBIND): counted in foreign_free_calls only, passed on to the allocator, no crash.
. "$(dirname "$0")/lib.sh"

d=$SCRATCH
HEAPTAG_OUT=$d/report.json timeout 20 env LD_PRELOAD="$LIB" \
    "$PT/foreign-free" "$d/expected" "$d/base.json" "$PT/libplugin.so"
expect_eq "foreign-free exit status" 0 "$?"
run_check "foreign-free report" --baseline "$d/base.json" --expect-file "$d/expected" \
    "$d/report.json"
finish
