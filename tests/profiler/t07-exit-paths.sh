#!/bin/bash
# Ways of ending that must still write the report, where HEAPTAG_OUT says.
#
# Ways of ending that must still write the report, at the path HEAPTAG_OUT
# names relative to the directory the program started in: return from main,
# exit() from a thread while others allocate, all descriptors closed,
# chdir to / and into a directory removed before exit.
. "$(dirname "$0")/lib.sh"

for mode in main-return thread-exit close-fds chdir-root chdir-removed; do
    start=$SCRATCH/$mode
    mkdir -p "$start/out"
    out=$(cd "$start" && HEAPTAG_OUT=out/r.%p.json timeout 20 env LD_PRELOAD="$LIB" \
        "$PT/exit-modes" "$mode")
    expect_eq "exit-modes $mode: exit status" 0 "$?"
    pid=$(printf '%s\n' "$out" | sed -n 's/^pid //p')
    if [ -z "$pid" ]; then
        fail "exit-modes $mode printed no pid"
        continue
    fi
    expect_eq "exit-modes $mode: files in start/out" "r.$pid.json" "$(ls "$start/out")"
    run_check "exit-modes $mode: report" --in-flight 4 --pid-from-name --expect reason=exit \
        --expect types.ExitMode.live_bytes=1234 --expect types.ExitMode.live_blocks=1 \
        "$start/out/r.$pid.json"
    if [ -e "/out/r.$pid.json" ]; then
        fail "exit-modes $mode: a report landed in /out"
        rm -f "/out/r.$pid.json"
    fi
done
finish
