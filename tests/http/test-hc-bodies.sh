#!/bin/bash
# hc against replies no real server sends: gzip bombs, odd codings, 1xx runs.
#
# hc against replies no real server sends (issue 10, items 6 and 7 and the
# should-fix list): a gzip bomb streams in bounded memory under ulimit -v,
# --max-filesize stops it with curl's exit 63, codings the client cannot
# undo name themselves, -i shows 1xx heads byte for byte as curl does, an
# endless run of 100 Continue is cut off, and -sS combines as in curl.
. "$(dirname "$0")/lib.sh"
need curl

# serve NAME FILE: start tests/http/canned-once.py on FILE; sets $PORT.
serve() {
    "$PY" "$HTTP_TESTS_DIR/canned-once.py" "$2" >"$WORK/$1.port" &
    local pid=$!
    STOPS+=("kill $pid")
    for _ in $(seq 100); do [ -s "$WORK/$1.port" ] && break; sleep 0.1; done
    PORT=$(head -1 "$WORK/$1.port")
}

# 256 MiB of zeros, gzipped (-1) to about 1.2 MB, sent as Content-Encoding.
BOMB_BYTES=268435456
head -c $BOMB_BYTES /dev/zero | gzip -1 >"$WORK/bomb.gz"
{ printf 'HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n' "$(stat -c %s "$WORK/bomb.gz")"
  cat "$WORK/bomb.gz"; } >"$WORK/bomb.http"
serve bomb "$WORK/bomb.http"; BOMB=http://127.0.0.1:$PORT/

printf 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok' >"$WORK/interim.http"
serve interim "$WORK/interim.http"; INTERIM=http://127.0.0.1:$PORT/

for _ in $(seq 1000); do printf 'HTTP/1.1 100 Continue\r\n\r\n'; done >"$WORK/endless.http"
serve endless "$WORK/endless.http"; ENDLESS=http://127.0.0.1:$PORT/

printf 'HTTP/1.1 200 OK\r\nTransfer-Encoding: foo\r\n\r\nbody' >"$WORK/foo.http"
serve foo "$WORK/foo.http"; FOO=http://127.0.0.1:$PORT/

printf 'hello, layers' | gzip | gzip >"$WORK/gg"
{ printf 'HTTP/1.1 200 OK\r\nContent-Encoding: gzip, gzip\r\nContent-Length: %d\r\n\r\n' "$(stat -c %s "$WORK/gg")"
  cat "$WORK/gg"; } >"$WORK/gg.http"
serve gg "$WORK/gg.http"; GG=http://127.0.0.1:$PORT/

for m in $MODES; do
    hc=$BUILD/$m/bin/hc
    [ -x "$hc" ] || skip "$hc not built"
    # 200 MB of address space: less than the decoded body.
    n=$( (ulimit -v 200000; "$hc" -s --compressed "$BOMB" | wc -c) 2>"$WORK/err"); rc=$?
    check "[$m] gzip bomb streams: bytes written" "$BOMB_BYTES" "$n"
    check "[$m] gzip bomb streams: no error" "" "$(cat "$WORK/err")"
    (ulimit -v 200000; "$hc" -sS --compressed --max-filesize 2000000 "$BOMB" >"$WORK/out" 2>"$WORK/err"); rc=$?
    check "[$m] --max-filesize: curl's exit 63" 63 "$rc"
    check "[$m] --max-filesize: the message" \
        "hc: (63) Maximum body size exceeded: decoded body over 2000000 bytes" "$(cat "$WORK/err")"
    [ "$(stat -c %s "$WORK/out")" -le 2000000 ] && pass "[$m] --max-filesize: at most the limit written" \
        || fail "[$m] --max-filesize: $(stat -c %s "$WORK/out") bytes written"
    # Undecoded (no --compressed): the gzip bytes as sent, as curl does.
    "$hc" -s "$BOMB" >"$WORK/raw"
    check_files "[$m] without --compressed: the body as sent" "$WORK/bomb.gz" "$WORK/raw"

    check "[$m] Content-Encoding: gzip, gzip decoded twice" "hello, layers" "$("$hc" -s --compressed "$GG")"
    "$hc" -sS "$FOO" >/dev/null 2>"$WORK/err"; rc=$?
    check "[$m] Transfer-Encoding: foo: exit 61" 61 "$rc"
    check "[$m] Transfer-Encoding: foo: named" "hc: (61) Unrecognized transfer encoding: foo" "$(cat "$WORK/err")"

    curl -si "$INTERIM" >"$WORK/curl.i"
    "$hc" -si "$INTERIM" >"$WORK/hc.i"
    check_files "[$m] -i shows 1xx heads as curl does" "$WORK/curl.i" "$WORK/hc.i"
    grep -c '^HTTP/1.1 1' "$WORK/hc.i" | { read -r k; check "[$m] -i: both interim heads" 2 "$k"; }

    timeout 30 "$hc" -sS "$ENDLESS" >/dev/null 2>"$WORK/err"; rc=$?
    check "[$m] endless 100 Continue: exit 8" 8 "$rc"
    check "[$m] endless 100 Continue: the message" \
        "hc: (8) Weird server reply: more than 32 interim (1xx) responses" "$(cat "$WORK/err")"

    # Combined short flags, as curl takes them.
    "$hc" -sS http://127.0.0.1:1/ >/dev/null 2>"$WORK/err"; rc=$?
    check "[$m] -sS: exit 7" 7 "$rc"
    case $(cat "$WORK/err") in "hc: (7) "*) pass "[$m] -sS: the error shown" ;; *) fail "[$m] -sS: stderr '$(cat "$WORK/err")'" ;; esac
    "$hc" -s http://127.0.0.1:1/ >/dev/null 2>"$WORK/err"
    check "[$m] -s alone: silent" "" "$(cat "$WORK/err")"
    "$hc" -sSo "$WORK/o1" "$GG" && "$hc" -so"$WORK/o2" --compressed "$GG"
    check "[$m] -sSo FILE: written" 1 "$([ -s "$WORK/o1" ] && echo 1)"
    check "[$m] -soFILE: value attached" "hello, layers" "$(cat "$WORK/o2")"
    "$hc" -sI "$GG" | head -1 | tr -d '\r' >"$WORK/h"
    check "[$m] -sI: head only" "HTTP/1.1 200 OK" "$(cat "$WORK/h")"
done
finish
