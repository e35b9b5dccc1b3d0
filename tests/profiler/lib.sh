# Shared by the tracker tests (tests/profiler/t*.sh): paths, a scratch
# directory removed on exit, and small assertions.  Sourced, not run.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
PT=$BUILD/tests/profiler
LIB=$BUILD/lib/libheaptag.so
CHECK=$PT/report-check
# The tracker must never see the tools that check it.
unset LD_PRELOAD HEAPTAG_OUT HEAPTAG_DUMP_ON_SIGNAL HEAPTAG_SIGUSR2 HEAPTAG_QUIET

for f in "$LIB" "$CHECK"; do
    if [ ! -e "$f" ]; then
        echo "missing $f (run make profiler-tests and make $LIB)" >&2
        exit 1
    fi
done

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/heaptag-test.XXXXXX")
cleanup() {
    chmod -R u+w "$SCRATCH" 2>/dev/null
    rm -rf "$SCRATCH"
}
trap cleanup EXIT

FAILS=0
fail() {
    echo "FAIL: $*"
    FAILS=$((FAILS + 1))
}
ok() {
    echo "ok: $*"
}

# run_check DESCRIPTION report-check-args...: run the checker, show its output.
run_check() {
    local what=$1
    shift
    local out
    if out=$("$CHECK" "$@" 2>&1); then
        ok "$what"
    else
        fail "$what: report-check $*"
        printf '%s\n' "$out" | sed 's/^/    /'
    fi
}

# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq() {
    if [ "$2" = "$3" ]; then
        ok "$1"
    else
        fail "$1: expected [$2], got [$3]"
    fi
}

# Preload the tracker for one command: with_tracker CMD...
with_tracker() {
    LD_PRELOAD=$LIB "$@"
}

finish() {
    if [ "$FAILS" -gt 0 ]; then
        echo "$FAILS check(s) failed"
        exit 1
    fi
    echo "all checks passed"
    exit 0
}
