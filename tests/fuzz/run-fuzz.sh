#!/bin/bash
# Run every libFuzzer target for FUZZ_SECONDS seconds from its seed corpus.
#
# Run every libFuzzer target for FUZZ_SECONDS (default 5) seconds from its
# seed corpus (tests/fuzz/corpus/<target>/, never written to: new inputs go
# to a scratch directory), after replaying its regression inputs
# (tests/fuzz/regressions/<target>/).  A crash, leak, sanitizer report or
# timeout fails the test; the reproducer is copied to
# build/tests/fuzz/crashes/<target>/ to be added to the regressions.
# Prints one line per target: executions, coverage, corpus size.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
FB=$BUILD/tests/fuzz
SECONDS_EACH=${FUZZ_SECONDS:-5}
unset LD_PRELOAD
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/heaptag-fuzz.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
failed=0
for t in http_head chunked url report massif rules; do
    bin=$FB/fuzz_$t
    [ -x "$bin" ] || { echo "FAIL: $bin missing (make fuzz-targets)"; failed=1; continue; }
    reg=$TOP/tests/fuzz/regressions/$t
    if [ -d "$reg" ] && [ -n "$(ls -A "$reg")" ]; then
        if "$bin" -runs=0 "$reg"/* >"$SCRATCH/$t.regress.log" 2>&1; then
            echo "ok: $t: $(ls "$reg" | wc -l) regression input(s) pass"
        else
            echo "FAIL: $t: a regression input fails again"
            tail -n 30 "$SCRATCH/$t.regress.log"
            failed=1
        fi
    fi
    mkdir -p "$SCRATCH/$t" "$FB/crashes/$t"
    "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=1024 -max_len=8192 \
        -artifact_prefix="$FB/crashes/$t/" -print_final_stats=1 \
        "$SCRATCH/$t" "$TOP/tests/fuzz/corpus/$t" >"$SCRATCH/$t.log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$SCRATCH/$t.log")
    cov=$(grep -o 'cov: [0-9]*' "$SCRATCH/$t.log" | tail -n 1)
    if [ $rc -eq 0 ]; then
        echo "ok: $t: ${execs:-?} executions in ${SECONDS_EACH}s, $cov, $(ls "$SCRATCH/$t" | wc -l) new inputs"
    else
        echo "FAIL: $t: libFuzzer exit $rc after ${execs:-?} executions; reproducer in $FB/crashes/$t/"
        grep -E 'ERROR|SUMMARY|runtime error|^#0|^    #[0-9]' "$SCRATCH/$t.log" | head -n 25
        failed=1
    fi
done
[ $failed -eq 0 ] && echo "all fuzz targets ran clean" || exit 1
