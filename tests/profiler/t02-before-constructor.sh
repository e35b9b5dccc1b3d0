#!/bin/bash
# Allocations made before libheaptag.so's constructor ran are counted.
#
# Allocations made before libheaptag.so's constructor ran: in a constructor
# of a library the program links (initialised before preloaded objects) and
# in a priority-101 constructor of the program.  They are counted and tagged
# like any other, their frees in main are not foreign, and the program's
# output is the same with and without the tracker.
. "$(dirname "$0")/lib.sh"

d=$SCRATCH
want=$(timeout 10 "$PT/prector")
expect_eq "prector exit status without the tracker" 0 "$?"
got=$(HEAPTAG_OUT=$d/report.json timeout 10 env LD_PRELOAD="$LIB" "$PT/prector")
expect_eq "prector exit status under the tracker" 0 "$?"
expect_eq "prector output under the tracker" "$want" "$got"
run_check "prector report" --expect program=prector \
    --expect types.LibCtor.alloc_calls=2 --expect types.LibCtor.free_calls=2 \
    --expect types.LibCtor.bytes_requested=3000 --expect types.LibCtor.peak_live_bytes=3000 \
    --expect types.LibCtor.live_bytes=0 --expect types.LibCtor.live_blocks=0 \
    --expect types.PreCtor.alloc_calls=3 --expect types.PreCtor.free_calls=2 \
    --expect types.PreCtor.bytes_requested=432 --expect types.PreCtor.peak_live_bytes=432 \
    --expect types.PreCtor.live_bytes=99 --expect types.PreCtor.live_blocks=1 \
    --expect totals.foreign_free_calls=0 "$d/report.json"
finish
