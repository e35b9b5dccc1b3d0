#!/bin/bash
# exec: each new image loads the tracker and writes its own report with
# fresh counters; an image replaced by exec writes none.
. "$(dirname "$0")/lib.sh"

d=$SCRATCH
mkdir "$d/spawn" "$d/self"

# fork, then the child execs another program (plain)
out=$(HEAPTAG_OUT=$d/spawn/r.%p.json timeout 20 env LD_PRELOAD="$LIB" \
    "$PT/exec-chain" spawn "$PT/plain" 2>/dev/null)
expect_eq "exec-chain spawn exit status" 0 "$?"
child=$(printf '%s\n' "$out" | sed -n 's/^child //p')
expect_eq "reports after fork+exec (parent, exec'd child)" 2 \
    "$(ls "$d/spawn" | grep -c '^r\.[0-9]*\.json$')"
if [ -n "$child" ]; then
    run_check "exec'd child report" --pid-from-name --expect program=plain \
        --expect types.Plain.alloc_calls=1 --expect types.Plain.live_bytes=321 \
        --absent-type ChildBeforeExec --absent-type Parent "$d/spawn/r.$child.json"
    for f in "$d"/spawn/r.*.json; do
        [ "$f" = "$d/spawn/r.$child.json" ] && continue
        run_check "parent report" --pid-from-name --expect program=exec-chain \
            --expect types.Parent.live_bytes=500 --absent-type ChildBeforeExec "$f"
    done
else
    fail "exec-chain spawn printed no child pid"
fi

# the program execs itself through /proc/self/exe
out=$(HEAPTAG_OUT=$d/self/r.%p.json timeout 20 env LD_PRELOAD="$LIB" "$PT/exec-chain" self)
expect_eq "exec-chain self exit status" 0 "$?"
pid=$(printf '%s\n' "$out" | sed -n 's/^pid //p')
expect_eq "reports after exec of /proc/self/exe" "r.$pid.json" "$(ls "$d/self")"
run_check "report of the re-exec'd image" --pid-from-name --expect reason=exit \
    --expect types.AfterExec.alloc_calls=1 --expect types.AfterExec.live_bytes=200 \
    --absent-type BeforeExec "$d/self/r.$pid.json"
finish
