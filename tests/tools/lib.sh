# Shared by the heaptag command's shell tests: locate the binary, run a
# command capturing its output and status, compare exactly, count failures.
set -u
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$here/../../build}
HT=$BUILD/bin/heaptag
DATA=$here/data
HELPERS=$BUILD/tests/tools
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -x "$HT" ] || { echo "no $HT; run make first"; exit 1; }

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# run CMD...: stdout to $tmp/out, stderr to $tmp/err, status in $rc.
run() { "$@" >"$tmp/out" 2>"$tmp/err" </dev/null; rc=$?; }

# expect_rc STATUS WHAT
expect_rc() { [ "$rc" = "$1" ] || fail "$2: exit status $rc, expected $1 (stderr: $(head -c 300 "$tmp/err"))"; }

# expect_file WHAT FILE: FILE's content must equal stdin exactly.
expect_file() {
	cat >"$tmp/expected"
	if ! cmp -s "$tmp/expected" "$2"; then
		fail "$1: output differs"
		diff -u "$tmp/expected" "$2" | head -40
	fi
}

# expect_err WHAT LINE: stderr must be exactly the one line LINE.
expect_err() { printf '%s\n' "$2" | expect_file "$1 (stderr)" "$tmp/err"; }

# expect_grep WHAT FILE REGEX
expect_grep() { grep -qE -- "$3" "$2" || fail "$1: no line matching '$3' in $(basename "$2")"; }

finish() {
	if [ "$fails" -gt 0 ]; then
		echo "$fails failure(s)"
		exit 1
	fi
	echo "all passed"
	exit 0
}
