#!/bin/bash
# heaptag run with the real tracker, found the way users find it.
#
# heaptag run with the real tracker, found the way users find it
# (../lib/libheaptag.so beside the binary): pass-through of stdout, stderr,
# exit status and signal death, and a report that heaptag itself accepts.
. "$(dirname "$0")/lib.sh"
[ -f "$BUILD/lib/libheaptag.so" ] || { echo "skip: $BUILD/lib/libheaptag.so not built yet"; exit 77; }
unset HEAPTAG_LIB HEAPTAG_OUT LD_PRELOAD
CHILD=$HELPERS/run_child
cd "$tmp" || exit 1

run "$HT" run -q -- sh -c 'echo out; echo err >&2; exit 3'
expect_rc 3 "sh exit status"
printf 'out\n' | expect_file "sh stdout" "$tmp/out"
[ "$(head -n 1 "$tmp/err")" = err ] || fail "sh stderr: $(head -c 300 "$tmp/err")"

run "$HT" run -o r.json -- "$CHILD" exit 0
expect_rc 0 "run_child under the tracker"
printf 'out\n' | expect_file "run_child stdout" "$tmp/out"
expect_grep "summary" "$tmp/err" "^heaptag: report $tmp/r.json$"
expect_grep "summary" "$tmp/err" '^total '
run "$HT" report r.json
expect_rc 0 "the tracker's report passes heaptag report's checks"

python3 -c 'import subprocess, sys; sys.exit(0 if subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == -9 else 1)' \
	"$HT" run -- "$CHILD" raise 9 || fail "SIGKILL death not mirrored"
run "$HT" run -- "$CHILD" raise 9
expect_grep "SIGKILL" "$tmp/err" '^heaptag: no report from [0-9]+ \(killed by SIGKILL'
finish
