#!/bin/bash
# The CPython pack (profiler/rules/cpython.rules) on Debian's python3.11.
#
# The CPython pack (profiler/rules/cpython.rules) on Debian's python3.11
# with PYTHONMALLOC=malloc, running tests/rules/instances.py (100,000
# instances of a class with seven attributes, with and without __slots__):
# - at least 95% of the bytes live at the peak are in named types;
# - the instances land in their types: between the reports the script
#   dumps just before and just after making them (instances.py's DIR),
#   exactly 100,000 "instance" blocks, 100,000 "dict.values" (the 3.11
#   inline values) without __slots__ and none with them, 99,747 "int"
#   (range() makes ints 257..99999, the small ones are cached, and
#   computing the range's length makes 4), and no "untagged" block;
# - heaptag's bytes per instance, (peak with 100,000 - peak with 0) /
#   100,000, is within 5% of tracemalloc's for the same script;
# - every rule of the pack names a function python3.11 has.
. "$(dirname "$0")/lib.sh"
PYBIN=/usr/bin/python3.11
[ -x "$PYBIN" ] || { echo "skip: no $PYBIN"; exit 77; }
RULES=$PACKS/cpython.rules
N=100000
export PYTHONMALLOC=malloc PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1

run $SITES --dead-rules "$RULES" "$PYBIN"
expect_rc 0 "rules naming no function of $PYBIN: $(cat "$tmp/out")"

for mode in dict slots; do
	for n in 0 $N; do
		mkdir -p "$tmp/dumps-$mode-$n"
		run "$HT" run -q --rules "$RULES" -o "$tmp/$mode-$n.json" -- \
			"$PYBIN" "$here/instances.py" $n $mode "$tmp/dumps-$mode-$n"
		expect_rc 0 "heaptag run: $mode, $n instances"
		run "$PYBIN" -X tracemalloc "$here/instances.py" $n $mode
		expect_rc 0 "tracemalloc run: $mode, $n instances"
		tm[$n]=$(cat "$tmp/out")
		ht[$n]=$($FIG peak "$tmp/$mode-$n.json")
	done
	read -r named total permille < <($FIG named-at-peak "$tmp/$mode-$N.json")
	echo "$mode: named types hold $named of $total bytes live at the peak ($((permille / 10)).$((permille % 10))%)"
	[ "$permille" -ge 950 ] || {
		fail "$mode: only $permille/1000 of the bytes at the peak are named; untagged sites:"
		$SITES "$tmp/$mode-$N.json" untagged 10
	}
	"$HT" report "$tmp/$mode-$N.json" | sed -n '2,12p'

	expect_instance_blocks $mode "$tmp/dumps-$mode-$N" $N

	hpi=$($FIG per-instance "${ht[$N]}" "${ht[0]}" $N)
	tpi=$($FIG per-instance "${tm[$N]}" "${tm[0]}" $N)
	echo "$mode: heaptag peak ${ht[$N]} - ${ht[0]} bytes = $hpi B/instance;" \
		"tracemalloc peak ${tm[$N]} - ${tm[0]} = $tpi B/instance"
	expect_eq "$mode: heaptag's B/instance ($hpi) within 5% of tracemalloc's ($tpi)" \
		"$($FIG within "$hpi" "$tpi" 5)" yes
done
finish
