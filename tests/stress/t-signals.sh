#!/bin/bash
# Signals during allocation.
#
# Signals during allocation: a 200 us timer whose handler does nothing
# (without SA_RESTART) and SIGUSR2 dumps, all landing on allocating
# threads, with and without stacks: every dump is a valid report (reason
# sigusr2; HEAPTAG_SIGUSR2=continue keeps the program going), the report at
# exit has exact figures.  SIGKILL: no report, and
# `heaptag run` says so in one line instead of showing an older report.
. "$(dirname "$0")/lib.sh"

for mode in counts stacks; do
    d=$SCRATCH/$mode
    mkdir "$d"
    extra=()
    [ $mode = stacks ] && extra=(HEAPTAG_STACKS=8)
    HEAPTAG_OUT=$d/r.json HEAPTAG_SIGUSR2=continue timeout 60 env "${extra[@]}" LD_PRELOAD="$LIB" \
        "$ST/signal-storm" "$d/r.json" "$d" 40 400000 >"$d/expect" 2>"$d/stderr"
    expect_eq "$mode: signal-storm exit status" 0 "$?"
    cat "$d/stderr"
    dumps=("$d"/dump-*.json)
    expect_eq "$mode: dumps taken" 40 "${#dumps[@]}"
    run_check "$mode: every dump valid, reason sigusr2" --expect reason=sigusr2 "${dumps[@]}"
    # heaptag report reads every one of them too (they are "concurrent":
    # taken while the storm's threads allocate).
    refused=0
    for f in "${dumps[@]}"; do
        "$HEAPTAG" report "$f" >/dev/null 2>"$d/report.err" || { refused=$((refused + 1)); cat "$d/report.err"; }
    done
    expect_eq "$mode: dumps heaptag report refused" 0 "$refused"
    expect_args "$d/expect"
    run_check "$mode: report at exit, exact Storm figures" "${EXPECT[@]}" --expect reason=exit "$d/r.json"
    # The dumps show allocation going on: Storm's calls grow dump by dump.
    prev=-1 grew=0
    for i in $(seq 0 39); do
        n=$(/usr/bin/python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))
print(sum(t["alloc_calls"] for t in r["types"] if t["name"] == "Storm"))' "$d/dump-$i.json")
        [ "$n" -ge "$prev" ] || fail "$mode: dump-$i has fewer Storm calls ($n) than the one before ($prev)"
        [ "$n" -gt "$prev" ] && grew=$((grew + 1))
        prev=$n
    done
    [ "$grew" -ge 2 ] && ok "$mode: Storm calls grew across $grew dumps" ||
        fail "$mode: dumps do not show allocation in progress"
done

# SIGKILL: no report, said plainly; an older report at -o PATH is not shown.
d=$SCRATCH/kill
mkdir "$d"
printf '{"stale": true}\n' >"$d/out.json"
"$HEAPTAG" run -o "$d/out.json" -- /usr/bin/python3 -c \
    'import os, signal; x = [bytearray(1000) for i in range(1000)]; os.kill(os.getpid(), signal.SIGKILL)' \
    >"$d/stdout" 2>"$d/stderr"
rc=$?
expect_eq "SIGKILL: heaptag run ends like its program (128 + 9)" 137 "$rc"
expect_eq "SIGKILL: nothing on stdout" "" "$(cat "$d/stdout")"
expect_eq "SIGKILL: one line on stderr" 1 "$(wc -l <"$d/stderr")"
if grep -Eq '^heaptag: no report from [0-9]+ \(killed by SIGKILL' "$d/stderr"; then
    ok "SIGKILL: says so: $(cat "$d/stderr")"
else
    fail "SIGKILL: stderr: $(cat "$d/stderr")"
fi
expect_eq "SIGKILL: the older report is left as it was" '{"stale": true}' "$(cat "$d/out.json")"
expect_eq "SIGKILL: no other file" "out.json stderr stdout" "$(ls "$d" | tr '\n' ' ' | sed 's/ $//')"
finish
