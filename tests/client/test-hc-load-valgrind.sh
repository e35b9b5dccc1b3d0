#!/bin/bash
# hc-load under valgrind --leak-check=full, every mode built: no leak, no error, and the
# exact counts hc-load reports (200 kept Responses over 2 connections).
set -u
: "${BUILD:?}"
command -v valgrind >/dev/null || { echo "skip: valgrind not installed"; exit 77; }
. "$(dirname "$0")/serve-helper.sh"
ran=0
for mode in ${MODES:-dict slots allslots}; do
    bin="$BUILD/$mode/bin/hc-load"
    [ -x "$bin" ] || continue
    out=$(valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
        --error-exitcode=99 "$bin" "$HC_SERVE_URL/chunked/300?chunk=100" -n 200 -c 2 --keep 2>&1)
    rc=$?
    echo "$out" | tail -n 3
    if [ $rc -ne 0 ]; then
        echo "FAIL $mode: valgrind/hc-load exit $rc"
        echo "$out" | head -n 60
        exit 1
    fi
    echo "$out" | grep -q "^requests=200 failed=0 connections=2 .* live_responses=200 mode=$mode$" || {
        echo "FAIL $mode: unexpected summary"; exit 1; }
    ran=$((ran + 1))
done
[ $ran -gt 0 ] || { echo "skip: no hc-load built for ${MODES:-}"; exit 77; }
echo "ok: $ran modes clean under valgrind"
