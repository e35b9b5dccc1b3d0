#!/bin/bash
# The real-server fixtures (nginx, httpbin) work as the other tests assume.
#
# The real-server fixtures work as the other tests assume: nginx serves the
# docroot over HTTP and HTTPS with the test CA, its wrong-host, expired and
# (to the system store) untrusted certificates fail in curl with the
# expected errors, -k bypasses them, and httpbin answers on its port.
# Also that starting twice is idempotent and stopping leaves nothing.
. "$(dirname "$0")/lib.sh"
need curl
need openssl
start_nginx
start_httpbin
cd "$WORK" || exit 1

for f in empty.bin:0 1k.bin:1024 64k.bin:65536 1m.bin:1048576; do
    name=${f%%:*} size=${f##*:}
    pattern "$size" > exp
    curl -s "$NG/$name" -o got
    check_files "nginx http $name ($size bytes)" exp got
    curl -s --cacert "$NGINX_CA" "$NGS/$name" -o got
    check_files "nginx https $name" exp got
done
check "https by name localhost" 1024 "$(curl -s --cacert "$NGINX_CA" "https://localhost:$NGINX_HTTPS_PORT/1k.bin" | wc -c)"
check "nginx gzip is chunked and gzip" "chunked gzip" \
    "$(curl -s -D - -o /dev/null --compressed "$NG/text.txt" | tr -d '\r' | awk -F': ' 'tolower($1)=="transfer-encoding"{t=$2} tolower($1)=="content-encoding"{e=$2} END{print t, e}')"
pattern 100000 > exp
curl -s --compressed "$NG/text.txt" -o got
check_files "nginx gzip text.txt decoded" exp got
check "nginx /redirect" "302 $NG/1k.bin" "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$NG/redirect")"
check "nginx 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$NG/nothing-here")"

curl -s --cacert "$NGINX_CA" "https://127.0.0.1:$NGINX_WRONGHOST_PORT/1k.bin" -o /dev/null 2>/dev/null
check "wrong-host certificate: curl 60" 60 $?
check "wrong-host cert names wrong.example" "DNS:wrong.example" \
    "$(openssl x509 -in "$WORK/nginx/pki/wronghost.pem" -noout -ext subjectAltName | tail -n 1 | tr -d ' ')"
curl -s --cacert "$NGINX_CA" "https://127.0.0.1:$NGINX_EXPIRED_PORT/1k.bin" -o /dev/null
check "expired certificate: curl 60" 60 $?
check "expired cert is expired" 1 "$(openssl x509 -in "$WORK/nginx/pki/expired.pem" -noout -checkend 0 >/dev/null; echo $?)"
curl -s "$NGS/1k.bin" -o /dev/null
check "untrusted (system CAs only): curl 60" 60 $?
check "-k bypasses expired" 1024 "$(curl -sk "https://127.0.0.1:$NGINX_EXPIRED_PORT/1k.bin" | wc -c)"
check "-k bypasses wrong host" 1024 "$(curl -sk "https://127.0.0.1:$NGINX_WRONGHOST_PORT/1k.bin" | wc -c)"
check "good cert verifies against the CA" "OK" \
    "$(openssl verify -CAfile "$NGINX_CA" "$WORK/nginx/pki/good.pem" | awk '{print $NF}')"

check "start-nginx again is idempotent" "$NGINX_PID" \
    "$("$FIXTURES/start-nginx.sh" "$WORK/nginx" | sed -n 's/^NGINX_PID=//p')"

check "httpbin /get" "http://127.0.0.1:$HTTPBIN_PORT/get" \
    "$(curl -s "$HB/get" | "$PY" -c 'import json,sys;print(json.load(sys.stdin)["url"])')"
check "httpbin /status/418" 418 "$(curl -s -o /dev/null -w '%{http_code}' "$HB/status/418")"
check "httpbin /bytes/300 length" 300 "$(curl -s "$HB/bytes/300" | wc -c)"

# Stopping removes the state dir and the processes.
pid=$NGINX_PID
"$FIXTURES/start-nginx.sh" --stop "$WORK/nginx"
check "nginx stopped" 1 "$(kill -0 "$pid" 2>/dev/null; echo $?)"
check "nginx state removed" 1 "$([ -e "$WORK/nginx" ]; echo $?)"
pid=$HTTPBIN_PID
"$FIXTURES/start-httpbin.sh" --stop "$WORK/httpbin"
check "httpbin stopped" 1 "$(kill -0 "$pid" 2>/dev/null; echo $?)"
finish
