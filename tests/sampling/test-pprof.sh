#!/bin/bash
# `heaptag report --format pprof` read by Debian's go tool pprof: -top and
# -tagfocus give exactly the report's totals and per-type figures.
#
# -top for each of the four sample types and -tagfocus=type=... give
# exactly the report's totals and per-type figures, for a sampled report
# (synth.c) and an exact report with stacks (the dict client keeping 2000
# Responses).
. "$(dirname "$0")/lib.sh"
need_go
CHECK="$PY $here/pprof_check.py"

LD_PRELOAD=$LIB HEAPTAG_SAMPLE=512KiB HEAPTAG_SAMPLE_SEED=7 HEAPTAG_OUT=$tmp/s.json "$SYNTH" >/dev/null ||
	fail "synth under sampling"
run "$HT" report "$tmp/s.json" --format pprof -o "$tmp/s.pb.gz"
expect_rc 0 "report --format pprof (sampled)"
[ "$(head -c2 "$tmp/s.pb.gz" | od -An -tx1 | tr -d ' ')" = 1f8b ] || fail "not gzip"
$CHECK "$tmp/s.json" "$tmp/s.pb.gz" Small Medium Large Huge || fail "sampled profile totals"
# The estimates are said to be estimates, in the profile too.
go tool pprof -raw "$tmp/s.pb.gz" 2>/dev/null | grep -q "Comment: heaptag: sampled, one sample per 524288 bytes" ||
	fail "no sampling comment in the profile"

start_server
LD_PRELOAD=$LIB HEAPTAG_STACKS=32 HEAPTAG_OUT=$tmp/e.json "$SCENE" "$URL" -n 2000 --keep >/dev/null ||
	fail "exact scene with stacks"
run "$HT" report "$tmp/e.json" --format pprof -o "$tmp/e.pb.gz"
expect_rc 0 "report --format pprof (exact, stacks)"
$CHECK "$tmp/e.json" "$tmp/e.pb.gz" Response Response.payload || fail "exact profile totals"
# Functions and file:line reach the profile; mappings carry build IDs.
go tool pprof -raw "$tmp/e.pb.gz" 2>/dev/null >"$tmp/raw"
grep -q "hc_.*\.c:[0-9]" "$tmp/raw" || fail "no client function with file:line in the locations"
grep -Eq "^[0-9]+: 0x[0-9a-f]+/0x[0-9a-f]+/0x[0-9a-f]+ .*hc-scene [0-9a-f]{40}" "$tmp/raw" ||
	fail "no hc-scene mapping with a build ID"

run "$HT" report "$tmp/missing.json" --format pprof -o "$tmp/x.pb.gz"
expect_rc 2 "pprof of a missing report"
finish
