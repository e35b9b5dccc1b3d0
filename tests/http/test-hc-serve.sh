#!/bin/bash
# hc-serve's own endpoints, checked with curl and raw sockets.
#
# hc-serve's own endpoints, checked with curl and raw sockets: exact bodies,
# headers and framing, keep-alive and pipelining, bad requests, hostile
# modes, and its lifecycle (SIGTERM, --max-seconds, bad options).
. "$(dirname "$0")/lib.sh"
need curl
need "$PY"
start_hc_serve
cd "$WORK" || exit 1

# ---- bodies ----
for n in 0 1 64 100000 3000000; do
    pattern "$n" > exp.$n
    curl -s "$HS/bytes/$n" -o got.$n
    check_files "/bytes/$n body" exp.$n got.$n
done
check "/bytes/1000 head" "$(printf 'HTTP/1.1 200 OK\r\nServer: hc-serve\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000\r\n\r\n')" \
    "$(curl -sI "$HS/bytes/1000")"
check "HEAD sends no body" "0" "$(curl -s -I "$HS/bytes/1000" -o /dev/null -w '%{size_download}')"
check "/bytes/abc is 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$HS/bytes/abc")"
check "/bytes/-1 is 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$HS/bytes/-1")"

pattern 100000 > exp.100000
curl -s "$HS/chunked/100000?chunk=1000" -o got.chunked
check_files "/chunked/100000 body" exp.100000 got.chunked
curl -s --raw "$HS/chunked/100000?chunk=1000" -o raw.chunked
check "/chunked 100 chunk lines of 3e8" 100 "$(grep -a -c $'^3e8\r$' raw.chunked)"
check "/chunked trailer" "$(printf '0\r\nX-Body-Length: 100000\r\n\r\n')" "$(tail -c 28 raw.chunked)"
check "/chunked default chunk 4096" 1 "$(curl -s --raw "$HS/chunked/5000" | grep -a -c $'^1000\r$')"
check "/chunked?chunk=0 is 400" 400 "$(curl -s -o /dev/null -w '%{http_code}' "$HS/chunked/10?chunk=0")"
check "/chunked HTTP/1.0 is close-delimited" "$(pattern 10)" "$(curl -s -0 "$HS/chunked/10")"

curl -s -D hdr.close "$HS/close/5000" -o got.close
pattern 5000 > exp.5000
check_files "/close/5000 body" exp.5000 got.close
check "/close has Connection: close" 1 "$(grep -c $'^Connection: close\r$' hdr.close)"
check "/close has no Content-Length" 0 "$(grep -ci '^Content-Length' hdr.close)"

curl -s --compressed "$HS/gzip/100000" -o got.gzip
check_files "/gzip/100000 decoded" exp.100000 got.gzip
curl -s "$HS/gzip/100000" -o raw.gzip -D hdr.gzip
check "/gzip raw is gzip" "$(cat exp.100000)" "$(gzip -dc raw.gzip)"
check "/gzip Content-Encoding" 1 "$(grep -c $'^Content-Encoding: gzip\r$' hdr.gzip)"
check "/gzip Content-Length is the compressed size" "$(wc -c <raw.gzip)" "$(sed -n 's/^Content-Length: \([0-9]*\)\r$/\1/p' hdr.gzip)"
curl -s "$HS/deflate/100000" -o raw.deflate
check "/deflate raw is zlib format" "$(cat exp.100000)" "$("$PY" -c 'import sys,zlib;sys.stdout.write(zlib.decompress(open("raw.deflate","rb").read()).decode())')"
curl -s --compressed "$HS/deflate/100000" -o got.deflate
check_files "/deflate/100000 decoded by curl" exp.100000 got.deflate

check "/json" '{"items": [{"id": 1, "label": "alpha", "ok": true}, {"id": 2, "label": "beta", "ok": false, "ratio": 0.5}], "name": "hc-serve", "nothing": null, "text": "caf\u00e9 \"quoted\" \\ tab\t", "version": 1}' \
    "$(curl -s "$HS/json" | "$PY" -c 'import json,sys;print(json.dumps(json.load(sys.stdin),sort_keys=True))')"

