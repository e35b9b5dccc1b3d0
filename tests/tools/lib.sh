# Shared by the heaptag command's shell tests: the common opening (tests/lib/cli-test.sh),
# their data and helpers, and exact comparisons of output files and stderr.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/cli-test.sh"
DATA=$here/data
HELPERS=$BUILD/tests/tools

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
