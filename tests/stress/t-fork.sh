#!/bin/bash
# 1,000 forks while 6 threads allocate: no deadlock, one report per child.
#
# 1,000 forks while 6 threads allocate through every allocation function:
# no deadlock (bounded by timeout), and every child leaves one valid report
# under its own pid, with the parent's pid as ppid, its own 4242-byte block
# and the reason matching how it ended (exit, _exit, exit from a thread).
. "$(dirname "$0")/lib.sh"

d=$SCRATCH/r
mkdir "$d"
n=1000
HEAPTAG_OUT=$d/r.%p.json timeout 150 env LD_PRELOAD="$LIB" "$ST/fork-threads" $n >"$SCRATCH/out"
expect_eq "fork-threads exit status (124: timed out, a deadlock?)" 0 "$?"
parent=$(sed -n 's/^parent //p' "$SCRATCH/out")
expect_eq "children that ended well" $n "$(grep -c '^child ' "$SCRATCH/out")"
[ -n "$parent" ] || { fail "no parent pid printed"; finish; }
run_check "parent report" --expect pid="$parent" --absent-type Child "$d/r.$parent.json"
expect_eq "reports: one per child plus the parent's" $((n + 1)) "$(ls "$d" | wc -l)"
for how in exit _exit thread-exit; do
    reason=$how
    [ $how = thread-exit ] && reason=exit
    files=()
    while read -r _ pid h; do
        [ "$h" = "$how" ] && files+=("$d/r.$pid.json")
    done < <(grep '^child ' "$SCRATCH/out")
    run_check "${#files[@]} children ending by $how: valid, own pid, reason $reason" \
        --pid-from-name --expect ppid="$parent" --expect reason="$reason" \
        --expect types.Child.alloc_calls=1 --expect types.Child.live_bytes=4242 \
        "${files[@]}"
done
expect_eq "no temporary files left" "" "$(find "$d" -type f ! -name 'r.[0-9]*.json')"
finish
