#!/bin/bash
# Out of memory under `ulimit -v`: failures pass through unchanged and are counted.
#
# Out of memory under `ulimit -v`: every failing call returns NULL (or
# ENOMEM from posix_memalign) with errno ENOMEM, unchanged by the tracker
# (the program checks and says so), each counts once in failed_calls, the
# program's output and status are the same as without the tracker, and
# the report at exit is valid.  "big": 1 MiB blocks and impossible sizes;
# "small": 64-byte blocks until the address space is gone, so the
# tracker's own bookkeeping grows as memory runs out.
. "$(dirname "$0")/lib.sh"

limit=200000   # KiB of address space
for phase in big small; do
    d=$SCRATCH/$phase
    mkdir "$d"
    (ulimit -v $limit; timeout 60 "$ST/oom" $phase >"$d/plain.out" 2>"$d/plain.err")
    expect_eq "$phase without the tracker: exit status" 0 "$?"
    (ulimit -v $limit; HEAPTAG_OUT=$d/r.json timeout 60 env LD_PRELOAD="$LIB" \
        "$ST/oom" $phase >"$d/out" 2>"$d/err")
    expect_eq "$phase: exit status (1: a call did not fail cleanly)" 0 "$?"
    sed 's/^/    /' "$d/err"
    expect_eq "$phase: failed calls seen by the program, with and without the tracker" \
        "$(grep failed_calls "$d/plain.out")" "$(grep failed_calls "$d/out")"
    if grep -q '^heaptag:' "$d/err"; then
        fail "$phase: the tracker wrote to stderr: $(grep '^heaptag:' "$d/err")"
    fi
    expect_args "$d/out"
    run_check "$phase: report valid, failed_calls exact" "${EXPECT[@]}" "$d/r.json"
done
finish
