#!/bin/bash
# 200 forks while 4 threads allocate: no deadlock, and every child writes its own report.
#
# 200 forks while 4 threads allocate: no deadlock (bounded by timeout), and
# every child writes its own valid report under its own pid with its own
# allocation, which the parent's report does not have.
. "$(dirname "$0")/lib.sh"

d=$SCRATCH
n=200
out=$(HEAPTAG_OUT=$d/r.%p.json timeout 60 env LD_PRELOAD="$LIB" "$PT/fork-storm" $n)
rc=$?
expect_eq "fork-storm exit status (124 = timed out: deadlock?)" 0 "$rc"
parent=$(printf '%s\n' "$out" | sed -n 's/^parent //p')
expect_eq "fork-storm children" "children $n ok" "$(printf '%s\n' "$out" | tail -n 1)"
if [ -z "$parent" ]; then
    fail "fork-storm printed no parent pid"
    finish
fi
run_check "parent report" --expect pid="$parent" --expect reason=exit \
    --absent-type Child --pid-from-name "$d/r.$parent.json"
children=()
for f in "$d"/r.*.json; do
    [ "$f" = "$d/r.$parent.json" ] || children+=("$f")
done
expect_eq "number of child reports" "$n" "${#children[@]}"
if [ "${#children[@]}" -gt 0 ]; then
    run_check "child reports (own pid, parent's pid as ppid, own block)" \
        --in-flight 4 --expect ppid="$parent" --expect reason=exit --pid-from-name \
        --expect types.Child.alloc_calls=1 --expect types.Child.live_bytes=4242 \
        --expect types.Child.free_calls=0 "${children[@]}"
fi
leftovers=$(find "$d" -type f ! -name 'r.[0-9]*.json' | head -n 3)
expect_eq "no temporary files left behind" "" "$leftovers"
finish
