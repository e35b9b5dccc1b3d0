#!/bin/bash
# Periodic snapshots of a long-running server: the right files, valid, no stall.
#
# Periodic snapshots of a long-running program: the loopback server
# hc-serve, sampled (512 KiB) with HEAPTAG_INTERVAL=5 HEAPTAG_KEEP=4, under
# hc-load traffic for 32 s.  Snapshots 1..6 are written (at 5, 10 .. 30 s)
# and the oldest two removed: exactly snapshot-000003..6 remain, nothing
# else; each is a valid report; `heaptag report DIR --format pprof` reads
# the latest; the requests' latency (printed per batch) never shows a stall.
. "$(dirname "$0")/lib.sh"
LOAD=$BUILD/dict/bin/hc-load
SERVE=$BUILD/bin/hc-serve
[ -x "$LOAD" ] && [ -x "$SERVE" ] || { echo "no hc-load/hc-serve; run make first"; exit 1; }
LIFE=32
LD_PRELOAD=$LIB HEAPTAG_SAMPLE=512KiB HEAPTAG_INTERVAL=5 HEAPTAG_KEEP=4 \
	HEAPTAG_SNAPSHOT_DIR=$tmp/snaps HEAPTAG_OUT=$tmp/exit.json \
	"$SERVE" --port 0 --port-file "$tmp/port" --max-seconds $LIFE >"$tmp/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
[ -s "$tmp/port" ] || { fail "hc-serve did not start: $(cat "$tmp/serve.log")"; finish; }
url=http://127.0.0.1:$(cat "$tmp/port")/bytes/128
start=$(date +%s)
worst=0 batches=0 requests=0
while kill -0 $pid 2>/dev/null && [ $(($(date +%s) - start)) -lt $((LIFE - 3)) ]; do
	"$LOAD" "$url" -n 2000 -c 2 >"$tmp/load" 2>&1 || continue
	max=$(sed -n 's/^latency max ms: //p' "$tmp/load")
	p99=$(sed -n 's/.* p99_ms=\([0-9.]*\).*/\1/p' "$tmp/load")
	echo "t=$(($(date +%s) - start))s p99 $p99 ms max $max ms" >>"$tmp/latency"
	batches=$((batches + 1)) requests=$((requests + 2000))
	worst=$(awk -v a="$worst" -v b="$max" 'BEGIN { print (b > a ? b : a) }')
done
wait $pid
# Latency per 5 s of the run (snapshots are written at 5, 10 .. 30 s).
awk '{ split($1, t, /[=s]/); b = int(t[2] / 5) * 5; if ($5 > m[b]) m[b] = $5; if ($3 > p[b]) p[b] = $3; n[b]++ }
     END { for (b = 0; b < 40; b += 5) if (n[b]) printf "  %2d-%2d s: %3d batches of 2000 requests, worst p99 %7.3f ms, worst max %8.3f ms\n", b, b + 5, n[b], p[b], m[b] }' "$tmp/latency"
echo "  $requests requests in $batches batches; worst latency $worst ms"
[ "$batches" -ge 5 ] || fail "only $batches load batches ran"
# A snapshot costs well under a millisecond of the writer thread's time and
# blocks nobody: one second is far beyond any request here, even on a
# loaded machine, and far below what a stalled writer would show.
awk -v w="$worst" 'BEGIN { exit !(w < 1000) }' || fail "a request took $worst ms"

expect_eq "snapshots left" "$(cd "$tmp/snaps" && ls | tr '\n' ' ')" \
	"snapshot-000003.json snapshot-000004.json snapshot-000005.json snapshot-000006.json "
for f in "$tmp"/snaps/*; do
	run "$HT" report "$f"
	expect_rc 0 "snapshot $(basename "$f") is a valid report"
	grep -q '"reason":"snapshot"' "$f" || fail "$(basename "$f"): reason is not snapshot"
done
[ -s "$tmp/exit.json" ] || fail "no exit report"
run "$HT" report "$tmp/snaps" --format pprof -o "$tmp/latest.pb.gz"
expect_rc 0 "report DIR --format pprof"
if command -v go >/dev/null; then
	"$HT" report "$tmp/snaps/snapshot-000006.json" --format pprof -o "$tmp/six.pb.gz"
	cmp -s "$tmp/latest.pb.gz" "$tmp/six.pb.gz" || fail "DIR did not read the latest snapshot"
	go tool pprof -top "$tmp/latest.pb.gz" >/dev/null 2>&1 || fail "go tool pprof cannot read the latest snapshot"
fi
finish
