#!/bin/bash
# heaptag run, against a stand-in tracker.
#
# heaptag run, against a stand-in tracker (fake_tracker.so writes a fixed
# report at exit): pass-through of output, stdin, exit status and signal
# death; signal forwarding; -o placement; the no-report message; stale
# files never shown; startup errors.
. "$(dirname "$0")/lib.sh"
export HEAPTAG_LIB=$HELPERS/fake_tracker.so
CHILD=$HELPERS/run_child
unset HEAPTAG_OUT LD_PRELOAD
cd "$tmp" || exit 1

# How a process ended, as Python reports it: N for exit(N), -SIG for a signal.
ended() { python3 -c 'import subprocess, sys; print(subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode)' "$@"; }

# Pass-through and the summary.
run "$HT" run -- "$CHILD" exit 3
expect_rc 3 "exit status"
printf 'out\n' | expect_file "stdout untouched" "$tmp/out"
pid=$(sed -n 's/^heaptag: run_child (pid \([0-9]*\)).*/\1/p' "$tmp/err")
[ -n "$pid" ] || fail "no summary header"
expect_file "summary on stderr" "$tmp/err" <<T
err
heaptag: report $tmp/heaptag.run_child.$pid.json
heaptag: run_child (pid $pid), reason exit, 1 ms, allocator fake
type      instances  peak inst        live        peak peak usable  B/instance alloc calls
Response          2          2       200 B       200 B       216 B       100 B           2
untagged          0          0         0 B       100 B       112 B           -           1
total                                200 B       300 B       328 B                       3
tracker overhead: 4.0 KiB now, 8.0 KiB peak (not in the figures above)
T
rm -f heaptag.*.json

run "$HT" run --quiet -- "$CHILD" exit 0
expect_rc 0 "quiet"
expect_err "quiet" "err"

run "$HT" run --format json "$CHILD" exit 0
expect_rc 0 "json summary"
tail -n +2 "$tmp/err" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["types"][0]["bytes_per_instance"] == 100.0 and d["program"] == "run_child"' \
	|| fail "json summary on stderr"
rm -f heaptag.*.json

echo "stdin line" | "$HT" run -q -- "$CHILD" cat >"$tmp/out" 2>"$tmp/err"
printf 'stdin line\n' | expect_file "stdin passed through" "$tmp/out"

# LD_PRELOAD: the tracker goes first, the existing value is kept.
LD_PRELOAD=libm.so.6 run "$HT" run -q -- printenv LD_PRELOAD
printf '%s:libm.so.6\n' "$(realpath "$HEAPTAG_LIB")" | expect_file "LD_PRELOAD prepended" "$tmp/out"
rm -f heaptag.*.json

# No report: _exit, then signals.  heaptag must die the same way.
run "$HT" run -- "$CHILD" _exit 4
expect_rc 4 "_exit status"
expect_grep "_exit message" "$tmp/err" '^heaptag: no report from [0-9]+ \(exited with status 4 without writing one: _exit\(\), an untracked exec, or an unwritable report path\)$'
[ "$(wc -l <"$tmp/err")" = 2 ] || fail "_exit: expected exactly 'err' and the no-report line"
run "$HT" run -- "$CHILD" raise 9
expect_rc 137 "SIGKILL status"
expect_grep "SIGKILL message" "$tmp/err" '^heaptag: no report from [0-9]+ \(killed by SIGKILL: a process killed by SIGKILL cannot write one\)$'
run "$HT" run -- "$CHILD" raise 15
expect_grep "SIGTERM message" "$tmp/err" '^heaptag: no report from [0-9]+ \(killed by SIGTERM: set HEAPTAG_DUMP_ON_SIGNAL=1 to get a report on SIGTERM/SIGINT\)$'
[ "$(ended "$HT" run -- "$CHILD" raise 9)" = -9 ] || fail "not killed by SIGKILL itself"
[ "$(ended "$HT" run -- "$CHILD" raise 15)" = -15 ] || fail "not killed by SIGTERM itself"
[ "$(ended "$HT" run -- "$CHILD" raise 2)" = -2 ] || fail "not killed by SIGINT itself"
[ "$(ended "$HT" run -- "$CHILD" raise 11)" = -11 ] || fail "not killed by SIGSEGV itself"
ls core* >/dev/null 2>&1 && fail "heaptag left a core file of its own"
[ "$(ended "$HT" run -- "$CHILD" exit 7)" = 7 ] || fail "exit 7 not mirrored"

