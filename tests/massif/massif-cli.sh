#!/bin/bash
# `heaptag massif` command line: exact figures from real files, one-line errors.
#
# `heaptag massif` command line: --parse on real massif.out files prints the
# exact peak and top functions; corrupted files, bad usage, a missing
# valgrind and a failing command each give exactly one line on stderr
# starting "heaptag: massif: ", nothing on stdout, and exit status 2.
set -u
: "${BUILD:?BUILD must name the build directory}"
here=$(cd "$(dirname "$0")" && pwd)
fx="$here/fixtures"
heaptag="$BUILD/bin/heaptag"
[ -x "$heaptag" ] || { echo "missing $heaptag"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

check() { # name, condition-result
    if [ "$2" = 0 ]; then echo "ok   $1"; else echo "FAIL $1"; fails=$((fails + 1)); fi
}

# expect_error NAME WANT CMD...: exit 2, one stderr line mentioning WANT, no stdout
expect_error() {
    local name=$1 want=$2; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    local rc=$? lines
    lines=$(wc -l <"$tmp/err")
    if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && [ ! -s "$tmp/out" ] &&
       grep -q '^heaptag: massif: ' "$tmp/err" && grep -qF -- "$want" "$tmp/err"; then
        echo "ok   $name: $(cat "$tmp/err")"
    else
        echo "FAIL $name: exit $rc, $lines stderr lines, wanted \"$want\""
        sed 's/^/     err| /' "$tmp/err"; head -5 "$tmp/out" | sed 's/^/     out| /'
        fails=$((fails + 1))
    fi
}

# --- summaries of real files -------------------------------------------
"$heaptag" massif --parse "$fx/peak_prog.massif.out" >"$tmp/p1" 2>"$tmp/e1"
check "--parse peak_prog exits 0" $?
grep -Eq '^  peak heap \(requested bytes\) +128000$' "$tmp/p1"; check "peak 128000" $?
grep -Eq '^  extra heap at peak \(bytes\) +8016$' "$tmp/p1"; check "extra 8016" $?
grep -Eq '^ +64000  grow_buffer \(massif_peak_prog\.c:34\)$' "$tmp/p1"; check "grow_buffer 64000" $?
grep -Eq '^ +48000  build_list \(massif_peak_prog\.c:47\)$' "$tmp/p1"; check "build_list 48000" $?
grep -Eq '^ +16000  make_table \(massif_peak_prog\.c:59\)$' "$tmp/p1"; check "make_table 16000" $?
[ ! -s "$tmp/e1" ]; check "--parse is quiet on stderr" $?

# two files: the change column A -> B
"$heaptag" massif --top 2 --parse "$fx/peak_prog.massif.out" "$fx/perl_hash.massif.out" >"$tmp/p2"
check "--parse A B exits 0" $?
grep -Eq '^  peak heap \(requested bytes\) +128000 +639987  \+511987 \(\+400\.0%\)$' "$tmp/p2"
check "peak change +511987 (+400.0%)" $?
grep -Eq '^ +0 +343864  \+343864 \(new\) +Perl_safesysrealloc \(in /usr/bin/perl\)$' "$tmp/p2"
check "perl top function is new in B" $?
[ "$(grep -c '^ \+[0-9]\+ \+[0-9]\+  [-+]' "$tmp/p2")" -ge 2 ]; check "--top 2 rows" $?

# --- corrupted files ---------------------------------------------------
head -c 9000 "$fx/peak_prog.massif.out" >"$tmp/trunc.out"
expect_error "truncated file" "truncated" "$heaptag" massif --parse "$tmp/trunc.out"
sed '0,/^mem_heap_B=/s/^mem_heap_B=.*/mem_heap_B=12k/' "$fx/peak_prog.massif.out" >"$tmp/badnum.out"
expect_error "bad number" "bad number" "$heaptag" massif --parse "$tmp/badnum.out"
sed '1s/^desc:/description:/' "$fx/peak_prog.massif.out" >"$tmp/hdr.out"
expect_error "wrong header" "not a massif.out file" "$heaptag" massif --parse "$tmp/hdr.out"
# peak tree with its first child deleted: the root declares more children
awk '/heap_tree=peak/{p=1; print; next} p==1 && /^ n/{p=2; next} {print}' \
    "$fx/peak_prog.massif.out" >"$tmp/tree.out"
expect_error "damaged tree" "heap tree" "$heaptag" massif --parse "$tmp/tree.out"
: >"$tmp/empty.out"
expect_error "empty file" "empty file" "$heaptag" massif --parse "$tmp/empty.out"
head -c 4000 /dev/urandom >"$tmp/random.out"
expect_error "random bytes" "massif" "$heaptag" massif --parse "$tmp/random.out"
expect_error "missing file" "No such file" "$heaptag" massif --parse "$tmp/nonexistent.out"

# --- usage -------------------------------------------------------------
expect_error "no command" "no command" "$heaptag" massif
expect_error "nothing after ---" "no command after" "$heaptag" massif -- /bin/true ---
# --format json: the figures validate/footprint.py and tests/crosscheck read
"$heaptag" massif --format json --parse "$fx/peak_prog.massif.out" >"$tmp/j1" 2>"$tmp/e1"
check "--format json exits 0" $?
python3 - "$tmp/j1" <<'PY'; check "json peak 128000, extra 8016, 97 snapshots, grow_buffer first" $?
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
assert r["peak"]["heap_B"] == 128000 and r["peak"]["heap_extra_B"] == 8016, r["peak"]
assert r["snapshots"] == 97 and r["peak"]["snapshot"] == 63, r
assert r["top_functions"][0] == {"function": "grow_buffer", "where": "massif_peak_prog.c:34",
                                 "bytes": 64000}, r["top_functions"][0]
PY
expect_error "bad --format" "--format" "$heaptag" massif --format xml --parse "$fx/peak_prog.massif.out"
expect_error "bad --top" "--top" "$heaptag" massif --top zero --parse "$fx/peak_prog.massif.out"
expect_error "unknown option" "unknown option" "$heaptag" massif --frobnicate -- /bin/true

# --- environment and failing commands ----------------------------------
expect_error "missing valgrind" "valgrind not found" env PATH=/nonexistent "$heaptag" massif -- /bin/true
lib="$BUILD/lib/libheaptag.so"
expect_error "missing libheaptag" "libheaptag.so not found" \
    env HEAPTAG_LIB="$tmp/no-such-lib.so" "$heaptag" massif -- /bin/true
if [ -f "$lib" ]; then
    expect_error "failing command" "exited with status 1 under valgrind" \
        env HEAPTAG_LIB="$lib" "$heaptag" massif -- /bin/false
    expect_error "command not found" "status 127" \
        env HEAPTAG_LIB="$lib" "$heaptag" massif -- "$tmp/no-such-program"
    expect_error "failing B command" "'/bin/sh' exited with status 3 under valgrind" \
        env HEAPTAG_LIB="$lib" "$heaptag" massif -- /bin/true --- -- /bin/sh -c 'exit 3'
else
    echo "FAIL $lib missing: cannot test failing commands"; fails=$((fails + 1))
fi

echo "$fails failed"
[ $fails -eq 0 ]
