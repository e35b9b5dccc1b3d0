#!/bin/bash
# What -o does with each kind of path (issue 10, item 2).
#
# What -o does with each kind of path (issue 10, item 2; the rules are in
# tools/outfile.h and docs/heaptag-command.md): "-" and paths naming our
# own stdout write through stdout; a character device or FIFO is written in
# place and never replaced; a regular file, or a symbolic link's regular
# target, is replaced atomically and the link itself stays a link; a
# directory, a block device and a link to a missing file are refused.
. "$(dirname "$0")/lib.sh"
need_tracker_and_python
CHILD=$HELPERS/run_child
cd "$tmp" || exit 1
cp "$DATA/demo.json" demo.json
cp "$DATA/demo.json" other.json
"$HT" report demo.json >want.txt || fail "plain report"

# No temporary file may be left behind in DIR.
no_temps() { ls -A "$1" | grep -q 'tmp-' && fail "$2: temporary file left: $(ls -A "$1" | grep tmp-)"; }
is_report() { "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["format"]=="heaptag-report"' "$1"; }

# "-": standard output.
run "$HT" report demo.json -o -
expect_rc 0 "-o -"
expect_same "-o -: the table on stdout" "$tmp/out" want.txt

# The safe repro of the issue: a link to /proc/self/fd/1, stdout a file.
ln -s /proc/self/fd/1 s
"$HT" run -q -o s -- "$CHILD" exit 0 >x 2>err; rc=$?
expect_rc 0 "run -o link-to-stdout"
[ -L s ] || fail "run -o s: the link was replaced ($(ls -l s))"
tail -n +2 x >x.json    # run_child printed "out" first
is_report x.json || fail "run -o s: stdout has no report ($(head -c 200 x))"
"$HT" report demo.json -o s >y; rc=$?
expect_rc 0 "report -o link-to-stdout"
[ -L s ] || fail "report -o s: the link was replaced"
expect_same "report -o s: the table in stdout's file" y want.txt
# /dev/stdout itself, appending as the shell asked.
echo first >z
"$HT" report demo.json -o /dev/stdout >>z || fail "-o /dev/stdout"
[ "$(head -1 z)" = first ] || fail "-o /dev/stdout >>: the file was replaced, not appended to"
[ -L /dev/stdout ] || [ ! -e /dev/stdout ] || [ -c /dev/stdout ] || fail "/dev/stdout is now a $(stat -c %F /dev/stdout)"

# A link to a regular file: the target is replaced, the link stays.
mkdir sub
echo old >sub/real.txt
ln -s sub/real.txt link
ino=$(stat -c %i sub/real.txt)
run "$HT" report demo.json -o link
expect_rc 0 "-o link to a file"
[ -L link ] || fail "-o link: the link was replaced"
expect_same "-o link: the target holds the output" sub/real.txt want.txt
[ "$(stat -c %i sub/real.txt)" != "$ino" ] || fail "-o link: the target was rewritten in place, not replaced"
no_temps . "-o link"; no_temps sub "-o link"
run "$HT" run -q -o link -- "$CHILD" exit 0
expect_rc 0 "run -o link to a file"
[ -L link ] || fail "run -o link: the link was replaced"
is_report sub/real.txt || fail "run -o link: no report in the target"
ls -A sub | grep -q 'tmp-run' && fail "run -o link: temporary report left: $(ls -A sub)"

# A regular file: replaced atomically (a new inode), nothing left over.
echo old >plain.txt
ino=$(stat -c %i plain.txt)
run "$HT" report demo.json -o plain.txt
expect_rc 0 "-o file"
expect_same "-o file: content" plain.txt want.txt
[ "$(stat -c %i plain.txt)" != "$ino" ] || fail "-o file: rewritten in place, not replaced"
no_temps . "-o file"

# A link to a missing file: refused, nothing created through it.
ln -s nowhere/new.txt dangling
run "$HT" report demo.json -o dangling
expect_rc 2 "-o dangling link"
expect_err "-o dangling link" "heaptag: report: cannot write: a symbolic link to a missing file (not followed)"
[ -L dangling ] && [ ! -e nowhere ] || fail "-o dangling: something was created"

# A character device: written in place.
run "$HT" report demo.json -o /dev/null
expect_rc 0 "-o /dev/null"
[ -c /dev/null ] || fail "/dev/null is no longer a character device"
run "$HT" diff demo.json other.json -o /dev/null
expect_rc 0 "diff -o /dev/null"

# A FIFO: written in place, for report, diff and run.
mkfifo fifo
for cmd in "report demo.json" "diff demo.json other.json" "run -q -- $CHILD exit 0"; do
	timeout 60 cat fifo >got &
	reader=$!
	run timeout 60 "$HT" ${cmd%% *} -o fifo ${cmd#* }
	expect_rc 0 "$cmd -o fifo"
	wait "$reader"
	[ -p fifo ] || fail "$cmd -o fifo: the FIFO was replaced"
	[ -s got ] || fail "$cmd -o fifo: nothing came through the FIFO"
done
is_report got || fail "run -o fifo: the FIFO did not carry the report"
ls -A | grep -q 'tmp-run' && fail "run -o fifo: temporary report left: $(ls -A)"

# A directory: refused.
run "$HT" report demo.json -o sub
expect_rc 2 "-o directory"
expect_err "-o directory" "heaptag: report: cannot write: Is a directory"

# A block device (root only: mknod): refused, never opened.
if [ "$(id -u)" = 0 ] && mknod blk b 7 250 2>/dev/null; then
	run "$HT" report demo.json -o blk
	expect_rc 2 "-o block device"
	expect_err "-o block device" "heaptag: report: cannot write: a block device (never written)"
	[ -b blk ] || fail "-o blk: the block device was replaced"
	run "$HT" run -q -o blk -- "$CHILD" exit 0
	expect_rc 2 "run -o block device"
	[ -s "$tmp/out" ] && fail "run -o blk: the program ran anyway"
fi
finish