# ---- redirects ----
check "/redirect/5 -L lands on /bytes/16" "$(pattern 16) 5 200" \
    "$(curl -sL -w ' %{num_redirects} %{http_code}' "$HS/redirect/5")"
check "/redirect/2 Location" "/redirect/1" "$(curl -s -o /dev/null -w '%{redirect_url}' "$HS/redirect/2" | sed 's|^http://[^/]*||')"
check "/redirect/0 is 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$HS/redirect/0")"
check "/redirect-to 307" "307 /json" "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$HS/redirect-to?url=%2Fjson&status=307" | sed 's|http://[^/]*||')"
check "/redirect-to -L" "$(pattern 7)" "$(curl -sL "$HS/redirect-to?url=/bytes/7")"
check "/redirect-to status=200 is 400" 400 "$(curl -s -o /dev/null -w '%{http_code}' "$HS/redirect-to?url=/x&status=200")"
check "/redirect-to CRLF injection is 400" 400 "$(curl -s -o /dev/null -w '%{http_code}' "$HS/redirect-to?url=/x%0d%0aSet-Cookie:a=b")"

# ---- status and headers ----
for code in 200 201 204 301 304 404 418 500 503 599; do
    check "/status/$code" "$code" "$(curl -s -o /dev/null -w '%{http_code}' "$HS/status/$code")"
done
check "/status/418 body" "418 I'm a teapot" "$(curl -s "$HS/status/418")"
check "/status/99 is 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$HS/status/99")"
check "/status/600 is 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$HS/status/600")"
check "/headers/50" 50 "$(curl -sI "$HS/headers/50" | grep -c '^X-Header-')"
check "/headers/3 last" "X-Header-3: value-3" "$(curl -sI "$HS/headers/3" | grep '^X-Header-3' | tr -d '\r')"
check "no Date header anywhere" 0 "$(curl -sI "$HS/json" | grep -ci '^Date:')"

# ---- echo ----
check "/echo POST -d" 'POST hello 5 application/x-www-form-urlencoded' \
    "$(curl -s -d hello "$HS/echo" | "$PY" -c 'import json,sys;d=json.load(sys.stdin);print(d["method"],d["body"],d["body_length"],dict(d["headers"])["Content-Type"])')"
"$PY" -c 'import sys;sys.stdout.buffer.write(bytes(range(256)))' > all.bytes
check "/echo PUT binary round-trips" "256 True" \
    "$(curl -s -X PUT --data-binary @all.bytes "$HS/echo" | "$PY" -c 'import json,sys;d=json.load(sys.stdin);print(d["body_length"],d["body"].encode("latin-1")==bytes(range(256)))')"
check "/echo chunked upload" "300000 True" \
    "$(pattern 300000 | curl -s -H 'Transfer-Encoding: chunked' --data-binary @- "$HS/echo" | "$PY" -c 'import json,sys;d=json.load(sys.stdin);print(d["body_length"],dict(d["headers"]).get("Transfer-Encoding")=="chunked")')"
check "/echo 2 MB with Expect: 100-continue" "2000000 100-continue" \
    "$(pattern 2000000 | curl -s -H 'Expect: 100-continue' --data-binary @- "$HS/echo" | "$PY" -c 'import json,sys;d=json.load(sys.stdin);print(d["body_length"],dict(d["headers"]).get("Expect"))')"
check "/echo 17 MB is 413" 413 "$(pattern 17000000 | curl -s -o /dev/null -w '%{http_code}' --data-binary @- "$HS/echo")"
check "/echo query and HTTP/1.0" "GET /echo?a=1&b=2 HTTP/1.0" \
    "$(curl -s -0 "$HS/echo?a=1&b=2" | "$PY" -c 'import json,sys;d=json.load(sys.stdin);print(d["method"],d["target"],d["version"])')"

# ---- keep-alive ----
check "keep-alive: 3 requests, 1 connection" "1 0 0" \
    "$(curl -s -o /dev/null -o /dev/null -o /dev/null -w '%{num_connects} ' "$HS/bytes/10" "$HS/json" "$HS/chunked/10" | sed 's/ $//')"

