#!/bin/bash
# A failed realloc of a sampled block leaves it sampled, its figures unchanged.
#
# realloc_fail.c under HEAPTAG_SAMPLE=1 (every block sampled, weight 1:
# exact figures): a 1000-byte block of type Kept, a realloc of it that
# fails with ENOMEM, then one to 2000 bytes.  Kept: 2 allocations, 1 free,
# 3000 bytes requested, 2000 bytes and 1 block live; as many live samples
# as live blocks, none dropped.  A failed malloc and a failed
# realloc(NULL, n) then leave the countdown as it was: After, ten blocks
# of 100 bytes, is counted whole.
. "$(dirname "$0")/lib.sh"
LD_PRELOAD=$LIB HEAPTAG_SAMPLE=1 HEAPTAG_OUT=$tmp/r.json "$BUILD/tests/sampling/realloc-fail" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 0 "realloc-fail under sampled mode"
expect_eq "its output" "$(cat "$tmp/out")" ok
expect_eq "Kept's figures" "$($PY - "$tmp/r.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
t = {x["name"]: x for x in d["types"]}["Kept"]
s = d["sampling"]
# Every live block is a live sample at weight 1 (stdio's buffer is one).
a = {x["name"]: x for x in d["types"]}.get("After", {})
print(t["alloc_calls"], t["free_calls"], t["bytes_requested"], t["live_bytes"], t["live_blocks"],
      s["live_samples"] == d["totals"]["live_blocks"], s["dropped"],
      a.get("alloc_calls"), a.get("live_bytes"))
PYEOF
)" "2 1 3000 2000 1 True 0 10 1000"
finish
