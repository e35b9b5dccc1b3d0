#!/bin/bash
# Run each test given on the command line (an executable: a cmocka binary or a script), one
# after another.
#
# Each test's output goes to $BUILD/test-logs/<name>.log; a failing test's log is printed
# in full. Exit status 77 means "skipped" (the automake convention), anything else non-zero
# is a failure.  The last line is the summary CI reads: N passed, N failed, N skipped
set -u
: "${BUILD:?BUILD must name the build directory}"
logdir="$BUILD/test-logs"
mkdir -p "$logdir"
passed=0 failed=0 skipped=0 failed_names=()
for t in "$@"; do
    name=$(echo "$t" | sed 's|^\./||; s|^'"$BUILD"'/||; s|/|_|g')
    log="$logdir/$name.log"
    start=$(date +%s.%N)
    "$t" >"$log" 2>&1 </dev/null
    rc=$?
    secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-s}')
    if [ $rc -eq 0 ]; then
        passed=$((passed + 1)); printf 'PASS  %-50s %6ss\n' "$t" "$secs"
    elif [ $rc -eq 77 ]; then
        skipped=$((skipped + 1)); printf 'SKIP  %-50s %s\n' "$t" "$(tail -n 1 "$log")"
    else
        failed=$((failed + 1)); failed_names+=("$t")
        printf 'FAIL  %-50s %6ss (exit %d)\n' "$t" "$secs" "$rc"
        sed 's/^/    | /' "$log" | tail -n 60
    fi
done
if [ $failed -gt 0 ]; then
    echo "failed tests: ${failed_names[*]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
