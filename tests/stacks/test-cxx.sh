#!/bin/bash
# C++ call sites (stacks_cxx.cc): demangled names, operator new skipped in
# the call path, exact bytes per site, leak suppressions.
. "$(dirname "$0")/lib.sh"
src=$here/stacks_cxx.cc

run "$HT" run -q --stacks -o "$tmp/r.json" -- "$PROGS/stacks-cxx"
expect_rc 0 "heaptag run --stacks"
expect_eq "frames inside libheaptag.so" "$($CHECK tracker-frames "$tmp/r.json")" 0

run "$HT" report "$tmp/r.json" --format collapsed --weight allocated
expect_rc 0 "collapsed"
cp "$tmp/out" "$tmp/folded"
# 100 Items of 48 bytes from Cart::add; 10 arrays of 16 longs.
grep -q ';main;shop::Cart::add(long);operator new(unsigned long) 4800$' "$tmp/folded" ||
	fail "no '...;main;shop::Cart::add(long);operator new(unsigned long) 4800'"
arrays=$(grep ';main;long\* shop::make_array<long>(unsigned long);operator new' "$tmp/folded" |
	awk '{ s += $NF } END { print s + 0 }')
expect_eq "make_array bytes" "$arrays" 1280
expect_eq "folded sum" "$($CHECK folded-sum "$tmp/folded")" "$($CHECK get "$tmp/r.json" totals bytes_requested)"

run "$HT" report --top 1000 "$tmp/r.json"
expect_rc 0 "report"
grep -A1 '^    [0-9]*\. site .*, 100 allocations' "$tmp/out" | sed -n 2p >"$tmp/got"
printf '          shop::Cart::add(long) (stacks_cxx.cc:%s) in stacks-cxx\n' "$(mark_line "$src" Cart::add)" >"$tmp/want"
expect_same "Cart::add site, operator new skipped" "$tmp/got" "$tmp/want"
grep -q "^          long\* shop::make_array<long>(unsigned long) (stacks_cxx.cc:$(mark_line "$src" make_array)) in stacks-cxx\$" "$tmp/out" ||
	fail "no make_array frame with file:line"

run "$HT" report --leaks "$tmp/r.json"
expect_rc 0 "--leaks"
grep -v '^#' "$tmp/out" >"$tmp/got"
# Two blocks are live at exit: the program's own leak, and libstdc++'s
# emergency exception pool, allocated by its constructor before main (the
# tracker sees it since it starts at the first allocation).  libstdc++ is
# stripped, so the innermost named frame of that one is the loader's
# call_init.
printf 'leak:call_init\nleak:long* shop::make_array<long>(unsigned long)\n' >"$tmp/want"
expect_same "C++ leak suppressions" "$tmp/got" "$tmp/want"
finish
