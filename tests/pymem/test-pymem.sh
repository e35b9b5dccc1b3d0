#!/bin/bash
# CPython with pymalloc on under `heaptag run --python`: bytes per instance,
# types and scopes against tracemalloc.
#
# CPython in its production configuration (pymalloc on, no PYTHONMALLOC)
# under `heaptag run --python`, on Debian's python3.11 and the tests'
# 100,000-instance, 7-attribute class (tests/rules/instances.py), with and
# without __slots__:
# - heaptag's bytes per instance, (peak with N - peak with 0) / N, is
#   within 2% of tracemalloc's;
# - without --python the same run sees under half of that (pymalloc is
#   really on, and the hooks are what make the difference);
# - the CPython rule pack types the pymalloc blocks: between the reports
#   the script dumps just before and just after making the instances
#   (instances.py's DIR), exactly N "instance" blocks, N - 257 + 4 "int",
#   N "dict.values" without __slots__ and none with them, and no
#   "untagged" block;
# - a per-class scope (heaptag_push through ctypes, tests/pymem/scoped.py)
#   holds the instances' blocks: 2 per instance without __slots__, 1 with
#   them (plus at most 2 for the calls that open and close the scope), and
#   bytes within 2% of what tracemalloc traces over the same stretch.
. "$(dirname "$0")/../rules/lib.sh"
PYBIN=/usr/bin/python3.11
[ -x "$PYBIN" ] || { echo "skip: no $PYBIN"; exit 77; }
unset PYTHONMALLOC
export PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1
N=100000
INST=$top/tests/rules/instances.py

for mode in dict slots; do
	for n in 0 $N; do
		run "$HT" run -q --python -o "$tmp/$mode-$n.json" -- "$PYBIN" "$INST" $n $mode
		expect_rc 0 "heaptag run --python: $mode, $n instances"
		ht[$n]=$($FIG peak "$tmp/$mode-$n.json")
		run "$HT" run -q -o "$tmp/plain-$mode-$n.json" -- "$PYBIN" "$INST" $n $mode
		expect_rc 0 "heaptag run: $mode, $n instances"
		plain[$n]=$($FIG peak "$tmp/plain-$mode-$n.json")
		run "$PYBIN" -X tracemalloc "$INST" $n $mode
		expect_rc 0 "tracemalloc run: $mode, $n instances"
		tm[$n]=$(cat "$tmp/out")
	done
	mkdir -p "$tmp/dumps-$mode"
	run "$HT" run -q --python --rules "$PACKS/cpython.rules" -o "$tmp/rules-$mode.json" \
		-- "$PYBIN" "$INST" $N $mode "$tmp/dumps-$mode"
	expect_rc 0 "heaptag run --python --rules: $mode"
	hpi=$($FIG per-instance "${ht[$N]}" "${ht[0]}" $N)
	ppi=$($FIG per-instance "${plain[$N]}" "${plain[0]}" $N)
	tpi=$($FIG per-instance "${tm[$N]}" "${tm[0]}" $N)
	echo "$mode: heaptag --python ${ht[$N]} - ${ht[0]} = $hpi B/instance;" \
		"tracemalloc ${tm[$N]} - ${tm[0]} = $tpi B/instance; without --python $ppi B/instance"
	expect_eq "$mode: heaptag's B/instance ($hpi) within 2% of tracemalloc's ($tpi)" \
		"$($FIG within "$hpi" "$tpi" 2)" yes
	expect_eq "$mode: without --python heaptag sees under half ($ppi of $tpi B/instance)" \
		"$($PY -c 'import sys; print(2 * float(sys.argv[1]) < float(sys.argv[2]))' "$ppi" "$tpi")" True

	expect_instance_blocks $mode "$tmp/dumps-$mode" $N
	per=1 # blocks per instance in the scope: the object, and its values without __slots__
	[ $mode = dict ] && per=2

	run "$HT" run -q --python -o "$tmp/scoped-$mode.json" -- "$PYBIN" "$here/scoped.py" $N $mode
	expect_rc 0 "scoped.py: $mode"
	run "$PYBIN" -X tracemalloc "$here/scoped.py" $N $mode
	expect_rc 0 "scoped.py under tracemalloc: $mode"
	traced=$(cat "$tmp/out")
	read -r calls peak < <($PY -c '
import json, sys
t = {t["name"]: t for t in json.load(open(sys.argv[1]))["types"]}["C"]
print(t["alloc_calls"], t["peak_live_bytes"])' "$tmp/scoped-$mode.json")
	echo "$mode: scope C: $calls blocks, peak $peak bytes; tracemalloc over the scope: $traced"
	expect_eq "$mode: scope C holds $per blocks per instance (+0..2)" \
		"$((calls >= per * N && calls <= per * N + 2))" 1
	expect_eq "$mode: scope C's bytes ($peak) within 2% of tracemalloc's ($traced)" \
		"$($FIG within "$peak" "$traced" 2)" yes
done
finish