# Forwarding: SIGUSR1 reaches the child (which then exits 5), SIGTERM kills it.
forward() { # SIGNAL -> sets $rc
	"$HT" run -q -- "$CHILD" wait-usr1 >"$tmp/fwd.out" 2>"$tmp/fwd.err" &
	local hp=$! i
	for i in $(seq 100); do grep -q ready "$tmp/fwd.out" 2>/dev/null && break; sleep 0.05; done
	kill -"$1" "$hp"
	wait "$hp"
	rc=$?
}
forward USR1
expect_rc 5 "SIGUSR1 forwarded"
printf 'ready\ngot USR1\n' | expect_file "SIGUSR1 forwarded" "$tmp/fwd.out"
forward TERM
expect_rc 143 "SIGTERM forwarded"
expect_grep "SIGTERM forwarded" "$tmp/fwd.err" 'killed by SIGTERM'
rm -f heaptag.*.json

# -o: the child's report at PATH, a grandchild's beside it under its own name.
mkdir sub
run "$HT" run -q -o sub/r.json -- "$CHILD" fork
expect_rc 0 "-o run"
gpid=$(cat "$tmp/out")
[ -f sub/r.json ] || fail "-o: no sub/r.json"
[ -f "sub/heaptag.run_child.$gpid.json" ] || fail "-o: grandchild report not renamed ($(ls -A sub))"
ls -A sub | grep -q tmp-run && fail "-o: temporary names left: $(ls -A sub)"
python3 -c 'import json,sys; d=json.load(open("sub/r.json")); assert d["pid"] != int(sys.argv[1])' "$gpid" || fail "-o: wrong report at PATH"
# Another run's temporary report in the same directory (here made during this
# run, so its time does not exempt it) is that run's to rename, not this one's.
mkdir shared
# (Both the names of runs before this change and of today's, which end in
# the pid of the heaptag that owns them.)
HEAPTAG_LIB=$BUILD/lib/libheaptag.so run "$HT" run -q -o shared/mine.json -- \
    sh -c 'echo x > shared/.heaptag.sh.4242.json.tmp-run.1; echo x > shared/.heaptag.sh.4243.json.tmp-run'
expect_rc 0 "-o beside another run"
[ -f shared/mine.json ] || fail "-o beside another run: no report ($(ls -A shared))"
for f in .heaptag.sh.4242.json.tmp-run.1 .heaptag.sh.4243.json.tmp-run; do
    [ -f "shared/$f" ] || fail "-o beside another run: took the other run's $f ($(ls -A shared))"
done
[ "$(ls -A shared | wc -l)" = 3 ] || fail "-o beside another run: unexpected files: $(ls -A shared)"
run "$HT" run -o "$tmp/sub/abs.json" -- "$CHILD" exit 0
expect_grep "-o absolute" "$tmp/err" "^heaptag: report $tmp/sub/abs.json$"
run "$HT" run -o missing/r.json -- "$CHILD" exit 0
expect_rc 2 "-o into a missing directory"
expect_err "-o missing dir" "heaptag: run: cannot write missing/r.json: directory $tmp/missing is missing or not writable"
# -o onto a FIFO writes into it (issue 10): tests/tools/test-output-paths.sh.

# A stale report from an earlier process is never shown.
echo '{}' > fixed.json
touch -d '2001-01-01' fixed.json
HEAPTAG_OUT=$tmp/fixed.json run "$HT" run -- "$CHILD" _exit 0
expect_rc 0 "stale"
grep -q 'B/instance' "$tmp/err" && fail "stale report shown"
expect_grep "stale" "$tmp/err" '^heaptag: no report from [0-9]+ \(exited with status 0'

# Startup errors.
run "$HT" run -- /nonexistent/prog
expect_rc 127 "missing program"
expect_err "missing program" "heaptag: run: cannot run /nonexistent/prog: No such file or directory"
run "$HT" run -- "$tmp"
expect_rc 126 "not executable"
HEAPTAG_LIB=/nope run "$HT" run -- "$CHILD" exit 0
expect_rc 2 "tracker missing"
expect_err "tracker missing" "heaptag: run: cannot find libheaptag.so at /nope: No such file or directory"
run "$HT" run
expect_rc 2 "no program"
expect_err "no program" "heaptag: run: no program given (see 'heaptag run --help')"
run "$HT" run --format markdown -- "$CHILD" exit 0
expect_rc 2 "bad format"
run "$HT" run -x -- "$CHILD" exit 0
expect_rc 2 "unknown option"
expect_err "unknown option" "heaptag: run: unknown option or missing argument: -x (see 'heaptag run --help')"
finish
