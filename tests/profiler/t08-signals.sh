#!/bin/bash
# Signals.
#
# Without HEAPTAG_DUMP_ON_SIGNAL, SIGTERM/SIGINT kill as usual and
# leave no report; with it, a report (reason sigterm/sigint) is written and
# the process still dies by that signal.  SIGUSR2 writes a report (reason
# sigusr2) and then acts as without the tracker: a program with no handler
# dies by it (status 140 both ways), a program's own handler runs;
# HEAPTAG_SIGUSR2=continue keeps the program going after the report;
# HEAPTAG_SIGUSR2=0 leaves SIGUSR2 alone.
. "$(dirname "$0")/lib.sh"

# signal_case NAME SIGNAL DUMP_ON_SIGNAL: start signal-wait, signal it when
# ready, check how it ended and what report it left.
signal_case() {
    local name=$1 sig=$2 dump=$3 dir=$SCRATCH/$1
    mkdir "$dir"
    # --default-signal: a background job of a script starts with SIGINT
    # ignored; the program must start as from a terminal.
    HEAPTAG_OUT=$dir/r.json HEAPTAG_DUMP_ON_SIGNAL=$dump \
        env --default-signal=INT LD_PRELOAD="$LIB" "$PT/signal-wait" wait "$dir/ready" &
    local pid=$! i
    for ((i = 0; i < 500; i++)); do
        [ -e "$dir/ready" ] && break
        sleep 0.01
    done
    kill -s "$sig" "$pid"
    for ((i = 0; i < 500; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.01
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid"
        fail "$name: still running 5 s after SIG$sig"
    fi
    wait "$pid"
    local rc=$? want
    want=$((128 + $(kill -l "$sig")))
    expect_eq "$name: ended by SIG$sig (status $want)" "$want" "$rc"
    if [ "$dump" = 1 ]; then
        local reason
        reason=$(echo "$sig" | tr 'A-Z' 'a-z')
        run_check "$name: report" --expect reason="sig$reason" --expect pid="$pid" \
            --expect types.Sig.live_bytes=777 "$dir/r.json"
    else
        expect_eq "$name: files left (no report)" "ready" "$(ls "$dir")"
    fi
}

signal_case term-plain TERM 0
signal_case int-plain INT 0
signal_case term-dump TERM 1
signal_case int-dump INT 1

usr2_status=$((128 + $(kill -l USR2)))
d=$SCRATCH/usr2-default
mkdir "$d"
timeout 20 "$PT/signal-wait" usr2 "$d/none.json" "$d/copy.json" >/dev/null 2>&1
expect_eq "usr2 without the tracker: killed by SIGUSR2" "$usr2_status" "$?"
HEAPTAG_OUT=$d/r.json timeout 20 env LD_PRELOAD="$LIB" \
    "$PT/signal-wait" usr2 "$d/none.json" "$d/copy.json" >"$d/out" 2>"$d/err"
expect_eq "usr2 with the tracker (default): killed by SIGUSR2 too" "$usr2_status" "$?"
expect_eq "usr2 with the tracker (default): the program printed nothing" "" "$(cat "$d/out" "$d/err")"
run_check "usr2 with the tracker (default): the report of that moment" --expect reason=sigusr2 \
    --expect types.Sig.live_bytes=777 --absent-type AfterSignal "$d/r.json"

d=$SCRATCH/usr2-own
mkdir "$d"
want=$(timeout 20 "$PT/signal-wait" own 2>&1; echo "rc=$?")
expect_eq "own handler without the tracker" "own handler ran: yes
rc=0" "$want"
got=$(HEAPTAG_OUT=$d/r.json timeout 20 env LD_PRELOAD="$LIB" "$PT/signal-wait" own 2>&1; echo "rc=$?")
expect_eq "own handler with the tracker: same output and status" "$want" "$got"
run_check "own handler with the tracker: report at exit" --expect reason=exit "$d/r.json"

d=$SCRATCH/usr2
mkdir "$d"
out=$(HEAPTAG_OUT=$d/r.json HEAPTAG_SIGUSR2=continue timeout 20 env LD_PRELOAD="$LIB" \
    "$PT/signal-wait" usr2 "$d/r.json" "$d/at-signal.json")
expect_eq "usr2=continue: exit status" 0 "$?"
expect_eq "usr2=continue: the program went on" "continued ok" "$out"
run_check "usr2=continue: report written on SIGUSR2" --expect reason=sigusr2 \
    --expect types.Sig.live_bytes=777 --absent-type AfterSignal "$d/at-signal.json"
run_check "usr2=continue: report at exit" --expect reason=exit --expect types.Sig.live_bytes=777 \
    --expect types.AfterSignal.live_bytes=55 "$d/r.json"

d=$SCRATCH/usr2-off
mkdir "$d"
HEAPTAG_OUT=$d/r.json HEAPTAG_SIGUSR2=0 timeout 20 env LD_PRELOAD="$LIB" \
    "$PT/signal-wait" usr2 "$d/r.json" "$d/at-signal.json" >/dev/null 2>&1
rc=$?
expect_eq "usr2 with HEAPTAG_SIGUSR2=0: killed by SIGUSR2" $((128 + $(kill -l USR2))) "$rc"
expect_eq "usr2 with HEAPTAG_SIGUSR2=0: no report" "" "$(ls "$d")"
finish
