#!/bin/bash
# The cost of `heaptag run --python` on CPython with pymalloc on (issue 16).
#
# CPython in production configuration (pymalloc on, no PYTHONMALLOC):
# tests/rules/instances.py with 100,000 instances, with and without
# __slots__, alone and under `heaptag run --python`.  Runs alternate
# (A, B, A, B ...) so machine load hits both alike; the median wall time
# of ROUNDS each is compared.  Target (issue 16): at most 1.5x.
#   bench/run-pymem-bench.sh BUILD [ROUNDS]
set -u
BUILD=${1:-build}
ROUNDS=${2:-${BENCH_ROUNDS:-7}}
top=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3
HT=$BUILD/bin/heaptag
INST=$top/tests/rules/instances.py
N=100000
out=$BUILD/bench/pymem.txt
mkdir -p "$BUILD/bench"
unset PYTHONMALLOC
export PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ms() { # CMD...: wall milliseconds of one run (exits the bench on failure)
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null 2>"$tmp/err" || { echo "bench-pymem: failed: $* ($(head -c 200 "$tmp/err"))" >&2; exit 1; }
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000))
}
median() { tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }

{
	printf '%-28s %10s %12s %7s\n' "workload ($ROUNDS rounds)" "alone ms" "heaptag ms" ratio
	for mode in dict slots; do
		alone="" tracked=""
		for ((r = 0; r < ROUNDS; r++)); do
			alone+=" $(ms "$PY" "$INST" $N $mode)"
			tracked+=" $(ms "$HT" run -q --python -o "$tmp/r.json" -- "$PY" "$INST" $N $mode)"
		done
		a=$(echo $alone | median)
		b=$(echo $tracked | median)
		printf '%-28s %10d %12d %6.2fx\n' "python3 instances $mode" "$a" "$b" \
			"$(awk -v a="$a" -v b="$b" 'BEGIN {print b / a}')"
	done
	echo "target: at most 1.50x (medians; pymalloc on, no PYTHONMALLOC)"
} | tee "$out"
