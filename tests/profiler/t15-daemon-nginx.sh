#!/bin/bash
# A real daemon that drops privileges (Debian's nginx): a report per process.
#
# A real daemon that drops privileges: Debian's nginx, run as root, with
# two workers that switch to nobody, daemonized (the started process forks
# the master and exits).  It serves hc-load traffic on a loopback port and
# stops gracefully (SIGQUIT).  Twice: under `heaptag run -o`, and with
# plain LD_PRELOAD and HEAPTAG_OUT in a directory only root may write.
# Each time: a readable report under its final name for the master and for
# each worker, named after the executable (%e = nginx, not the rewritten
# process title), the workers' reports counting the requests'
# allocations, and no temporary file left.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/fixtures/lib.sh"

NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "skip: nginx is not installed (scripts/install-deps.sh)"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "skip: needs root (the workers switch from root to nobody)"; exit 77; }
id nobody >/dev/null 2>&1 || { echo "skip: no user nobody"; exit 77; }
group=$(id -gn nobody)
HEAPTAG=$BUILD/bin/heaptag
LOAD=$BUILD/slots/bin/hc-load
[ -x "$LOAD" ] || { echo "missing $LOAD (run make)"; exit 1; }
REQUESTS=400

# nginx's own directory must be reachable by nobody (SCRATCH is 0700).
base=$(mktemp -d /tmp/heaptag-nginx.XXXXXX)
chmod 755 "$base"
master_pid=
stop_nginx() {
    [ -n "$master_pid" ] && kill -KILL "$master_pid" 2>/dev/null
    pkill_workers
}
# Workers of this test only: children of our master.
pkill_workers() {
    [ -n "$master_pid" ] || return 0
    local w
    for w in $(ps -o pid= --ppid "$master_pid" 2>/dev/null); do kill -KILL "$w" 2>/dev/null; done
}
trap 'stop_nginx; rm -rf "$base"; cleanup' EXIT

# scenario NAME MODE: MODE is run or preload.
scenario() {
    local name=$1 mode=$2 dir=$base/$1
    mkdir -p "$dir/logs" "$dir/tmp"
    mkdir -m 700 "$dir/rep"          # only root may create files here
    local port conf=$dir/nginx.conf
    for attempt in 1 2 3 4 5; do
        port=$(free_ports 1)
        cat >"$conf" <<CONF
user nobody $group;
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    keepalive_requests 100000;
    server {
        listen 127.0.0.1:$port;
        location / { return 200 "hello from nginx\n"; }
    }
}
CONF
        rm -f "$dir/nginx.pid"
        local rc
        if [ "$mode" = run ]; then
            timeout 60 "$HEAPTAG" run -o "$dir/rep/r.json" -- \
                "$NGINX" -p "$dir" -c "$conf" -e "$dir/logs/error.log" \
                >"$dir/run.out" 2>"$dir/run.err" </dev/null
            rc=$?
        else
            HEAPTAG_OUT=$dir/rep/heaptag.%e.%p.json timeout 60 env LD_PRELOAD="$LIB" \
                "$NGINX" -p "$dir" -c "$conf" -e "$dir/logs/error.log" \
                >"$dir/run.out" 2>"$dir/run.err" </dev/null
            rc=$?
        fi
        if [ "$rc" = 0 ] && wait_http "http://127.0.0.1:$port/" 1 10 2>/dev/null; then
            break
        fi
        grep -q "Address already in use" "$dir/logs/error.log" 2>/dev/null || break
        rm -f "$dir"/rep/*
    done
    expect_eq "$name: nginx started (exit status of the started process)" 0 "$rc"
    master_pid=$(cat "$dir/nginx.pid" 2>/dev/null)
    if [ -z "$master_pid" ]; then
        fail "$name: no master pid"; cat "$dir/run.err" "$dir/logs/error.log"; return
    fi
    local workers i
    for ((i = 0; i < 100; i++)); do
        workers=$(ps -o pid= --ppid "$master_pid" | tr -d ' ' | sort -n | tr '\n' ' ')
        [ "$(echo $workers | wc -w)" = 2 ] && break
        sleep 0.1
    done
    expect_eq "$name: two workers" 2 "$(echo $workers | wc -w)"
    local w
    for w in $workers; do
        expect_eq "$name: worker $w runs as nobody" nobody "$(ps -o user= -p "$w" | tr -d ' ')"
    done
    "$LOAD" "http://127.0.0.1:$port/" -n "$REQUESTS" -c 4 >"$dir/load.out" 2>&1
    expect_eq "$name: hc-load exit status" 0 "$?"
    kill -QUIT "$master_pid"
    for ((i = 0; i < 300; i++)); do
        kill -0 "$master_pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$master_pid" 2>/dev/null && fail "$name: master still running 30 s after SIGQUIT"
    pkill_workers
    master_pid=
    ls -la "$dir/rep" | sed 's/^/    /'

    local f
    for w in $workers; do
        f=$dir/rep/heaptag.nginx.$w.json
        if [ -f "$f" ]; then
            ok "$name: worker $w left $f"
            if "$HEAPTAG" report "$f" >/dev/null 2>"$dir/report.err"; then
                ok "$name: heaptag report reads worker $w's report"
            else
                fail "$name: heaptag report refused $f: $(cat "$dir/report.err")"
            fi
        else
            fail "$name: no report heaptag.nginx.$w.json for worker $w"
        fi
    done
    # The master (its pid file is gone after the stop: it is the parent of
    # the workers, named in their reports).
    local master
    master=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ppid"])' \
        "$dir/rep/heaptag.nginx.${workers%% *}.json" 2>/dev/null)
    f=$dir/rep/heaptag.nginx.$master.json
    if [ -n "$master" ] && "$HEAPTAG" report "$f" >/dev/null 2>&1; then
        ok "$name: the master's report $f is readable"
    else
        fail "$name: no readable report for the master ($master)"
    fi
    if [ "$mode" = run ]; then
        run_check "$name: the started process's report at -o" --expect program=nginx "$dir/rep/r.json"
    fi
    expect_eq "$name: no temporary file left" "" "$(cd "$dir/rep" && ls -A | grep -v '^heaptag\.nginx\.[0-9]*\.json$' | grep -v '^r\.json$')"
    run_check "$name: every report valid, program nginx" --expect program=nginx "$dir"/rep/*.json
    # The workers between them served $REQUESTS requests; nginx makes at
    # least one allocation per request (its request pool), on top of what
    # a worker allocates to start.
    local calls
    calls=$(/usr/bin/python3 - "$REQUESTS" $(for w in $workers; do echo "$dir/rep/heaptag.nginx.$w.json"; done) <<'PY'
import json, sys
n = int(sys.argv[1])
calls = [json.load(open(f))["totals"]["alloc_calls"] for f in sys.argv[2:]]
print(sum(calls), *calls)
PY
)
    echo "    workers' alloc_calls (sum, each): $calls"
    local sum=${calls%% *}
    if [ -n "$sum" ] && [ "$sum" -ge "$REQUESTS" ] && [ "$sum" -le $((REQUESTS * 100 + 100000)) ]; then
        ok "$name: the workers counted $sum allocations for $REQUESTS requests"
    else
        fail "$name: workers' allocation count implausible: [$calls] for $REQUESTS requests"
    fi
}

scenario run run
scenario preload preload
finish
