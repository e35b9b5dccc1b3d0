#!/bin/bash
# build/<mode>/bin/hc against curl on nginx, HTTP and HTTPS, every mode.
#
# build/<mode>/bin/hc against curl on nginx, HTTP and HTTPS, every mode:
# static bodies, gzip (chunked by nginx), heads minus Date, HEAD,
# redirects, and TLS: the test CA, wrong host, expired and untrusted
# certificates, -k.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compare.sh"
need curl
need_hc
start_nginx

for f in empty.bin 1k.bin 64k.bin 1m.bin; do
    compare "http $f" body "$NG/$f"
    compare "https $f --cacert" body --cacert "$NGINX_CA" "$NGS/$f"
done
compare "https by name localhost" body --cacert "$NGINX_CA" "https://localhost:$NGINX_HTTPS_PORT/1k.bin"
compare "gzip text.txt --compressed" body --compressed "$NG/text.txt"
compare "-i 1k.bin" head -i "$NG/1k.bin"
compare "-I 64k.bin" head -I "$NG/64k.bin"
compare "-i 404" head -i "$NG/nothing-here"
compare "-L /redirect" body -L "$NG/redirect"
compare "https -L /redirect" body -L --cacert "$NGINX_CA" "$NGS/redirect"
compare "POST to static file (405)" head -i -d x "$NG/1k.bin"

compare "untrusted certificate" fail "$NGS/1k.bin"
compare "wrong host certificate" fail --cacert "$NGINX_CA" "https://127.0.0.1:$NGINX_WRONGHOST_PORT/1k.bin"
compare "expired certificate" fail --cacert "$NGINX_CA" "https://127.0.0.1:$NGINX_EXPIRED_PORT/1k.bin"
compare "-k wrong host" body -k "https://127.0.0.1:$NGINX_WRONGHOST_PORT/1k.bin"
compare "-k expired" body -k "https://127.0.0.1:$NGINX_EXPIRED_PORT/1k.bin"
compare "-k untrusted" body -k "$NGS/64k.bin"
compare "TLS to the plain HTTP port" fail --cacert "$NGINX_CA" "https://127.0.0.1:$NGINX_HTTP_PORT/1k.bin"
finish
