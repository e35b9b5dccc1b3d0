#!/bin/bash
# Bad sampling and snapshot settings: one warning each; the program runs on.
#
# Bad HEAPTAG_SAMPLE, HEAPTAG_INTERVAL and HEAPTAG_KEEP values: one warning
# line each and the default; an unwritable snapshot directory: one warning
# and the program runs on, its output and status unchanged.
. "$(dirname "$0")/lib.sh"
cd "$tmp"
LD_PRELOAD=$LIB HEAPTAG_SAMPLE=12Q HEAPTAG_INTERVAL=x HEAPTAG_KEEP=0 HEAPTAG_OUT=$tmp/bad.json \
	/bin/sh -c 'echo out; exit 3' >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 3 "program status under bad values"
expect_eq "program output" "$(cat "$tmp/out")" out
expect_eq "warning lines" "$(wc -l <"$tmp/err")" 3
grep -qx "heaptag: ignoring HEAPTAG_SAMPLE='12Q' (it takes a mean in bytes from 1 to 1TiB, e.g. 512KiB); sampling with the default 512KiB" "$tmp/err" ||
	fail "HEAPTAG_SAMPLE warning: $(cat "$tmp/err")"
grep -qx "heaptag: ignoring HEAPTAG_INTERVAL='x' (it takes whole seconds from 1 to 86400); using 60" "$tmp/err" ||
	fail "HEAPTAG_INTERVAL warning"
grep -qx "heaptag: ignoring HEAPTAG_KEEP='0' (it takes a count from 1 to 1000000); using 10" "$tmp/err" ||
	fail "HEAPTAG_KEEP warning"
expect_eq "default mean taken" "$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["sampling"]["mean_bytes"])' "$tmp/bad.json")" 524288

for v in 0 -5 1.5 "" 2TiB; do
	LD_PRELOAD=$LIB HEAPTAG_SAMPLE=$v HEAPTAG_OUT=$tmp/v.json /bin/true 2>"$tmp/err"
	if [ "$v" = 0 ]; then
		expect_eq "HEAPTAG_SAMPLE=0 is exact mode, silently" "$(wc -l <"$tmp/err")" 0
	else
		expect_eq "HEAPTAG_SAMPLE='$v' warns once" "$(wc -l <"$tmp/err")" 1
	fi
done
LD_PRELOAD=$LIB HEAPTAG_SAMPLE=64K HEAPTAG_OUT=$tmp/k.json /bin/true 2>"$tmp/err"
expect_eq "64K accepted" "$(cat "$tmp/err")" ""
expect_eq "64K is 65536" "$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["sampling"]["mean_bytes"])' "$tmp/k.json")" 65536
# The top of the range the warning names is accepted too.
LD_PRELOAD=$LIB HEAPTAG_SAMPLE=1TiB HEAPTAG_OUT=$tmp/t.json /bin/true 2>"$tmp/err"
expect_eq "1TiB accepted" "$(cat "$tmp/err")" ""
expect_eq "1TiB is 2^40" "$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["sampling"]["mean_bytes"])' "$tmp/t.json")" 1099511627776

# Unwritable snapshot directory (a path under a regular file).
touch "$tmp/file"
LD_PRELOAD=$LIB HEAPTAG_INTERVAL=1 HEAPTAG_SNAPSHOT_DIR=$tmp/file/snaps HEAPTAG_OUT=$tmp/u.json \
	/bin/sleep 1.5 >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 0 "program status with an unwritable snapshot dir"
expect_eq "one warning for the snapshot dir" "$(grep -c 'no snapshots' "$tmp/err")" 1
[ -s "$tmp/u.json" ] || fail "no exit report when the snapshot dir is unwritable"

# A signal handler that enters the tracker while its thread holds the
# sampler's lock (HEAPTAG_SAMPLE=1: every block sampled) skips its
# bookkeeping, never deadlocks.
LD_PRELOAD=$LIB HEAPTAG_SAMPLE=1 HEAPTAG_OUT=$tmp/sig.json timeout 120 "$BUILD/tests/sampling/sig-alloc" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 0 "allocating signal handler in sampled mode"
expect_eq "its output" "$(cat "$tmp/out")" "done 1"
run "$HT" report "$tmp/sig.json"
expect_rc 0 "its report is valid"

# heaptag run --sample: a bad value is a usage error before the program runs.
run "$HT" run --sample=abc -- /bin/true
expect_rc 2 "heaptag run --sample=abc"
finish
