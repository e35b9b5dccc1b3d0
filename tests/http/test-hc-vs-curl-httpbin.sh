#!/bin/bash
# build/<mode>/bin/hc against curl on httpbin (werkzeug), every mode: fixed
# documents, seeded chunked streams, redirects, status codes, POST echoes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compare.sh"
need curl
need_hc
start_httpbin

compare "/html" body "$HB/html"
compare "/json" body "$HB/json"
compare "/xml" body "$HB/xml"
compare "/robots.txt" body "$HB/robots.txt"
compare "/encoding/utf8" body "$HB/encoding/utf8"
compare "/stream-bytes seeded, chunked" body "$HB/stream-bytes/50000?seed=7&chunk_size=1000"
compare "/range/1000" body "$HB/range/1000"
compare "/base64" body "$HB/base64/aGVhcHRhZyBjb21wYXJlcyB0d28gY2xpZW50cw=="
compare "/status/418 -i" head -i "$HB/status/418"
compare "/status/404 -i" head -i "$HB/status/404"
compare "/response-headers -i" head -i "$HB/response-headers?X-One=1&X-Two=two"
compare "-L /redirect-to" body -L "$HB/redirect-to?url=/html"
compare "-L /redirect/3 to /get" echo -L "$HB/redirect/3"
compare "-L /relative-redirect/2" echo -L "$HB/relative-redirect/2"
compare "POST -d /post" echo -d 'a=1&b=2' "$HB/post"
compare "PUT -d /put" echo -X PUT -d 'body text' "$HB/put"
compare "-I /html (HEAD)" head -I "$HB/html"
finish
