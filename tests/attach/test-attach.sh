#!/bin/bash
# heaptag attach on a running server under traffic, on a late library, a
# threaded client and a process that exits; and each refusal.
#
# heaptag attach on a running hc-serve under hc-load traffic: the attach
# completes while requests flow, no request fails, and the report written on
# request (heaptag attach --report) shows the server's types (named by
# tests/attach/hc-serve.rules), says when tracking started, and counts the
# frees of connections opened before the attach apart (foreign_free_calls),
# with no type below zero.  A library dlopen'ed after the attach is
# tracked too (and found through its caller's RUNPATH).  A threaded client using heaptag.h scopes,
# attached while it runs: its scopes count from then on.  A process that
# exits after the attach writes its report.  Then each refusal: exit 2 and
# one line.
# Skips (77) where ptrace is not permitted or gdb is missing.
. "$(dirname "$0")/../lib/cli-test.sh"
need_tracker_and_python
SERVE=$BUILD/bin/hc-serve
LOAD=$BUILD/dict/bin/hc-load
[ -x "$LOAD" ] || LOAD=$(ls "$BUILD"/*/bin/hc-load 2>/dev/null | head -1)
STATIC=$BUILD/tests/attach/static-wait
for f in "$SERVE" "$LOAD" "$STATIC" "$BUILD/tests/attach/late-main"; do [ -x "$f" ] || { echo "missing $f; run make"; exit 1; }; done
command -v gdb >/dev/null || { echo "skip: gdb is not installed"; exit 77; }
unset HEAPTAG_YAMA_FILE
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	"$top/tests/fixtures/start-hc-serve.sh" --stop "$tmp/serve" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT

# Can this user ptrace a process of its own here at all?
sleep 60 & probe=$!; pids+=($probe)
if ! gdb -nx -q -batch -p $probe >"$tmp/probe" 2>&1 || grep -q "ptrace: Operation not permitted" "$tmp/probe"; then
	echo "skip: ptrace is not permitted here ($(grep -m1 ptrace "$tmp/probe" || echo "gdb cannot attach");" \
		"kernel.yama.ptrace_scope=$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo none))"
	exit 77
fi

# one_line_refusal WHAT CMD...: exit 2 and exactly one line on stderr.
one_line_refusal() {
	local what=$1
	shift
	run "$@"
	expect_rc 2 "$what"
	expect_eq "$what: lines on stderr" "$(wc -l <"$tmp/err")" 1
	expect_eq "$what: nothing on stdout" "$(wc -c <"$tmp/out")" 0
	echo "$what: $(cat "$tmp/err")"
}

eval "$("$top/tests/fixtures/start-hc-serve.sh" "$tmp/serve")"
[ -n "${HCSERVE_PID:-}" ] || { echo "hc-serve did not start"; exit 1; }
url=http://127.0.0.1:$HCSERVE_PORT/

# A connection that surely spans the attach, whatever the timing: opened
# and used before it, closed after it, so the server frees blocks it
# allocated before tracking began.
$PY - "$HCSERVE_PORT" "$tmp/held" "$tmp/release" <<'PY' &
import os, socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
s.recv(65536)
open(sys.argv[2], "w").close()
for _ in range(1200):
    if os.path.exists(sys.argv[3]):
        break
    time.sleep(0.05)
s.close()
PY
held=$!
for _ in $(seq 400); do [ -e "$tmp/held" ] && break; sleep 0.05; done
[ -e "$tmp/held" ] || fail "the held connection did not open"
# Traffic that spans the attach: keep-alive connections opened before it
# and closed after it.
"$LOAD" "$url" -n 40000 -c 4 --max-time 60 >"$tmp/load1" 2>&1 &
load=$!
sleep 0.3
run "$HT" attach -o "$tmp/serve.%p.json" --rules "$here/hc-serve.rules" "$HCSERVE_PID"
expect_rc 0 "attach to hc-serve under traffic"
grep -q "attached to process $HCSERVE_PID" "$tmp/err" || fail "attach: no confirmation line: $(cat "$tmp/err")"
wait $load
expect_eq "hc-load across the attach: exit status" "$?" 0
grep -q "failed=0 " "$tmp/load1" || fail "hc-load across the attach: failed requests: $(tail -1 "$tmp/load1")"
grep -q "requests=40000 " "$tmp/load1" || fail "hc-load across the attach: $(tail -1 "$tmp/load1")"
touch "$tmp/release"
wait $held
# Traffic after: all of it tracked.
run "$LOAD" "$url" -n 500 -c 2
expect_rc 0 "hc-load after the attach"
grep -q "failed=0 " "$tmp/out" || fail "hc-load after the attach: $(tail -1 "$tmp/out")"

run "$HT" attach --report -o "$tmp/serve.%p.json" "$HCSERVE_PID"
expect_rc 0 "attach --report"
grep -q "tracking started at the attach, 20" "$tmp/err" || fail "attach --report: no start line: $(cat "$tmp/err")"
report=$tmp/serve.$HCSERVE_PID.json
[ -s "$report" ] || fail "no report at $report"
sed -n 1,8p "$tmp/out"
$PY - "$report" >"$tmp/fig" <<'PY' || fail "report figures: $(cat "$tmp/fig")"
import json, sys
r = json.load(open(sys.argv[1]))
t = {x["name"]: x for x in r["types"]}
problems = []
for name, least in (("Conn", 2), ("Buf", 1), ("Request", 500)):
    if name not in t or t[name]["alloc_calls"] < least:
        problems.append("%s: %s alloc_calls, expected at least %d"
                        % (name, t.get(name, {}).get("alloc_calls"), least))
if r["reason"] != "sigusr2":
    problems.append("reason %s" % r["reason"])
if not r.get("attached_unix_ms"):
    problems.append("no attached_unix_ms")
if r["totals"]["foreign_free_calls"] < 1:
    problems.append("no free of a block from before the attach was counted apart")
neg = [x["name"] for x in r["types"] if x["live_bytes"] < 0 or x["live_blocks"] < 0]
if neg:
    problems.append("types below zero: %s" % neg)
print("; ".join(problems) or "Conn %d, Buf %d, Request %d allocations; %d frees from before the attach"
      % (t["Conn"]["alloc_calls"], t["Buf"]["alloc_calls"], t["Request"]["alloc_calls"],
         r["totals"]["foreign_free_calls"]))
sys.exit(1 if problems else 0)
PY
cat "$tmp/fig"
kill -0 "$HCSERVE_PID" 2>/dev/null || fail "hc-serve is gone after the attach"

# A threaded client built with heaptag.h scopes (hc-load, 4 threads, all
# allocating): its weak references to the tagging API were NULL at start;
# after the attach its scopes count, and no request fails.
"$LOAD" "$url" -n 200000 -c 4 --max-time 60 >"$tmp/load2" 2>&1 &
client=$!
sleep 0.3
run "$HT" attach -o "$tmp/client.%p.json" $client
expect_rc 0 "attach to hc-load (4 threads) while it runs"
run "$HT" attach --report -o "$tmp/client.%p.json" $client
expect_rc 0 "attach --report on hc-load"
wait $client
expect_eq "hc-load attached to: exit status" "$?" 0
grep -q "failed=0 " "$tmp/load2" || fail "hc-load attached to: $(tail -1 "$tmp/load2")"
run $PY -c '
import json, sys
t = {x["name"]: x for x in json.load(open(sys.argv[1]))["types"]}
print(t.get("Response", {}).get("alloc_calls", 0) > 0, t.get("Headers", {}).get("alloc_calls", 0) > 0)' \
	"$tmp/client.$client.json"
expect_eq "hc-load's scopes count after the attach (Response, Headers)" "$(cat "$tmp/out")" "True True"

# A library dlopen'ed after the attach, by its bare name through the
# program's RUNPATH ($ORIGIN): the dlopen still finds it, and its malloc
# calls (through its own GOT) are tracked.
LATE=$BUILD/tests/attach/late-main
"$LATE" "$tmp/go" >"$tmp/late.out" 2>&1 &
late=$!
# Attach once it runs late-main and its loader has mapped libc: until
# then it is refused as not using glibc (seen on a loaded machine).
for _ in $(seq 200); do
	[ "$(readlink "/proc/$late/exe" 2>/dev/null)" = "$(readlink -f "$LATE")" ] &&
		grep -q "/libc\.so\.6" "/proc/$late/maps" 2>/dev/null && break
	sleep 0.05
done
run "$HT" attach -o "$tmp/late.%p.json" $late
expect_rc 0 "attach to late-main"
touch "$tmp/go"
wait $late
expect_eq "late-main: exit status" "$?" 0
expect_eq "late-main: its dlopen by RUNPATH after the attach" "$(cat "$tmp/late.out")" ok
run $PY -c '
import json, sys
t = {x["name"]: x for x in json.load(open(sys.argv[1]))["types"]}.get("Late", {})
print(t.get("alloc_calls"), t.get("live_bytes"))' "$tmp/late.$late.json"
expect_eq "late-main: the late library's blocks (Late: calls, live bytes)" "$(cat "$tmp/out")" "100 100000"

# A process that ends by itself after the attach writes its report at exit.
sleep 3 & sl=$!
run "$HT" attach -o "$tmp/sleep-exit.%p.json" $sl
expect_rc 0 "attach to sleep"
wait $sl
run $PY -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(r["reason"], bool(r.get("attached_unix_ms")))' "$tmp/sleep-exit.$sl.json"
expect_eq "report at exit of an attached process" "$(cat "$tmp/out")" "exit True"

# Refusals.
one_line_refusal "already tracked" "$HT" attach "$HCSERVE_PID"
p=4194304
while kill -0 $p 2>/dev/null; do p=$((p + 1)); done
one_line_refusal "no such process" "$HT" attach $p
one_line_refusal "ptrace_scope=3" env HEAPTAG_YAMA_FILE=<(echo 3) "$HT" attach $probe
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	one_line_refusal "another user's process" setpriv --reuid=65534 --regid=65534 --clear-groups "$HT" attach $probe
	setpriv --reuid=65534 --regid=65534 --clear-groups sleep 60 & pids+=($!)
	echo 1 >"$tmp/yama1"
	chmod 755 "$tmp"
	chmod 644 "$tmp/yama1"
	one_line_refusal "ptrace_scope=1, not root" env HEAPTAG_YAMA_FILE="$tmp/yama1" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$HT" attach $!
else
	one_line_refusal "another user's process" "$HT" attach 1
fi
"$STATIC" & static=$!; pids+=($static)
# Until the fork has exec'ed, /proc/PID/exe is this (dynamic) shell.
for _ in $(seq 200); do
	[ "$(readlink "/proc/$static/exe" 2>/dev/null)" = "$(readlink -f "$STATIC")" ] && break
	sleep 0.05
done
one_line_refusal "statically linked" "$HT" attach $static
"$HT" run -q -o "$tmp/sleep.json" -- sleep 60 2>/dev/null & pids+=($!)
for _ in $(seq 100); do
	sp=$(pgrep -n -P $! sleep) && grep -q libheaptag "/proc/$sp/maps" 2>/dev/null && break
	sleep 0.05
done
one_line_refusal "already tracked (started under heaptag run)" "$HT" attach "$sp"
one_line_refusal "--report on a process not tracked" "$HT" attach --report $probe
one_line_refusal "bad PID" "$HT" attach 12x
finish
