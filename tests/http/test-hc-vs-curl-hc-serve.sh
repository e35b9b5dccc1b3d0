#!/bin/bash
# build/<mode>/bin/hc against curl on hc-serve, every mode.
#
# build/<mode>/bin/hc against curl on hc-serve, every mode: bodies byte for
# byte, -i heads exactly (hc-serve sends no Date, so nothing is dropped),
# HEAD, redirects, codings, POST, status codes and failures.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compare.sh"
need curl
need_hc
start_hc_serve

for n in 0 1 1000 100000 2000000; do
    compare "/bytes/$n" body "$HS/bytes/$n"
done
compare "/chunked/100000?chunk=777" body "$HS/chunked/100000?chunk=777"
compare "/chunked/1" body "$HS/chunked/1"
compare "/close/70000" body "$HS/close/70000"
compare "/json" body "$HS/json"
compare "/gzip/100000 --compressed" body --compressed "$HS/gzip/100000"
compare "/deflate/100000 --compressed" body --compressed "$HS/deflate/100000"
compare "-i /bytes/10" body -i "$HS/bytes/10"
compare "-i /chunked/300" body -i "$HS/chunked/300?chunk=100"
compare "-i /headers/40" body -i "$HS/headers/40"
compare "-I /bytes/1000 (HEAD)" body -I "$HS/bytes/1000"
compare "-I /chunked/1000 (HEAD)" body -I "$HS/chunked/1000"
compare "-L /redirect/4" body -L "$HS/redirect/4"
compare "-i -L /redirect/3 (every hop)" body -i -L "$HS/redirect/3"
compare "/redirect/2 not followed" body -i "$HS/redirect/2"
compare "-L /redirect-to 307" body -L "$HS/redirect-to?url=/bytes/33&status=307"
for code in 200 201 204 404 418 500 503; do
    compare "/status/$code -i" body -i "$HS/status/$code"
done
compare "POST -d /echo" echo -d 'a=1&b=two' "$HS/echo"
compare "PUT -d /echo" echo -X PUT -d 'payload' "$HS/echo"
compare "POST -H -d /echo" echo -H 'X-Test: yes' -H 'Content-Type: text/plain' -d 'hello' "$HS/echo"
compare "DELETE /echo" echo -X DELETE "$HS/echo"
compare "/slow/200" body "$HS/slow/200"

compare "reset mid body" fail "$HS/bad/reset-mid-body"
compare "garbage status line" fail "$HS/bad/garbage-status"
compare "endless header" fail "$HS/bad/endless-header"
compare "endless chunk size" fail "$HS/bad/endless-chunk"
compare "too many redirects (-L /redirect/60)" fail -L "$HS/redirect/60"
compare "connection refused" fail "http://127.0.0.1:1/"
compare "invalid URL" fail "http//nothing"
finish
