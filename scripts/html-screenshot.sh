#!/bin/bash
# Renders the README's picture of the run page (docs/img/run-page.png).
#
# The README's picture of the run page (docs/img/run-page.png): the tagged
# client (validate/hc-scene, dict mode) keeping 2,000 responses from the
# loopback server, run with call stacks, its page rendered by headless
# Chromium.  Usage: scripts/html-screenshot.sh [OUT.png]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$root/build}
out=${1:-$root/docs/img/run-page.png}
for f in "$BUILD/bin/heaptag" "$BUILD/bin/hc-serve" "$BUILD/validate/dict/hc-scene"; do
	[ -x "$f" ] || { echo "html-screenshot: $f not built (make)" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap '"$root/tests/fixtures/start-hc-serve.sh" --stop "$tmp/srv" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
HC_SERVE=$BUILD/bin/hc-serve HCSERVE_MAX_SECONDS=120 "$root/tests/fixtures/start-hc-serve.sh" "$tmp/srv" >/dev/null
. "$tmp/srv/env"
# Run from a neutral directory so the command line in the picture is short.
mkdir -p "$tmp/run" && cp "$BUILD/validate/dict/hc-scene" "$tmp/run/"
(cd "$tmp/run" && "$BUILD/bin/heaptag" run -q --stacks --html page.html -o report.json -- \
	./hc-scene "http://127.0.0.1:$HCSERVE_PORT/bytes/128" -n 2000 --keep >/dev/null)
mkdir -p "$(dirname "$out")"
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
	--user-data-dir="$tmp/profile" --window-size=1200,1640 --screenshot="$out" \
	"file://$tmp/run/page.html" >/dev/null 2>&1
echo "html-screenshot: $out ($(stat -c %s "$out") bytes)"
