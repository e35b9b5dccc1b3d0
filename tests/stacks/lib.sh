# Shared by the stacks tests: the heaptag binary, the test programs, a
# scratch directory, failure counting, and check.py (Debian's python3, for
# reading JSON and parsing text reports).
set -u
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$here/../../build}
HT=$BUILD/bin/heaptag
PROGS=$BUILD/tests/stacks
SRC=$here/stacks_prog.c
PY=/usr/bin/python3
CHECK="$PY $here/check.py"
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -x "$HT" ] || { echo "no $HT; run make first"; exit 1; }
[ -e "$BUILD/lib/libheaptag.so" ] || { echo "no libheaptag.so; run make first"; exit 1; }
[ -x "$PY" ] || { echo "skip: no $PY"; exit 77; }

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
run() { "$@" >"$tmp/out" 2>"$tmp/err" </dev/null; rc=$?; }
expect_rc() { [ "$rc" = "$1" ] || fail "$2: exit status $rc, expected $1 (stderr: $(head -c 300 "$tmp/err"))"; }
expect_eq() { [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"; }
expect_same() {
	if ! cmp -s "$2" "$3"; then
		fail "$1: differs"
		diff -u "$3" "$2" | head -40
	fi
}
# The line of a MARK comment in a source file.
mark_line() { grep -n "MARK $2\$\|MARK $2 " "$1" | head -1 | cut -d: -f1; }

finish() {
	if [ "$fails" -gt 0 ]; then
		echo "$fails failure(s)"
		exit 1
	fi
	echo "all passed"
	exit 0
}
