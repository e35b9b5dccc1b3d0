#!/bin/bash
# The heaptag command facing bad input and bad output paths.
#
# The heaptag command facing bad input and bad output paths: truncated,
# corrupt, deeply nested, oversized and wrong-version reports and massif
# files, absent files, directories; output to a character device (a
# scratch copy of /dev/full: the real one must never be renamed over), a
# path under a regular file, a missing directory.  Each gives one line on
# stderr starting "heaptag: ", exit status 2, nothing on stdout and nothing
# left behind.
. "$(dirname "$0")/lib.sh"
[ -x "$HEAPTAG" ] || { echo "missing $HEAPTAG"; exit 1; }

d=$SCRATCH/in
mkdir "$d"
good=$TOP/tests/profiler/data/good-report.json
head -c 300 "$good" >"$d/truncated.json"
sed 's/"version":1/"version":2/; s/"version": 1/"version": 2/' "$good" >"$d/version2.json"
printf '\x00\x01\x02garbage\xff' >"$d/binary.json"
: >"$d/empty.json"
/usr/bin/python3 -c 'import sys; sys.stdout.write("[" * 100000 + "]" * 100000)' >"$d/deep.json"
# 20 MB: a valid report with one enormous program name
/usr/bin/python3 - "$good" "$d/oversized.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["program"] = "x" * (20 << 20)
json.dump(r, open(sys.argv[2], "w"))
PY
mkdir "$d/a-directory"
printf 'desc: x\ncmd: y\ntime_unit: i\n#-----------\nsnapshot=0\n#-----------\ntime=0\nmem_heap_B=abc\n' >"$d/bad.massif"
printf 'desc: --x\ncmd: ./p\ntime_unit: i\n#-----------\nsnapshot=0\n#-----------\ntime=0\nmem_heap_B=10\nmem_heap_extra_B=0\nmem_stacks_B=0\nheap_tree=peak\nn5: 10 (heap allocation functions)\n' >"$d/tree-lies.massif"
head -c 2000 "$TOP/tests/massif/fixtures/peak_prog.massif.out" >"$d/truncated.massif"

# rejects NAME CMD...: one line "heaptag: ...", exit 2, empty stdout
rejects() {
    local name=$1
    shift
    "$@" >"$SCRATCH/stdout" 2>"$SCRATCH/stderr"
    local rc=$? lines
    lines=$(wc -l <"$SCRATCH/stderr")
    if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && grep -q '^heaptag' "$SCRATCH/stderr" &&
        [ ! -s "$SCRATCH/stdout" ]; then
        ok "$name: $(cut -c 1-150 "$SCRATCH/stderr")"
    else
        fail "$name: exit $rc, $lines stderr line(s), $(wc -c <"$SCRATCH/stdout") stdout bytes"
        head -c 600 "$SCRATCH/stderr" | sed 's/^/    /'
    fi
}

# A 20 MB report is valid (nothing in the format bounds a name): it must be
# read in bounded time without a crash, whatever the answer.
for c in report diff check; do
    args=("$d/oversized.json")
    [ $c = diff ] && args=("$good" "$d/oversized.json")
    [ $c = check ] && args+=(--budget untagged=1)
    timeout 30 "$HEAPTAG" $c "${args[@]}" >/dev/null 2>&1
    rc=$?
    [ $rc -le 2 ] && ok "$c of a 20 MB report: exit $rc" || fail "$c of a 20 MB report: exit $rc"
done
for f in truncated version2 binary empty deep; do
    rejects "report $f.json" timeout 30 "$HEAPTAG" report "$d/$f.json"
    rejects "diff with $f.json" timeout 30 "$HEAPTAG" diff "$good" "$d/$f.json"
    rejects "check $f.json" timeout 30 "$HEAPTAG" check "$d/$f.json" --budget untagged=1
done
rejects "report of an absent file" "$HEAPTAG" report "$d/absent.json"
rejects "report of a directory" "$HEAPTAG" report "$d/a-directory"
for f in bad tree-lies truncated; do
    rejects "massif --parse $f.massif" timeout 30 "$HEAPTAG" massif --parse "$d/$f.massif"
done
rejects "massif --parse of an absent file" "$HEAPTAG" massif --parse "$d/absent.massif"
rejects "massif --parse of a directory" "$HEAPTAG" massif --parse "$d/a-directory"

o=$SCRATCH/out
mkdir "$o"
if [ "$(id -u)" = 0 ] && mknod "$o/full" c 1 7 2>/dev/null; then
    rejects "diff -o a copy of /dev/full" "$HEAPTAG" diff -o "$o/full" "$good" "$good"
    expect_eq "the device node is still a device" "character special file" "$(stat -c %F "$o/full")"
else
    echo "note: cannot make a /dev/full node here; using /dev/full itself only if the tool refuses"
fi
printf 'x\n' >"$o/file"
rejects "diff -o under a regular file" "$HEAPTAG" diff -o "$o/file/out.html" "$good" "$good"
rejects "diff -o in a missing directory" "$HEAPTAG" diff -o "$o/missing/out.html" "$good" "$good"
rejects "diff -o onto a directory" "$HEAPTAG" diff -o "$o" "$good" "$good"
rejects "run -o under a regular file" "$HEAPTAG" run -o "$o/file/r.json" -- /bin/true
expect_eq "nothing left in the output directory" "file full" "$(ls "$o" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "no report files left by run" "" "$(ls -a "$o" | grep -i 'heaptag\|tmp')"
finish
