#!/bin/bash
# A pool allocator instrumented with the allocator API gives exact figures.
#
# A pool allocator instrumented with the allocator API (tests/custom/pool.c)
# gives exact live and peak figures per pooled type, its pool's backing
# type holds only the bytes not carved out, and the totals count each byte
# once (see the timeline in pool.c).  The same with stacks on, where a rule
# instead of a scope names the pooled type.  Four threads with a pool each,
# exact whatever the interleaving.  Without the tracker the program runs
# the same.
. "$(dirname "$0")/../profiler/lib.sh"
POOL=$BUILD/tests/custom/pool
[ -x "$POOL" ] || { echo "missing $POOL (make $POOL)"; exit 1; }
d=$SCRATCH

"$POOL"
expect_eq "pool runs without the tracker" 0 "$?"

B=65536
figures=(
    --expect types.Node.live_bytes=24000 --expect types.Node.peak_live_bytes=48000
    --expect types.Node.alloc_calls=1000 --expect types.Node.free_calls=500
    --expect types.Node.live_blocks=500
    --expect types.Edge.live_bytes=67200 --expect types.Edge.peak_live_bytes=67200
    --expect types.Edge.alloc_calls=2100 --expect types.Edge.free_calls=100
    --expect types.Edge.live_blocks=2000
    --expect types.Big.alloc_calls=1 --expect types.Big.free_calls=1
    --expect types.Big.peak_live_bytes=5008 --expect types.Big.live_bytes=0
    --expect types.Blob.live_bytes=500 --expect types.Blob.peak_live_bytes=1000
    --expect types.Blob.alloc_calls=10 --expect types.Blob.free_calls=5
    --expect types.Pool.live_bytes=$((2 * B - 24000 - 67200))
    --expect types.Pool.peak_live_bytes=$B
    --expect types.Pool.alloc_calls=2 --expect types.Pool.live_blocks=2
    --expect types.untagged.live_bytes=0
    --expect totals.live_bytes=$((2 * B + 500))
    --expect totals.peak_live_bytes=$((2 * B + 1000 + 5008))
    --expect totals.foreign_free_calls=1
)
HEAPTAG_OUT=$d/scopes.json timeout 20 env LD_PRELOAD="$LIB" "$POOL"
expect_eq "pool exit status under the tracker" 0 "$?"
run_check "pool, scopes: exact per-type and total figures" "${figures[@]}" "$d/scopes.json"

# Stacks on, Edges typed by a rule: the same figures, and the Edge call
# site carries them.
HEAPTAG_OUT=$d/rules.json HEAPTAG_STACKS=16 HEAPTAG_RULES=$(dirname "$0")/pool.rules \
    timeout 20 env LD_PRELOAD="$LIB" "$POOL" rules
expect_eq "pool exit status under the tracker with rules" 0 "$?"
run_check "pool, rules: exact per-type and total figures" "${figures[@]}" "$d/rules.json"
edge_site=$(/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(sum(s["live_bytes"] for s in r["sites"] if s["type"] == "Edge"))' "$d/rules.json")
expect_eq "pool, rules: the Edge sites hold the Edges' live bytes" 67200 "$edge_site"

# Four threads, four pools (tests/custom/pool_threads.c), 20 runs: exact
# figures whatever the interleaving.
for i in $(seq 20); do
    HEAPTAG_OUT=$d/threads-$i.json timeout 20 env LD_PRELOAD="$LIB" "$BUILD/tests/custom/pool-threads" ||
        fail "pool-threads run $i: exit $?"
done
run_check "pool-threads: exact figures in 20 runs" \
    --expect types.TNode.alloc_calls=4000 --expect types.TNode.free_calls=2000 \
    --expect types.TNode.live_bytes=96000 --expect types.TNode.peak_live_bytes=192000 \
    --expect types.TNode.live_blocks=2000 \
    --expect types.TPool.live_blocks=4 --expect types.TPool.live_bytes=$((4 * B - 96000)) \
    "$d"/threads-*.json
finish
