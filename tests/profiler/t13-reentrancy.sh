#!/bin/bash
# The tracker's own paths that may allocate or lock, hit while the program allocates.
#
# The tracker's own paths that may allocate or lock, hit while the program
# allocates: heaptag_dump() from 3 threads at once, dlopen/dlclose of a
# library whose constructor allocates, threads created on the fly.  Every
# dump succeeds and is a valid report; the tagged figures are exact.
. "$(dirname "$0")/lib.sh"

d=$SCRATCH
mkdir "$d/dumps"
HEAPTAG_OUT=$d/report.json timeout 30 env LD_PRELOAD="$LIB" \
    "$PT/reentrancy" "$d/expected" "$d/base.json" "$PT/libplugin.so" "$d/dumps"
expect_eq "reentrancy exit status" 0 "$?"
run_check "final report" --baseline "$d/base.json" --expect-file "$d/expected" \
    --expect reason=exit --expect types.Plugin.alloc_calls=20 \
    --expect types.Plugin.free_calls=20 --expect types.Plugin.live_bytes=0 \
    --expect types.Plugin.peak_live_bytes=64 --expect types.Short.alloc_calls=20 \
    "$d/report.json"
dumps=("$d"/dumps/*.json)
expect_eq "explicit-path dumps written" 30 "${#dumps[@]}"
run_check "dumps taken while threads allocate are valid" --in-flight 10 --expect reason=dump "${dumps[@]}"
leftovers=$(find "$d/dumps" -type f ! -name 'dump-*.json' | head -n 3)
expect_eq "no temporary files left in the dump directory" "" "$leftovers"
finish
