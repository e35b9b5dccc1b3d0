#!/bin/bash
# vfork, posix_spawn and exec chains: one report per process image that ends.
#
# vfork, posix_spawn and exec chains: each process image that ends leaves
# one report under its pid (an exec chain: only its last image, the
# earlier images' blocks gone); a vfork child that _exit()s or fails to
# exec leaves none and does not disturb its parent's figures.
. "$(dirname "$0")/lib.sh"

d=$SCRATCH/r
mkdir "$d"
HEAPTAG_OUT=$d/r.%p.json timeout 60 env LD_PRELOAD="$LIB" "$ST/spawn-chain" "$ST/spawn-chain" \
    >"$SCRATCH/out"
expect_eq "spawn-chain exit status" 0 "$?"
want=0
while read -r what pid prog; do
    case $what in
    report)
        want=$((want + 1))
        if [ "$prog" = spawn-chain ] && [ "$want" -gt 1 ]; then
            # a chain's last image: one 100-byte Chain block
            run_check "pid $pid (exec chain end)" --expect pid="$pid" --expect program=spawn-chain \
                --expect types.Chain.alloc_calls=1 --expect types.Chain.live_bytes=100 "$d/r.$pid.json"
        elif [ "$want" -eq 1 ]; then
            run_check "pid $pid (the parent)" --expect pid="$pid" --absent-type Chain "$d/r.$pid.json"
        else
            run_check "pid $pid ($prog)" --expect pid="$pid" --expect program="$prog" "$d/r.$pid.json"
        fi ;;
    none)
        if [ -e "$d/r.$pid.json" ]; then fail "pid $pid (vfork child) left a report"; else ok "pid $pid: no report"; fi ;;
    esac
done <"$SCRATCH/out"
expect_eq "number of reports" "$want" "$(ls "$d" | wc -l)"
finish
