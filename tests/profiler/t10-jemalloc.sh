#!/bin/bash
# Stacked on jemalloc, in both orders.
#
# "libheaptag.so libjemalloc.so.2":
# the deterministic program's figures are exact (usable sizes are
# jemalloc's, which the program measures itself) and the report names
# jemalloc as the allocator.  "libjemalloc.so.2 libheaptag.so": the tracker
# runs the program again with itself first (same figures, no warning);
# where it cannot (started through ld.so), every entry point it exports
# (reallocarray, pvalloc, which jemalloc lacks) still reaches jemalloc, the
# program works, and one warning line says allocations are not counted.
. "$(dirname "$0")/lib.sh"

je=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
if [ ! -e "$je" ]; then
    echo "libjemalloc2 is not installed (scripts/install-deps.sh)"
    exit 77
fi
d=$SCRATCH
HEAPTAG_OUT=$d/report.json timeout 20 env LD_PRELOAD="$LIB $je" \
    "$PT/det-types" "$d/expected" "$d/base.json"
expect_eq "det-types on jemalloc: exit status" 0 "$?"
run_check "det-types on jemalloc: exact figures" --baseline "$d/base.json" \
    --expect-file "$d/expected" --expect allocator~jemalloc \
    --expect types.Request.peak_live_bytes=8600 --expect types.Buffer.live_bytes=4000 \
    "$d/report.json"

d=$SCRATCH/first
mkdir "$d"
HEAPTAG_OUT=$d/report.json timeout 20 sh -c 'echo $$ >"$0"; exec env LD_PRELOAD="$1" "$2" "$3" "$4"' \
    "$d/pid" "$je $LIB" "$PT/det-types" "$d/expected" "$d/base.json" 2>"$d/err"
expect_eq "det-types, jemalloc first: exit status" 0 "$?"
expect_eq "det-types, jemalloc first: no warning" "" "$(cat "$d/err")"
run_check "det-types, jemalloc first: exact figures, same pid" --baseline "$d/base.json" \
    --expect-file "$d/expected" --expect allocator~jemalloc --expect pid="$(cat "$d/pid")" \
    --expect types.Request.peak_live_bytes=8600 --expect types.Buffer.live_bytes=4000 \
    "$d/report.json"

# Through ld.so the order cannot be changed: reallocarray and pvalloc must
# still reach jemalloc (glibc's realloc on a jemalloc block aborted grep and
# crashed ls), and the one warning names jemalloc.
d=$SCRATCH/ldso
mkdir "$d"
for prog in "/bin/ls /" "/bin/grep -r heaptag-none /etc/hostname" "/bin/sed -n 1p /etc/hostname"; do
    # shellcheck disable=SC2086
    want=$(cd "$d" && $prog 2>&1; echo "rc=$?")
    # shellcheck disable=SC2086
    got=$(cd "$d" && HEAPTAG_OUT=$d/r.%p.json timeout 20 /lib64/ld-linux-x86-64.so.2 \
        --preload "$je $LIB" $prog 2>"$d/err"; echo "rc=$?")
    expect_eq "ld.so --preload 'jemalloc heaptag' ${prog%% *}: same output and status" "$want" "$got"
    expect_eq "ld.so --preload 'jemalloc heaptag' ${prog%% *}: one warning" 1 \
        "$(grep -c '^heaptag: malloc is served by .*jemalloc.*allocations are not counted' "$d/err")"
    expect_eq "ld.so --preload 'jemalloc heaptag' ${prog%% *}: nothing else on stderr" 1 "$(wc -l <"$d/err")"
done
run_check "ld.so --preload: reports valid, naming jemalloc" --expect allocator~jemalloc "$d"/r.*.json
finish
