#!/bin/bash
# The heaptag command against every kind of path, wherever it takes one.
#
# The heaptag command against every kind of path, in every place a path is
# read or written (issue 10): an enumerating harness rather than a random
# fuzzer, since the input space is a small set of file kinds.  Kinds:
# missing, regular, empty, garbage, directory, FIFO (with and without a
# peer), /dev/null, /dev/zero, /dev/full, a symbolic link to each of
# those, a dangling link, a link loop, a socket, and as root a character
# and a block device node.  Places: report/diff/check inputs, massif
# --parse, run --rules, and -o of report, diff and run.
# Every case must: finish within 30 s (nothing waits forever), exit 0, 1
# or 2 (never a signal), print at most one line on stderr when it fails,
# leave no temporary file, and never replace or retype anything that was
# not a regular file (devices, FIFOs, directories, links stay what they
# were).  Run by `make fuzz` and `make test`.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
HT=$BUILD/bin/heaptag
DATA=$TOP/tests/tools/data
PY=/usr/bin/python3
[ -x "$HT" ] || { echo "no $HT"; exit 1; }
[ -x "$PY" ] || { echo "SKIP: no $PY"; exit 77; }
unset LD_PRELOAD
W=$(mktemp -d "${TMPDIR:-/tmp}/heaptag-paths.XXXXXX")
trap 'jobs -p | xargs -r kill 2>/dev/null; rm -rf "$W"' EXIT
failed=0 cases=0
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }

KINDS="missing regular empty garbage dir fifo fifo-peer devnull devzero devfull sock dangling loop
       link-regular link-dir link-fifo link-devnull link-devzero"
[ "$(id -u)" = 0 ] && KINDS="$KINDS chardev blockdev link-blockdev"

# make KIND: create $W/case/p as KIND (fifo-peer also starts the peer).
make_kind() {
	local d=$W/case p=$W/case/p
	rm -rf "$d" && mkdir -p "$d/t"
	case $1 in
	missing) ;;
	regular) cp "$DATA/demo.json" "$p" ;;
	empty) : >"$p" ;;
	garbage) head -c 3000 /dev/urandom >"$p" ;;
	dir) mkdir "$p" ;;
	fifo | fifo-peer) mkfifo "$p" ;;
	devnull) ln -s /dev/null "$p" ;;
	devzero) ln -s /dev/zero "$p" ;;
	devfull) ln -s /dev/full "$p" ;;
	sock) "$PY" -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$p" ;;
	dangling) ln -s "$d/t/none" "$p" ;;
	loop) ln -s "$d/q" "$p"; ln -s "$p" "$d/q" ;;
	link-regular) cp "$DATA/demo.json" "$d/t/f"; ln -s "$d/t/f" "$p" ;;
	link-dir) ln -s "$d/t" "$p" ;;
	link-fifo) mkfifo "$d/t/f"; ln -s "$d/t/f" "$p" ;;
	link-devnull) ln -s /dev/null "$d/t/f"; ln -s "$d/t/f" "$p" ;;
	link-devzero) ln -s /dev/zero "$d/t/f"; ln -s "$d/t/f" "$p" ;;
	chardev) mknod "$p" c 1 3 ;;
	blockdev) mknod "$p" b 7 250 ;;
	link-blockdev) mknod "$d/t/f" b 7 250; ln -s "$d/t/f" "$p" ;;
	esac
}

# What every entry of case/ is (type letter of find -printf %y, %Y).
snapshot() { (cd "$W/case" && find . -printf '%p %y %Y\n' 2>/dev/null | sort); }

# A reader or writer at the other end of the FIFO P (or of its target),
# for the kinds that have one; killed after the case.
start_peer() { # KIND ROLE(in|out)
	peer=
	case $1 in
	fifo-peer | link-fifo)
		if [ "$2" = out ]; then
			timeout 30 cat "$W/case/p" >/dev/null &
		else
			timeout 30 sh -c 'cat "$1" > "$2"' _ "$DATA/demo.json" "$W/case/p" &
		fi
		peer=$! ;;
	esac
}

# one KIND ROLE WHAT CMD... (the path is $W/case/p in CMD)
one() {
	local kind=$1 role=$2 what=$3
	shift 3
	cases=$((cases + 1))
	make_kind "$kind"
	local before after rc
	before=$(snapshot)
	start_peer "$kind" "$role"
	(cd "$W/case" && timeout 30 "$@" >"$W/out" 2>"$W/err" </dev/null)
	rc=$?
	[ -n "$peer" ] && { kill "$peer" 2>/dev/null; wait "$peer" 2>/dev/null; }
	after=$(snapshot)
	local name="$what [$kind]"
	case $rc in
	0 | 1 | 2) ;;
	124) bad "$name: still running after 30 s" ;;
	*) bad "$name: exit $rc: $(head -c 300 "$W/err")" ;;
	esac
	if [ "$rc" = 2 ] && [ "$(wc -l <"$W/err")" -gt 1 ]; then
		bad "$name: $(wc -l <"$W/err") lines on stderr: $(head -c 300 "$W/err")"
	fi
	if ls -A "$W/case" "$W/case/t" 2>/dev/null | grep -qE 'tmp-|\.heaptag\.'; then
		bad "$name: temporary file left: $(ls -A "$W/case" "$W/case/t" | grep -E 'tmp-|\.heaptag\.')"
	fi
	# Only regular files may change; nothing else may appear or vanish,
	# except the new output file of a missing path.
	local lost
	lost=$(comm -23 <(echo "$before" | grep -v ' f f$' | grep -v ' l f$') <(echo "$after"))
	[ -n "$lost" ] && bad "$name: replaced or removed: $lost"
	if [ "$role" = out ] && [ "$rc" = 0 ]; then
		case $kind in
		missing | regular | link-regular)
			[ -s "$W/case/p" ] || bad "$name: exit 0 but nothing written" ;;
		esac
	fi
}

for k in $KINDS; do
	one "$k" in "report" "$HT" report p
	one "$k" in "report --format json" "$HT" report --format json p
	one "$k" in "diff" "$HT" diff --label a=p --label b="$DATA/demo.json"
	one "$k" in "check" "$HT" check p --budget Response=1M
	one "$k" in "massif --parse" "$HT" massif --parse p
	one "$k" in "run --rules" "$HT" run -q --rules p -- true
	one "$k" out "report -o" "$HT" report "$DATA/demo.json" -o p
	one "$k" out "diff -o" "$HT" diff --label a="$DATA/demo.json" --label b="$DATA/dict.json" -o p
	one "$k" out "run -o" "$HT" run -q -o p -- true
done
echo "$cases cases, $failed failed"
[ "$failed" -eq 0 ]
