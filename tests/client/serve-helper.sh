# Sourced by the client test scripts: start hc-serve on a free loopback port (exit 77 when
# it is not built), stop it on exit. Sets HC_SERVE_URL.
serve_bin="$BUILD/bin/hc-serve"
if [ ! -x "$serve_bin" ]; then
    echo "skip: $serve_bin not built"
    exit 77
fi
serve_dir=$(mktemp -d)
"$serve_bin" --port-file "$serve_dir/port" --max-seconds 120 >/dev/null 2>&1 &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null; wait $serve_pid 2>/dev/null; rm -rf "$serve_dir"' EXIT
for _ in $(seq 1 50); do
    [ -s "$serve_dir/port" ] && break
    sleep 0.1
done
if [ ! -s "$serve_dir/port" ]; then
    echo "hc-serve did not start"
    exit 1
fi
HC_SERVE_URL="http://127.0.0.1:$(cat "$serve_dir/port")"