# ---- slow and stall ----
t=$(curl -s -o /dev/null -w '%{time_starttransfer}' "$HS/slow/300")
check "/slow/300 delays headers >= 0.3 s" 1 "$(awk -v t="$t" 'BEGIN{print (t >= 0.3 && t < 3) ? 1 : 0}')"
check "/slow/300 body" "slept 300 ms" "$(curl -s "$HS/slow/300")"
out=$(curl -s -i -m 1 "$HS/stall"); rc=$?
check "/stall times out (curl 28)" 28 "$rc"
check "/stall sent its head" "HTTP/1.1 200 OK" "$(echo "$out" | head -n 1 | tr -d '\r')"

# ---- hostile modes: the client must fail, promptly ----
curl -s -m 10 "$HS/bad/reset-mid-body" -o got.reset; rc=$?
check "/bad/reset-mid-body fails with recv error (56)" 56 "$rc"
check "/bad/reset-mid-body got 500 bytes first" 500 "$(wc -c <got.reset)"
curl -s -m 10 "$HS/bad/garbage-status" -o /dev/null; rc=$?
[ "$rc" -ne 0 ] && [ "$rc" -ne 28 ] && pass "/bad/garbage-status rejected by curl (exit $rc)" || fail "/bad/garbage-status: curl exit $rc"
curl -s -m 10 "$HS/bad/endless-header" -o /dev/null; rc=$?
[ "$rc" -ne 0 ] && [ "$rc" -ne 28 ] && pass "/bad/endless-header rejected by curl (exit $rc)" || fail "/bad/endless-header: curl exit $rc"
curl -s -m 10 "$HS/bad/endless-chunk" -o /dev/null; rc=$?
[ "$rc" -ne 0 ] && [ "$rc" -ne 28 ] && pass "/bad/endless-chunk rejected by curl (exit $rc)" || fail "/bad/endless-chunk: curl exit $rc"
check "/bad/other is 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$HS/bad/other")"

# ---- raw sockets: pipelining, malformed requests, many connections ----
"$PY" - "$HCSERVE_PORT" > raw.out 2>&1 <<'PY'
import socket, sys
port = int(sys.argv[1])

def exchange(data, timeout=3):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(data)
    s.settimeout(timeout)
    out = b""
    try:
        while True:
            d = s.recv(65536)
            if not d:
                return out + b"<eof>"
            out += d
    except socket.timeout:
        return out + b"<timeout>"
    except ConnectionResetError:
        return out + b"<reset>"

def head(code, reason, ctype, n, close=False):
    h = "HTTP/1.1 %d %s\r\nServer: hc-serve\r\nContent-Type: %s\r\nContent-Length: %d\r\n" % (code, reason, ctype, n)
    return (h + ("Connection: close\r\n" if close else "") + "\r\n").encode()

ok = True
def expect(name, want, got):
    global ok
    if want == got:
        print("ok  ", name)
    else:
        ok = False
        print("FAIL", name, "\n  want", repr(want[:300]), "\n  got ", repr(got[:300]))

