#!/bin/bash
# The Python binding: a no-op alone, exact scopes under `heaptag run`.
#
# The Python binding (python/heaptag): without the tracker every call is a
# no-op; under `heaptag run` with PYTHONMALLOC=malloc, scopes tag exactly
# the blocks made inside them (1000 bytes(100) objects: 1000 calls of
# 133 B each), nest, and close when the block raises.
. "$(dirname "$0")/../lib/cli-test.sh"
need_tracker_and_python
pkg=$top/python
prog=$here/py_binding_prog.py

# No tracker: the program runs unchanged (it asserts active() first, so
# check the no-op path separately).
run env PYTHONPATH="$pkg" "$PY" -c '
import heaptag
assert not heaptag.active()
with heaptag.scope("X"):
    heaptag.instance_new("X")
heaptag.push("Y"); heaptag.pop(); heaptag.instance_free("X")
assert heaptag.dump("/nonexistent/x.json") is False
try:
    heaptag.scope("")
except ValueError:
    print("ok")'
expect_rc 0 "binding without the tracker"
expect_eq "no-op run" "$(cat "$tmp/out")" ok

run env PYTHONPATH="$pkg" PYTHONMALLOC=malloc "$HT" run --quiet -o "$tmp/r.json" -- "$PY" "$prog"
expect_rc 0 "tagged program under heaptag"
expect_eq "program output" "$(cat "$tmp/out")" ok
fig() { jq -r --arg n "$1" ".types[] | select(.name == \$n) | $2" "$tmp/r.json"; }
expect_eq "Blob instances" "$(fig Blob .instances)" 1000
expect_eq "Blob alloc calls" "$(fig Blob .alloc_calls)" 1000
expect_eq "Blob peak bytes" "$(fig Blob .peak_live_bytes)" 133000
# bytearray(5000): a 56-byte object and a 5001-byte buffer, nothing else.
expect_eq "Inner calls" "$(fig Inner .alloc_calls)" 2
expect_eq "Inner peak" "$(fig Inner .peak_live_bytes)" 5057
# The outer scope resumes after the inner one closes: bytearray(7000) is
# Outer's, and the 9000-byte one after both closed is nobody's.
o=$(fig Outer .peak_live_bytes)
[ "$o" -ge 7057 ] && [ "$o" -lt 9000 ] || fail "Outer peak $o B, expected 7057 B and less than 9000"
# Had the raising block left its scope open, the 9000-byte block would be Err's.
e=$(fig Err .peak_live_bytes)
[ "$e" -lt 9000 ] || fail "Err peak $e B: the scope stayed open after the exception"
finish
