# The common opening of the tests that drive the heaptag command.
#
# The common opening of the tests that drive the heaptag command (sourced by
# the lib.sh of tests/tools, tests/rules and tests/stacks): where the build
# is, a scratch directory removed on exit, failure counting and the small
# assertions.  $here is the folder of the test script being run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-$top/build}
HT=$BUILD/bin/heaptag
PY=/usr/bin/python3
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -x "$HT" ] || { echo "no $HT; run make first"; exit 1; }
# For the suites that preload the tracker and read reports with python3.
need_tracker_and_python() {
	[ -e "$BUILD/lib/libheaptag.so" ] || { echo "no libheaptag.so; run make first"; exit 1; }
	[ -x "$PY" ] || { echo "skip: no $PY"; exit 77; }
}

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# run CMD...: stdout to $tmp/out, stderr to $tmp/err, status in $rc.
run() { "$@" >"$tmp/out" 2>"$tmp/err" </dev/null; rc=$?; }
# expect_rc STATUS WHAT
expect_rc() { [ "$rc" = "$1" ] || fail "$2: exit status $rc, expected $1 (stderr: $(head -c 300 "$tmp/err"))"; }
expect_eq() { [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"; }
expect_same() {
	if ! cmp -s "$2" "$3"; then
		fail "$1: differs"
		diff -u "$3" "$2" | head -40
	fi
}

finish() {
	if [ "$fails" -gt 0 ]; then
		echo "$fails failure(s)"
		exit 1
	fi
	echo "all passed"
	exit 0
}
