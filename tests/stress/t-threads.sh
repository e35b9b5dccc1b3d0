#!/bin/bash
# 64 threads allocate, reallocate and free across threads: exact figures.
#
# 64 threads allocate, reallocate and free, most blocks freed and
# reallocated on a thread that did not allocate them: the "Stress" figures
# at exit are exact (none lost or counted twice), on glibc and on jemalloc.
. "$(dirname "$0")/lib.sh"

for alloc in glibc jemalloc; do
    pre=$LIB
    if [ $alloc = jemalloc ]; then
        [ -e "$JEMALLOC" ] || { echo "skip jemalloc: $JEMALLOC missing"; continue; }
        pre="$LIB $JEMALLOC"
    fi
    for round in 1 2 3; do
        d=$SCRATCH/$alloc.$round
        mkdir -p "$d"
        HEAPTAG_OUT=$d/r.json timeout 60 env LD_PRELOAD="$pre" "$ST/threads64" 64 3000 >"$d/expect"
        expect_eq "threads64 on $alloc, round $round: exit status" 0 "$?"
        expect_args "$d/expect"
        run_check "threads64 on $alloc, round $round: exact Stress figures" \
            "${EXPECT[@]}" --expect reason=exit "$d/r.json"
    done
done
finish
