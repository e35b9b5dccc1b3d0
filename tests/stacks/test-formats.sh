#!/bin/bash
# Folded stacks and massif output of stacks_prog: folded weights sum to the report's totals,
# ms_print accepts the massif file and shows the exact peak; usage errors.
. "$(dirname "$0")/lib.sh"

r=$tmp/r.json
run "$HT" run -q --stacks=32 --timeline bytes -o "$r" -- "$PROGS/stacks-prog-fp"
expect_rc 0 "heaptag run"

for w in peak live allocated; do
	run "$HT" report "$r" --format collapsed --weight $w
	expect_rc 0 "collapsed --weight $w"
	cp "$tmp/out" "$tmp/$w.folded"
	case $w in
	peak) want=$($CHECK sum-live-at-peak "$r") ;;
	live) want=$($CHECK get "$r" totals live_bytes) ;;
	allocated) want=$($CHECK get "$r" totals bytes_requested) ;;
	esac
	expect_eq "collapsed --weight $w: sum" "$($CHECK folded-sum "$tmp/$w.folded")" "$want"
done
# This program's peak is reached exactly once: the sites' bytes at the
# peak add up to the whole peak.
expect_eq "live_at_peak sum" "$($CHECK sum-live-at-peak "$r")" 80800
expect_eq "peak_live_bytes" "$($CHECK get "$r" totals peak_live_bytes)" 80800
# Outermost first, innermost last; no wrappers skipped here, none exist.
grep -q '^_start;__libc_start_main[^;]*;__libc_start_call_main;main;scratch 1000$' "$tmp/peak.folded" ||
	fail "folded peak: no '...;main;scratch 1000' line"
grep -q ';main;header_add 20000$' "$tmp/live.folded" || fail "folded live: no ';main;header_add 20000'"
run "$HT" report "$r" --format collapsed --weight allocated --type-frames
expect_rc 0 "--type-frames"
grep -q ';main;scratch;\[untagged\] 50000$' "$tmp/out" || fail "--type-frames: no ';scratch;[untagged] 50000'"
[ "$(grep -vc ';\[untagged\] [0-9]*$' "$tmp/out")" = 0 ] || fail "--type-frames: a line without [untagged]"

# massif
run "$HT" report "$r" --format massif -o "$tmp/massif.out"
expect_rc 0 "--format massif -o"
[ -s "$tmp/massif.out" ] && [ ! -s "$tmp/out" ] || fail "massif: file empty or stdout used"
[ "$(grep -c '^heap_tree=peak$' "$tmp/massif.out")" = 1 ] || fail "massif: not exactly one peak snapshot"
head -3 "$tmp/massif.out" | sed -n 2,3p >"$tmp/got"
printf 'cmd: stacks-prog-fp\ntime_unit: B\n' >"$tmp/want"
expect_same "massif header" "$tmp/got" "$tmp/want"
grep -q "^ n1: 1000 0x[0-9A-F]*: scratch (stacks_prog.c:$(mark_line "$SRC" scratch))\$" "$tmp/massif.out" ||
	fail "massif: no ' n1: 1000 0x..: scratch (stacks_prog.c:N)' line at the peak"
if command -v ms_print >/dev/null; then
	run ms_print "$tmp/massif.out"
	expect_rc 0 "ms_print"
	expect_eq "ms_print peak" "$($CHECK msprint-peak "$tmp/out")" 80800
	# The exit snapshot: 42400 bytes live, from three sites.
	grep -q '^->[0-9.]*% (20,000B) 0x[0-9A-F]*: header_add (stacks_prog.c:' "$tmp/out" ||
		fail "ms_print: no header_add 20,000B entry"
else
	fail "ms_print not installed (valgrind is in scripts/install-deps.sh)"
fi

# Timeline in ms: time_unit follows.
run "$HT" run -q --stacks --timeline ms -o "$tmp/ms.json" -- "$PROGS/stacks-prog-fp"
expect_rc 0 "run --timeline ms"
run "$HT" report "$tmp/ms.json" --format massif
grep -q '^time_unit: ms$' "$tmp/out" || fail "--timeline ms: time_unit is not ms"

# Errors: one line, status 2.
run "$HT" report "$r" --weight live
expect_rc 2 "--weight without collapsed"
run "$HT" report "$r" --format collapsed --weight bogus
expect_rc 2 "bad --weight"
run "$HT" report "$r" --top 0
expect_rc 2 "--top 0"
run "$HT" report "$r" --type NoSuchType
expect_rc 2 "--type of an absent type"
grep -qx "heaptag: $r: no type \"NoSuchType\" in the report" "$tmp/err" || fail "--type message: $(cat "$tmp/err")"
run "$HT" report "$here/../tools/data/dict.json" --format collapsed
expect_rc 2 "collapsed of a report without stacks"
run "$HT" run --stacks=0 -- /bin/true
expect_rc 2 "--stacks=0"
run "$HT" run --stacks=129 -- /bin/true
expect_rc 2 "--stacks=129"
run "$HT" run --timeline hours -- /bin/true
expect_rc 2 "--timeline hours"
/usr/bin/python3 - "$r" "$tmp/broken.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["sites"][0]["live_blocks"] += 1
json.dump(d, open(sys.argv[2], "w"))
PY
run "$HT" report "$tmp/broken.json" --format collapsed
expect_rc 2 "inconsistent site"
grep -q "^heaptag: $tmp/broken.json: inconsistent report: site [0-9]*: alloc_calls - free_calls != live_blocks\$" "$tmp/err" ||
	fail "inconsistent site message: $(cat "$tmp/err")"
finish
