#!/bin/bash
# heaptag's own stack walk against libunwind's (profiler/src/fast_unwind.c).
#
# Under HEAPTAG_UNWIND_CHECK=1 every stack is walked both ways and the
# report's unwind_check counts the stacks, those only libunwind
# walked (a frame our walk leaves to it) and those whose two walks
# differed, which must be none.  unwind-prog makes its allocations under
# the frames that are hard to walk (alloca, realigned stacks, recursion
# past the depth, a call to a noreturn function as a function's last
# instruction, threads, a module loaded and unloaded five times, a signal
# handler), built with and without frame pointers; Debian's python3 and
# perl are stripped and built without them; a C++ program allocates in
# constructors that run below a loader frame without CFI.  Our walk must also take all
# but the stacks with a signal frame, or it would quietly cost what
# libunwind costs.  Every report must still pass the format's validator.
. "$(dirname "$0")/lib.sh"
VALIDATE=$BUILD/tests/profiler/report-check
[ -x "$VALIDATE" ] || { echo "no $VALIDATE; run make first"; exit 1; }

# check NAME FALLBACKS-AT-MOST ENV... -- COMMAND...
check() {
	local name=$1 most=$2
	shift 2
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	run env LD_PRELOAD="$BUILD/lib/libheaptag.so" HEAPTAG_STACKS=32 HEAPTAG_UNWIND_CHECK=1 \
		HEAPTAG_QUIET=1 HEAPTAG_OUT="$tmp/$name.json" "${envs[@]}" "$@"
	expect_rc 0 "$name"
	[ -s "$tmp/$name.json" ] || { fail "$name: no report"; return; }
	"$VALIDATE" "$tmp/$name.json" >"$tmp/validate" 2>&1 ||
		fail "$name: the report fails validation: $(head -c 300 "$tmp/validate")"
	local stacks only differed
	stacks=$($CHECK get "$tmp/$name.json" unwind_check stacks)
	only=$($CHECK get "$tmp/$name.json" unwind_check libunwind_only)
	differed=$($CHECK get "$tmp/$name.json" unwind_check differed)
	echo "$name: $stacks stacks, $only walked by libunwind alone, $differed differed"
	expect_eq "$name: stacks whose walks differed" "$differed" 0
	[ "$stacks" -gt 0 ] || fail "$name: no stack compared"
	[ "$only" -le "$most" ] || fail "$name: $only stacks left to libunwind (at most $most expected)"
}

for build in fp nofp; do
	prog=$PROGS/unwind-prog-$build
	for mode in exact sampled; do
		envs=()
		[ $mode = sampled ] && envs=(HEAPTAG_SAMPLE=1) # a mean of one byte samples every block
		# 496 allocations, each with its stack; the ten in the signal
		# handler have a signal frame, which only libunwind walks.
		check "unwind-prog-$build-$mode" 10 "${envs[@]}" -- "$prog" "$PROGS/unwind-mod-$build.so"
		expect_eq "unwind-prog-$build-$mode: stacks" \
			"$($CHECK get "$tmp/unwind-prog-$build-$mode.json" unwind_check stacks)" 496
		expect_eq "unwind-prog-$build-$mode: output" "$(cat "$tmp/out")" done
	done
done

# C++: its runtime's constructors allocate before main, under the loader's
# _dl_start_user, which has no CFI (a frame both walks end at).
check cxx 0 -- "$PROGS/stacks-cxx"
if [ -x /usr/bin/python3 ]; then
	check python3 5 PYTHONMALLOC=malloc -- /usr/bin/python3 -c \
		'import json, decimal; x = [dict(a=i, b=str(i)) for i in range(3000)]; json.dumps(x)'
fi
if [ -x /usr/bin/perl ]; then
	check perl 5 -- /usr/bin/perl -e 'my %h; $h{$_} = [$_ x 3] for 1..3000;'
fi
finish
