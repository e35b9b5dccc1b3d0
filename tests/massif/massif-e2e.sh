#!/bin/bash
# End to end:
#
# `heaptag massif` runs massif_peak_prog at two scales under valgrind's massif and under
# heaptag.  The program's peak is exactly SCALE*128 requested bytes
# (tests/massif/massif_peak_prog.c), reached at a single stable point, and massif runs with
# --peak-inaccuracy=0, so both tools must report exactly 128000 and 384000, and the A->B
# change exactly.
set -u
: "${BUILD:?BUILD must name the build directory}"
heaptag="$BUILD/bin/heaptag"
prog="$BUILD/tests/massif/massif_peak_prog"
for f in "$heaptag" "$prog" "$BUILD/lib/libheaptag.so"; do
    [ -e "$f" ] || { echo "missing $f"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
expect() { # regex, description
    if grep -Eq -- "$1" "$tmp/out"; then echo "ok   $2"; else echo "FAIL $2 (no line matching /$1/)"; fails=$((fails + 1)); fi
}

HEAPTAG_LIB="$BUILD/lib/libheaptag.so" "$heaptag" massif --keep "$tmp/keep" \
    --label small -- "$prog" 1000 --- --label big -- "$prog" 3000 >"$tmp/out" 2>"$tmp/err"
rc=$?
cat "$tmp/out" "$tmp/err"
[ $rc -eq 0 ] || { echo "FAIL heaptag massif exited $rc"; exit 1; }

expect '^  peak heap \(requested bytes\) +128000 +384000  \+256000 \(\+200\.0%\)$' "massif peaks 128000 -> 384000"
expect '^ +64000 +192000  \+128000 \(\+200\.0%\) +grow_buffer \(massif_peak_prog\.c:34\)$' "grow_buffer at the peak"
expect '^ +48000 +144000  \+96000 \(\+200\.0%\) +build_list \(massif_peak_prog\.c:47\)$' "build_list at the peak"
expect '^ +16000 +48000  \+32000 \(\+200\.0%\) +make_table \(massif_peak_prog\.c:59\)$' "make_table at the peak"
expect '^  heaptag peak_live_bytes +128000 +384000  \+256000 \(\+200\.0%\)$' "heaptag peaks equal massif's"
expect '^  massif peak mem_heap_B +128000 +384000  ' "massif column of the comparison"
expect '^  difference \(heaptag - massif\) +\+0 +\+0$' "difference is exactly zero"
# 1 malloc + 10 (12) reallocs doubling 64 up to 64000 (192000) + SCALE nodes + calloc + scratch
expect '^  heaptag alloc_calls +1013 +3015  ' "heaptag alloc_calls 1013 and 3015"

# --keep leaves the real massif.out files, which --parse reads back
for f in massif.A.out massif.B.out massif.A.log heaptag.A.log; do
    [ -f "$tmp/keep/$f" ] && echo "ok   kept $f" || { echo "FAIL $f not kept"; fails=$((fails + 1)); }
done
"$heaptag" massif --parse "$tmp/keep/massif.B.out" >"$tmp/out"
expect '^  peak heap \(requested bytes\) +384000$' "--parse of the kept file"
grep -q -- '--peak-inaccuracy=0' "$tmp/keep/massif.A.out" && echo "ok   exact-peak option used" ||
    { echo "FAIL massif ran without --peak-inaccuracy=0"; fails=$((fails + 1)); }

echo "$fails failed"
[ $fails -eq 0 ]
