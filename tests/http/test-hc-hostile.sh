#!/bin/bash
# Hostile servers (issue 6): each gives its error kind, in bounded time, without leaks.
#
# Hostile servers (issue 6): each gives its error kind, in bounded time,
# and the client leaks nothing.  hc runs under valgrind memcheck in every
# mode against hc-serve's hostile endpoints (a header that never ends, a
# chunk that never ends, a reset in the middle of the body, a garbage
# status line, a server that stalls after the headers) and nginx's
# certificates (untrusted without --cacert, wrong host, expired).  Exit
# statuses are curl's codes for the error kind (docs/client.md): 8 weird
# server reply, 56 failure receiving, 28 timeout, 60 certificate problem.
. "$(dirname "$0")/lib.sh"
need valgrind
start_hc_serve
start_nginx

# hostile NAME EXPECTED-EXIT MAX-SECONDS HC-ARGS...
hostile() {
    local name=$1 want=$2 limit=$3
    shift 3
    local start end rc
    start=$(date +%s%N)
    timeout 60 valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=99 "$@" >/dev/null 2>"$WORK/vg.err"
    rc=$?
    end=$(date +%s%N)
    check "$name: exit status (the error kind)" "$want" "$rc"
    check "$name: no leak, no memory error" "" "$(grep -E 'definitely lost|indirectly lost|Invalid (read|write)' "$WORK/vg.err" | head -1)"
    if [ $(( (end - start) / 1000000000 )) -ge "$limit" ]; then
        fail "$name: took $(( (end - start) / 1000000 )) ms, bound ${limit} s"
    else
        pass "$name: within ${limit} s"
    fi
}

for m in $MODES; do
    hc=$BUILD/$m/bin/hc
    [ -x "$hc" ] || skip "$hc not built"
    hostile "[$m] endless header" 8 20 "$hc" -s --max-time 10 "$HS/bad/endless-header"
    hostile "[$m] endless chunk" 8 20 "$hc" -s --max-time 10 "$HS/bad/endless-chunk"
    hostile "[$m] reset mid-body" 56 20 "$hc" -s --max-time 10 "$HS/bad/reset-mid-body"
    hostile "[$m] garbage status line" 8 20 "$hc" -s --max-time 10 "$HS/bad/garbage-status"
    hostile "[$m] stall after the headers" 28 15 "$hc" -s --max-time 2 "$HS/stall"
    hostile "[$m] untrusted certificate" 60 20 "$hc" -s "$NGS/"
    hostile "[$m] wrong host" 60 20 "$hc" -s --cacert "$NGINX_CA" "https://127.0.0.1:$NGINX_WRONGHOST_PORT/"
    hostile "[$m] expired certificate" 60 20 "$hc" -s --cacert "$NGINX_CA" "https://127.0.0.1:$NGINX_EXPIRED_PORT/"
    hostile "[$m] good certificate (control)" 0 20 "$hc" -s --cacert "$NGINX_CA" "$NGS/"
done
finish