# Four pipelined requests in one write, a slow one second: answers in order.
got = exchange(b"GET /bytes/5 HTTP/1.1\r\nHost: x\r\n\r\n"
               b"GET /slow/100 HTTP/1.1\r\nHost: x\r\n\r\n"
               b"HEAD /bytes/7 HTTP/1.1\r\nHost: x\r\n\r\n"
               b"GET /bytes/3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
expect("pipelined answers in order",
       head(200, "OK", "application/octet-stream", 5) + b"01234" +
       head(200, "OK", "text/plain", 13) + b"slept 100 ms\n" +
       head(200, "OK", "application/octet-stream", 7) +
       head(200, "OK", "application/octet-stream", 3, close=True) + b"012<eof>", got)

# A request split into single bytes still parses.
s = socket.create_connection(("127.0.0.1", port))
for b in b"GET /bytes/2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n":
    s.send(bytes([b]))
s.settimeout(3)
got = b""
while True:
    d = s.recv(4096)
    if not d:
        break
    got += d
expect("byte-at-a-time request", head(200, "OK", "application/octet-stream", 2, close=True) + b"01", got)

bad400 = head(400, "Bad Request", "text/plain", 12, close=True) + b"bad request\n<eof>"
for name, req in [
        ("garbage request line", b"GARBAGE\r\n\r\n"),
        ("HTTP/1.1 without Host", b"GET / HTTP/1.1\r\n\r\n"),
        ("HTTP/2.0 version", b"GET / HTTP/2.0\r\nHost: x\r\n\r\n"),
        ("obsolete line folding", b"GET / HTTP/1.1\r\nHost: x\r\n Folded: y\r\n\r\n"),
        ("space before colon", b"GET / HTTP/1.1\r\nHost : x\r\n\r\n"),
        ("Content-Length and chunked", b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"),
        ("conflicting Content-Lengths", b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"),
        ("negative Content-Length", b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -3\r\n\r\n"),
        ("unknown transfer coding", b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"),
        ("bad chunk size", b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
        ("70 KB header", b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n"),
        ("binary junk", b"\x00\xff\xfe\r\n\r\n"),
        ("target without slash", b"GET bytes/1 HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("NUL in header value", b"GET / HTTP/1.1\r\nHost: x\r\nX: a\x00b\r\n\r\n"),
]:
    expect("400 and close: " + name, bad400, exchange(req))
expect("413 and close: 20 MB Content-Length",
       head(413, "Content Too Large", "text/plain", 23, close=True) + b"request body too large\n<eof>",
       exchange(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 20000000\r\n\r\n"))
# A client that half-closes after its request still gets the answer.
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"GET /bytes/4 HTTP/1.1\r\nHost: x\r\n\r\n")
s.shutdown(socket.SHUT_WR)
s.settimeout(3)
got = b""
while True:
    d = s.recv(4096)
    if not d:
        break
    got += d
expect("half-closed client answered", head(200, "OK", "application/octet-stream", 4) + b"0123", got)

# 400 concurrent connections, each with one request outstanding.
conns = [socket.create_connection(("127.0.0.1", port)) for _ in range(400)]
for c in conns:
    c.sendall(b"GET /bytes/3 HTTP/1.1\r\nHost: x\r\n\r\n")
want = head(200, "OK", "application/octet-stream", 3) + b"012"
good = 0
for c in conns:
    c.settimeout(5)
    got = b""
    try:
        while len(got) < len(want):
            d = c.recv(4096)
            if not d:
                break
            got += d
    except socket.timeout:
        pass
    good += got == want
    c.close()
expect("400 concurrent connections served", 400, good)
sys.exit(0 if ok else 1)
PY
rc=$?
sed 's/^/    /' raw.out
if [ $rc -eq 0 ]; then pass "raw socket checks ($(grep -c '^ok' raw.out))"; else fail "raw socket checks"; fi
check "server still up after bad input" "$(pattern 8)" "$(curl -s "$HS/bytes/8")"

# ---- lifecycle ----
"$HC_SERVE" --port-file "$WORK/p2" --max-seconds 30 > life.out 2>&1 &
pid=$!
for _ in $(seq 100); do [ -s "$WORK/p2" ] && break; sleep 0.05; done
check "stdout line" "listening on 127.0.0.1:$(cat "$WORK/p2")" "$(head -n 1 life.out)"
kill -TERM $pid
t0=$(date +%s%N); wait $pid; rc=$?; t1=$(date +%s%N)
check "SIGTERM exits 0" 0 "$rc"
check "SIGTERM exits within 1 s" 1 "$(( (t1 - t0) < 1000000000 ))"
t0=$(date +%s%N); "$HC_SERVE" --max-seconds 1 >/dev/null 2>max.err; rc=$?; t1=$(date +%s%N)
check "--max-seconds 1 exits 0" 0 "$rc"
check "--max-seconds 1 takes about 1 s" 1 "$(( (t1 - t0) >= 900000000 && (t1 - t0) < 3000000000 ))"
"$HC_SERVE" --port 70000 >/dev/null 2>err.txt; rc=$?
check "--port 70000 exits 2" 2 "$rc"
check "one error line" 1 "$(wc -l <err.txt)"
"$HC_SERVE" --frobnicate >/dev/null 2>err.txt; check "unknown option exits 2" 2 $?
"$HC_SERVE" --port "$HCSERVE_PORT" --max-seconds 2 >/dev/null 2>err.txt; rc=$?
check "port in use exits 1" 1 "$rc"
check "port in use message" 1 "$(grep -c 'cannot bind' err.txt)"
finish
