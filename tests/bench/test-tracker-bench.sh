#!/bin/bash
# bench/run-tracker-bench.sh, end to end at a tiny scale: every cell is
# printed, the sampled bars' layers among them.
#
# It exits 0, every tool has a row for every workload, the sampled table
# carries its layers (floor, count, hooks, samples) as numbers, and the
# table of the samplers inside jemalloc and tcmalloc has its figures.  The
# speed figures themselves are not judged here: a test that timed them
# would fail on a loaded machine; `make bench` prints them.
#
# The `hooks` cell stands for sampled mode's hooks without a sample, and
# the test checks that premise: at its 1 TiB mean, a run of the same
# workloads records no sampled block at all.
. "$(dirname "$0")/../lib/cli-test.sh"
need_tracker_and_python
LIB=$BUILD/lib/libheaptag.so
BIN=$BUILD/bench/bin

# 1. The hooks cell takes no sample.
for w in "indep_churn1 20000" "realloc_grow 1" "churn_threads 20000"; do
	name=${w%% *}
	run env LD_PRELOAD="$LIB" HEAPTAG_OUT="$tmp/$name.json" HEAPTAG_SAMPLE=1TiB \
		HEAPTAG_STACKS=32 HEAPTAG_QUIET=1 "$BIN"/$w
	expect_rc 0 "$name under HEAPTAG_SAMPLE=1TiB"
	got=$("$PY" -c 'import json, sys
s = json.load(open(sys.argv[1]))["sampling"]
print(s["mean_bytes"], s["totals"]["samples"], s["live_samples"], s["peak_samples"])' "$tmp/$name.json")
	expect_eq "$name at a 1 TiB mean: mean, samples, live, peak" "$got" "1099511627776 0 0 0"
done

# 2. The script, end to end.
export BENCH_SCALE=0.002 BENCH_REPS=1 BENCH_FAST_REPS=2 BENCH_MASSIF_REPS=0
export BENCH_ONLY="realloc_grow indep_churn1" BENCH_OUT=$tmp/tracker.txt
run "$top/bench/run-tracker-bench.sh" "$BUILD"
expect_rc 0 "run-tracker-bench.sh"
[ -s "$tmp/tracker.txt" ] || fail "no table written to BENCH_OUT"
cmp -s "$tmp/out" "$tmp/tracker.txt" || fail "the printed table differs from BENCH_OUT's"
tools="none floor count hooks heaptag stacks sampled"
command -v heaptrack >/dev/null && tools="$tools heaptrack"
# the samplers inside an allocator, where Debian's libraries are installed;
# want: the numbers in their table's row (heaptag's, and two an allocator)
has_lib() { /sbin/ldconfig -p | awk -v n="$1" '$1 == n { found = 1 } END { exit !found }'; }
want=1
has_lib libjemalloc.so.2 && tools="$tools jemalloc jeprof" && want=$((want + 2))
has_lib libtcmalloc.so.4 && tools="$tools tcmalloc tcsample" && want=$((want + 2))
for w in realloc_grow indep_churn1; do
	# the main table: one row per tool, the first naming the workload
	got=$(awk -v w="$w" '
		/^workload +tool/ { on = 1; next }
		on && NF == 0 { exit }
		on && NF == 6 { cur = $1; $1 = "" ; $0 = $0 }
		on && cur == w && $2 + 0 > 0 { printf "%s ", $1 }' "$tmp/tracker.txt")
	expect_eq "$w: tools in the main table" "${got% }" "$tools"
	# the sampled table: sampled, bar, verdict, fastest, floor, count, hooks, samples
	row=$(awk -v w="$w" '/^  workload +sampled/ { on = 1; next } on && $1 == w { print; exit }' "$tmp/tracker.txt")
	[ -n "$row" ] || { fail "$w: no row in the sampled table"; continue; }
	n=$(echo "$row" | awk '{ n = 0; for (i = 5; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+$/ && $i > 0) n++; print n }')
	expect_eq "$w: numeric cells after the verdict (fastest floor count hooks samples)" "$n" 5
done
grep -q '^  workload  *sampled .* floor  *count  *hooks  *samples$' "$tmp/tracker.txt" ||
	fail "the sampled table's header lacks floor, count, hooks, samples"
# the allocators' samplers: a number in each column whose allocator is installed
for w in realloc_grow indep_churn1; do
	row=$(awk -v w="$w" '/^samplers inside an allocator/ { on = 1 } on && $1 == w { print; exit }' "$tmp/tracker.txt")
	[ -n "$row" ] || { fail "$w: no row in the allocators' samplers table"; continue; }
	n=$(echo "$row" | awk '{ n = 0; for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+$/) n++; print n }')
	expect_eq "$w: numbers in the allocators' samplers row" "$n" "$want"
done
finish
