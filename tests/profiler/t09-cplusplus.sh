#!/bin/bash
# C++ new/delete, new[]/delete[] (with an array cookie), nothrow and aligned
# new in heaptag::Scope scopes: exact counts and bytes (progs/cpp-new.cc).
#
# The same figures with jemalloc, which defines operator new/delete itself
# (they never call malloc), before and after libheaptag.so in LD_PRELOAD.
. "$(dirname "$0")/lib.sh"

je=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
orders=(alone)
[ -e "$je" ] && orders+=(jemalloc-after jemalloc-first)
for order in "${orders[@]}"; do
    case $order in
        alone) pre=$LIB ;;
        jemalloc-after) pre="$LIB $je" ;;
        jemalloc-first) pre="$je $LIB" ;;
    esac
    d=$SCRATCH/$order
    mkdir "$d"
    HEAPTAG_OUT=$d/report.json timeout 20 env LD_PRELOAD="$pre" \
        "$PT/cpp-new" "$d/expected" "$d/base.json" 2>"$d/err"
    expect_eq "$order: cpp-new exit status" 0 "$?"
    expect_eq "$order: no warning" "" "$(cat "$d/err")"
    run_check "$order: cpp-new report" --baseline "$d/base.json" --expect-file "$d/expected" \
        --expect types.Widget.alloc_calls=3 --expect types.Widget.live_bytes=300 \
        --expect types.Widget.payload.alloc_calls=2 \
        --expect types.Widget.payload.peak_live_bytes=$((3 * 4 + 8 + 128)) \
        --expect types.Gadget.alloc_calls=1 --expect types.Gadget.free_calls=1 \
        "$d/report.json"
done
[ -e "$je" ] || echo "note: libjemalloc2 is not installed; only the order without it ran"

# No C++ runtime at all, yet the operators are called (ld's LTO plugin
# under ar, with its own static libstdc++): built from the tracker's hooks.
d=$SCRATCH/no-runtime
mkdir "$d"
expect_eq "no-cxx-runtime without the tracker" "no operators" "$("$PT/no-cxx-runtime")"
out=$(HEAPTAG_OUT=$d/r.json timeout 20 env LD_PRELOAD="$LIB" "$PT/no-cxx-runtime" 2>&1)
expect_eq "no-cxx-runtime under the tracker: output and status" "ops ok rc=0" "$out rc=$?"
run_check "no-cxx-runtime: the operators' blocks counted" --expect types.Op.alloc_calls=1 \
    --expect types.Op.free_calls=1 --expect types.Op.peak_live_bytes=100 \
    --expect types.OpNothrow.live_bytes=40 --expect totals.failed_calls=1 "$d/r.json"
finish
