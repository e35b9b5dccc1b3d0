# Shared by the rule-pack tests: the heaptag binary, the packs, a scratch
# directory, failure counting and figures.py (run by Debian's python3).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-$top/build}
HT=$BUILD/bin/heaptag
PACKS=$top/profiler/rules
PY=/usr/bin/python3
FIG="$PY $here/figures.py"
SITES="$PY $here/site_functions.py"
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

finish() {
	if [ "$fails" -gt 0 ]; then
		echo "$fails failure(s)"
		exit 1
	fi
	echo "all passed"
	exit 0
}
