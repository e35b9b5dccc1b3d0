# Shared by the rule-pack tests: the common opening (tests/lib/cli-test.sh),
# the packs, and figures.py / site_functions.py (run by Debian's python3).
. "$(dirname "${BASH_SOURCE[0]}")/../lib/cli-test.sh"
need_tracker_and_python
PACKS=$top/profiler/rules
FIG="$PY $top/tests/rules/figures.py"
SITES="$PY $top/tests/rules/site_functions.py"

# expect_instance_blocks MODE DIR N: the blocks that instances.py's N
# instances were made with, between its dumps in DIR, typed by the CPython
# pack: exactly N "instance", N - 257 + 4 "int" (range() makes the ints
# 257..N-1, the small ones are cached, and computing its length makes 4),
# N "dict.values" without __slots__ (MODE dict) and none with them, and no
# "untagged" block.
expect_instance_blocks() {
	local mode=$1 dir=$2 n=$3 values=0
	[ "$mode" = dict ] && values=$n
	echo "$mode: blocks made with the instances:" $($FIG window-types "$dir")
	expect_eq "$mode: instance blocks" "$($FIG window-blocks "$dir" instance)" "$n"
	expect_eq "$mode: int blocks from range($n)" "$($FIG window-blocks "$dir" int)" $((n - 257 + 4))
	expect_eq "$mode: dict.values blocks" "$($FIG window-blocks "$dir" dict.values)" "$values"
	expect_eq "$mode: untagged blocks" "$($FIG window-blocks "$dir" untagged)" 0
}
