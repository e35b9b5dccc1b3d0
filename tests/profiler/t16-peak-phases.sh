#!/bin/bash
# Peaks of 12 lock-step threads equal the ones the program computed itself.
#
# 12 threads build their peaks in lock-step phases and churn below them in
# between (progs/peak-phases.c): each type's peak bytes, usable bytes and
# instances, and the process's peaks, equal the ones the program computed
# itself, with and without call stacks, in several runs (the per-thread
# windows of ADR-0009 open and close differently each time), and with no
# windows at all (HEAPTAG_NO_GATES: every update on the locked exact path,
# as without membarrier(2)).
. "$(dirname "$0")/lib.sh"

for mode in exact stacks nogates; do
    for round in 1 2 3; do
        [ $mode = nogates ] && [ $round -gt 1 ] && continue
        d=$SCRATCH/$mode.$round
        mkdir -p "$d"
        stacks=0 nogates=
        [ $mode = stacks ] && stacks=16
        [ $mode = nogates ] && nogates=1
        HEAPTAG_OUT=$d/report.json HEAPTAG_STACKS=$stacks timeout 60 \
            env ${nogates:+HEAPTAG_NO_GATES=1} LD_PRELOAD="$LIB" \
            "$PT/peak-phases" "$d/expected" "$d/base.json"
        expect_eq "peak-phases ($mode, run $round) exit status" 0 "$?"
        run_check "peak-phases ($mode, run $round): peaks computed by the program" \
            --baseline "$d/base.json" --expect-file "$d/expected" --expect reason=exit "$d/report.json"
    done
done
# The expectations are not vacuous: the program's peaks differ per type.
n=$(grep -c 'peak_live_bytes = ' "$SCRATCH/exact.1/expected")
distinct=$(grep 'types\.Q.*peak_live_bytes = ' "$SCRATCH/exact.1/expected" | awk '{print $3}' | sort -u | wc -l)
expect_eq "peak-phases: 13 types with a peak each" 13 "$n"
[ "$distinct" -ge 10 ] && ok "peak-phases: the types' peaks differ ($distinct distinct)" ||
    fail "peak-phases: only $distinct distinct type peaks"
finish
