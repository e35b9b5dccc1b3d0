# Shared by the stacks tests: the common opening (tests/lib/cli-test.sh), the test programs,
# and check.py (Debian's python3, for reading JSON and parsing text reports).
. "$(dirname "${BASH_SOURCE[0]}")/../lib/cli-test.sh"
need_tracker_and_python
PROGS=$BUILD/tests/stacks
SRC=$here/stacks_prog.c
CHECK="$PY $here/check.py"
# The line of a MARK comment in a source file.
mark_line() { grep -n "MARK $2\$\|MARK $2 " "$1" | head -1 | cut -d: -f1; }
