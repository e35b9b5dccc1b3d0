#!/bin/bash
# The client benchmark: hc-load in each mode and curl-load (libcurl) against the same
# loopback server in the same run, alternating, so the machine's load affects all alike.
#
# Prints a table of requests/second, the ratio to libcurl, latency percentiles and, where
# hc-load reports it, memory per kept Response; the table is also written to
# $BUILD/bench/client.txt.
#
# Environment: BUILD, MODES; BENCH_REQUESTS (default 5000),
# BENCH_CONNECTIONS (default 4), BENCH_ROUNDS (default 3, median taken),
# BENCH_SERVER (nginx or hc-serve; default nginx, hc-serve if nginx is
# missing), BENCH_PATH (default /1k.bin on nginx, /bytes/1024 on hc-serve).
# Each run is bounded by `timeout 30`.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-$repo/build}
MODES=${MODES:-dict slots allslots}
N=${BENCH_REQUESTS:-5000}
K=${BENCH_CONNECTIONS:-4}
ROUNDS=${BENCH_ROUNDS:-3}
server=${BENCH_SERVER:-nginx}
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || server=hc-serve

work=$(mktemp -d "${TMPDIR:-/tmp}/heaptag-bench-client.XXXXXX")
stop_server() { "$repo/tests/fixtures/start-$server.sh" --stop "$work/server" >/dev/null 2>&1; rm -rf "$work"; }
trap stop_server EXIT
trap 'exit 1' INT TERM

curl_load=$BUILD/bin/curl-load
[ -x "$curl_load" ] || { echo "bench-client: $curl_load not built" >&2; exit 1; }

HC_SERVE=$BUILD/bin/hc-serve "$repo/tests/fixtures/start-$server.sh" "$work/server" >/dev/null || exit 1
. "$work/server/env"
if [ "$server" = nginx ]; then
    url=http://127.0.0.1:$NGINX_HTTP_PORT${BENCH_PATH:-/1k.bin}
else
    url=http://127.0.0.1:$HCSERVE_PORT${BENCH_PATH:-/bytes/1024}
fi

# kv LINE KEY: the value of KEY in a key=value line.
kv() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }

# run NAME CMD...: one timed run; appends its key=value line to $work/NAME.
run() {
    local name=$1
    shift
    local line
    line=$(timeout 30 "$@" 2>"$work/$name.err" | grep '=' | tail -n 1)
    local errs
    errs=$(kv "$line" errors)
    if [ -z "$line" ] || [ -z "$(kv "$line" rps)" ] || { [ -n "$errs" ] && [ "$errs" != 0 ]; }; then
        echo "bench-client: $name failed: $(head -n 1 "$work/$name.err") $line" >&2
        echo "failed" >>"$work/$name"
        return
    fi
    echo "$line" >>"$work/$name"
}

clients=(libcurl)
for m in $MODES; do
    if [ -x "$BUILD/$m/bin/hc-load" ]; then
        clients+=("hc-$m")
    else
        echo "bench-client: $BUILD/$m/bin/hc-load not built; mode $m skipped" >&2
    fi
done

echo "bench-client: $N requests over $K connections to $server $url, $ROUNDS rounds (median)"
for r in $(seq "$ROUNDS"); do
    for c in "${clients[@]}"; do
        if [ "$c" = libcurl ]; then
            run "$c" "$curl_load" -n "$N" -c "$K" "$url"
        else
            run "$c" "$BUILD/${c#hc-}/bin/hc-load" -n "$N" -c "$K" "$url"
        fi
    done
done

# hc-load reports latency in milliseconds: add microsecond keys like curl-load's.
for c in "${clients[@]}"; do
    [ "$c" = libcurl ] && continue
    awk '/^failed$/ { print; next }
         { line = $0
           for (i = 1; i <= NF; i++) if ($i ~ /^p(50|90|99)_ms=/) {
               split($i, kv, "="); k = kv[1]; sub(/_ms$/, "_us", k)
               line = line " " k "=" int(kv[2] * 1000 + 0.5) }
           print line }' "$work/$c" >"$work/$c.us" && mv "$work/$c.us" "$work/$c"
done

# Memory per kept Response, from the tracker: one --keep run per mode under
# heaptag; Response objects alone / with their payload (bytes per instance).
mem_per_response() {
    local mode=$1
    local report=$work/keep-$mode.json
    "$BUILD/bin/heaptag" run --quiet -o "$report" -- "$BUILD/$mode/bin/hc-load" -n 2000 -c "$K" --keep "$url" \
        >/dev/null 2>&1 || { echo "-"; return; }
    /usr/bin/python3 - "$report" <<'PY'
import json, sys
types = {t["name"]: t for t in json.load(open(sys.argv[1]))["types"]}
r = types.get("Response"); p = types.get("Response.payload", {"peak_live_bytes": 0})
if not r or not r["peak_live_instances"]:
    print("-")
else:
    n = r["peak_live_instances"]
    print("%.0f/%.0f" % (r["peak_live_bytes"] / n, (r["peak_live_bytes"] + p["peak_live_bytes"]) / n))
PY
}

# median KEY FILE: median of KEY over the successful rounds.
median() {
    grep -v '^failed' "$2" | while read -r line; do kv "$line" "$1"; done | sort -g |
        awk '{v[NR]=$1} END{ if (NR==0) print "-"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2 }'
}

base=$(median rps "$work/libcurl")
out=$BUILD/bench/client.txt
mkdir -p "$BUILD/bench"
{
    printf '%-14s %10s %9s %8s %8s %18s\n' client req/s vs-curl p50_us p99_us "B/Response (+data)"
    for c in "${clients[@]}"; do
        rps=$(median rps "$work/$c")
        ratio=$(awk -v a="$rps" -v b="$base" 'BEGIN{ if (a=="-" || b=="-" || b==0) print "-"; else printf "%.2f", a/b }')
        # bytes per kept Response, storage/with payload; libcurl keeps none.
        mem=-
        [ "$c" = libcurl ] || mem=$(mem_per_response "${c#hc-}")
        printf '%-14s %10s %9s %8s %8s %18s\n' "$c" "$rps" "$ratio" \
            "$(median p50_us "$work/$c")" "$(median p99_us "$work/$c")" "$mem"
    done
} | tee "$out"
grep -qx failed "$work"/libcurl "$work"/hc-* 2>/dev/null && exit 1
exit 0
