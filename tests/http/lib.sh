# Shared helpers of the tests in tests/http/ (sourced).
#
# Each test calls start_* for the servers it needs; one EXIT trap stops
# them all, so a failing or interrupted test never leaves a server behind.

set -u
HTTP_TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HTTP_TESTS_DIR/../.." && pwd)
FIXTURES=$REPO/tests/fixtures
BUILD=${BUILD:-$REPO/build}
MODES=${MODES:-dict slots allslots}
PY=/usr/bin/python3
HC_SERVE=$BUILD/bin/hc-serve
PATTERN=0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-

WORK=$(mktemp -d "${TMPDIR:-/tmp}/heaptag-http.XXXXXX")
failures=0
checks=0
STOPS=()

cleanup_all() {
    local s
    for s in "${STOPS[@]}"; do
        eval "$s" >/dev/null 2>&1 || true
    done
    rm -rf "$WORK"
}
trap cleanup_all EXIT
trap 'exit 1' INT TERM

skip() { echo "SKIP: $*"; exit 77; }
need() { [ -x "$1" ] || command -v "$1" >/dev/null 2>&1 || skip "$1 not available"; }

pass() { checks=$((checks + 1)); echo "ok   $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL $*"; }

# check NAME EXPECTED ACTUAL
check() {
    if [ "$2" == "$3" ]; then pass "$1"; else fail "$1: expected '$2', got '$3'"; fi
}

# check_files NAME EXPECTED_FILE ACTUAL_FILE: byte-for-byte.
check_files() {
    if cmp -s "$2" "$3"; then
        pass "$1"
    else
        fail "$1: files differ ($(wc -c <"$2") vs $(wc -c <"$3") bytes)"
        diff <(head -c 2000 "$2" | od -c | head -8) <(head -c 2000 "$3" | od -c | head -8) | head -10
    fi
}

# pattern N: hc-serve's (and the nginx docroot's) body of N bytes.
pattern() { (yes "$PATTERN" || true) | head -c "$1"; }

finish() {
    echo "$checks checks, $failures failed"
    [ "$failures" -eq 0 ]
    exit $?
}

start_hc_serve() {
    [ -x "$HC_SERVE" ] || skip "$HC_SERVE not built"
    HC_SERVE="$HC_SERVE" HCSERVE_MAX_SECONDS=300 "$FIXTURES/start-hc-serve.sh" "$WORK/hc-serve" >/dev/null || exit 1
    STOPS+=("'$FIXTURES/start-hc-serve.sh' --stop '$WORK/hc-serve'")
    . "$WORK/hc-serve/env"
    HS=http://127.0.0.1:$HCSERVE_PORT
}

start_nginx() {
    NGINX_MAX_SECONDS=300 "$FIXTURES/start-nginx.sh" "$WORK/nginx" >/dev/null
    local rc=$?
    [ $rc -eq 77 ] && skip "nginx not installed"
    [ $rc -eq 0 ] || exit 1
    STOPS+=("'$FIXTURES/start-nginx.sh' --stop '$WORK/nginx'")
    . "$WORK/nginx/env"
    NG=http://127.0.0.1:$NGINX_HTTP_PORT
    NGS=https://127.0.0.1:$NGINX_HTTPS_PORT
}

start_httpbin() {
    HTTPBIN_MAX_SECONDS=300 "$FIXTURES/start-httpbin.sh" "$WORK/httpbin" >/dev/null
    local rc=$?
    [ $rc -eq 77 ] && skip "python3-httpbin not installed"
    [ $rc -eq 0 ] || exit 1
    STOPS+=("'$FIXTURES/start-httpbin.sh' --stop '$WORK/httpbin'")
    . "$WORK/httpbin/env"
    HB=http://127.0.0.1:$HTTPBIN_PORT
}
