#!/bin/bash
# Call sites of stacks_prog, with and without frame pointers, at depth 32.
#
# Call sites of stacks_prog (built with and without frame pointers) at
# depth 32: the program's own functions with file:line in stacks_prog.c,
# exact per-site figures, no tracker frames, leak suppressions.
. "$(dirname "$0")/lib.sh"

l_resp=$(mark_line "$SRC" response_new)
l_hdr=$(mark_line "$SRC" header_add)
l_body=$(mark_line "$SRC" body_read)
l_scr=$(mark_line "$SRC" scratch)

for v in fp nofp; do
	prog=$PROGS/stacks-prog-$v
	run "$HT" run -q --stacks -o "$tmp/$v.json" -- "$prog"
	expect_rc 0 "$v: heaptag run --stacks"
	expect_eq "$v: stack depth" "$($CHECK get "$tmp/$v.json" stacks depth)" 32
	expect_eq "$v: frames inside libheaptag.so" "$($CHECK tracker-frames "$tmp/$v.json")" 0

	run "$HT" report --top 1000 "$tmp/$v.json"
	expect_rc 0 "$v: heaptag report"
	cp "$tmp/out" "$tmp/$v.txt"
	if grep -q 'libheaptag\|heaptag_\|alloc_hooks' "$tmp/$v.txt"; then
		fail "$v: tracker frames in the report text"
	fi
	$CHECK sites-by-function "$tmp/$v.txt" >"$tmp/got"
	cat >"$tmp/want" <<-END
	body_read allocs=200 live_blocks=100 temporary=0 at=stacks_prog.c:$l_body
	header_add allocs=1000 live_blocks=100 temporary=0 at=stacks_prog.c:$l_hdr
	response_new allocs=200 live_blocks=100 temporary=0 at=stacks_prog.c:$l_resp
	scratch allocs=50 live_blocks=0 temporary=50 at=stacks_prog.c:$l_scr
	END
	expect_same "$v: sites by function" "$tmp/got" "$tmp/want"
	# The caller below each site is main, in the program's module.
	grep -q "^          main (stacks_prog.c:[0-9]*) in stacks-prog-$v\$" "$tmp/$v.txt" ||
		fail "$v: no 'main (stacks_prog.c:N) in stacks-prog-$v' frame"
	grep -q "^== untagged: .* 1450 allocations, 50 temporary (3.4%); 300 blocks live at exit from " "$tmp/$v.txt" ||
		fail "$v: type line: $(grep '^== untagged' "$tmp/$v.txt")"

	# Histogram: 200 calloc(24); header reallocs of 40 (200), 80 and 120
	# (400), 160 and 200 (400) bytes; bodies of 100 (50) and 150-250 (150);
	# 50 scratch buffers of 1000.
	run "$HT" report --histogram --type untagged --top 1 "$tmp/$v.json"
	expect_rc 0 "$v: --histogram"
	sed -n '/^  Request sizes (size/,/^  [A-Z]/p' "$tmp/out" | grep '^    ' >"$tmp/got"
	cat >"$tmp/want" <<-END
	    17-32 B                200
	    33-64 B                200
	    65-128 B               450
	    129-256 B              550
	    513-1024 B             50
	END
	expect_same "$v: request-size histogram" "$tmp/got" "$tmp/want"

	run "$HT" report --leaks "$tmp/$v.json"
	expect_rc 0 "$v: --leaks"
	grep -v '^#' "$tmp/out" | sort >"$tmp/got"
	printf 'leak:body_read\nleak:header_add\nleak:response_new\n' >"$tmp/want"
	expect_same "$v: leak suppressions" "$tmp/got" "$tmp/want"
	head -1 "$tmp/out" | grep -q '^# LeakSanitizer suppressions: 300 blocks (42400 bytes) live at exit' ||
		fail "$v: suppressions header: $(head -1 "$tmp/out")"
	run "$HT" report --leaks -o "$tmp/lsan.supp" "$tmp/$v.json"
	expect_rc 0 "$v: --leaks -o"
	[ -s "$tmp/lsan.supp" ] && [ ! -s "$tmp/out" ] || fail "$v: --leaks -o: file empty or stdout used"
done
finish
