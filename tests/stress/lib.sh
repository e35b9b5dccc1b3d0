# Shared by tests/stress/t-*.sh: the tracker tests' helpers (tests/profiler/lib.sh: LIB,
# CHECK, SCRATCH, ok/fail/finish, run_check) plus this folder's programs.  Sourced, not run.
. "$(dirname "${BASH_SOURCE[0]}")/../profiler/lib.sh"
ST=$BUILD/tests/stress
HEAPTAG=$BUILD/bin/heaptag
JEMALLOC=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2

# expect_args FILE: the "KEY=VALUE" lines a test program printed (those
# with a dot: report keys), as report-check --expect arguments in EXPECT.
expect_args() {
    EXPECT=()
    local line
    while IFS= read -r line; do
        case $line in *.*=*) EXPECT+=(--expect "$line") ;; esac
    done <"$1"
}
