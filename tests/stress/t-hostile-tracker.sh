#!/bin/bash
# The tracker facing a hostile file system and privilege boundaries.
#
# The tracker facing a hostile file system and privilege boundaries:
#  - a symlink planted at the report's final path is replaced, never
#    followed (its target keeps its contents), and the report is mode 0600
#    whatever the umask;
#  - a setuid program run by another user is left alone: glibc ignores
#    LD_PRELOAD entries containing a slash in secure-execution mode, so no
#    report appears and the program behaves as without the tracker, while
#    the same program without the setuid bit is tracked.
. "$(dirname "$0")/lib.sh"

d=$SCRATCH/sym
mkdir "$d"
printf 'precious\n' >"$SCRATCH/victim"
ln -s "$SCRATCH/victim" "$d/r.json"
(umask 000; HEAPTAG_OUT=$d/r.json env LD_PRELOAD="$LIB" /bin/echo hello >/dev/null)
expect_eq "symlink target left unchanged" precious "$(cat "$SCRATCH/victim")"
if [ -f "$d/r.json" ] && [ ! -L "$d/r.json" ]; then
    ok "the symlink was replaced by the report"
    run_check "report at the planted path valid" "$d/r.json"
else
    fail "no regular report at the planted path: $(ls -l "$d")"
fi
expect_eq "report mode with umask 000" 600 "$(stat -c %a "$d/r.json")"
# a dangling symlink pointing where the report would create a new file
ln -s "$SCRATCH/created-by-tracker" "$d/dangling.json"
HEAPTAG_OUT=$d/dangling.json env LD_PRELOAD="$LIB" /bin/true
expect_eq "dangling symlink's target not created" no "$([ -e "$SCRATCH/created-by-tracker" ] && echo yes || echo no)"
expect_eq "no temporary files left" "" "$(find "$d" -name '*tmp*')"

# setuid: needs root (to make a setuid-root program) and an unprivileged user
if [ "$(id -u)" != 0 ] || ! id nobody >/dev/null 2>&1 || ! command -v setpriv >/dev/null; then
    echo "setuid case skipped: needs root, user nobody and setpriv"
    finish
fi
s=$(mktemp -d /tmp/heaptag-setuid.XXXXXX)
trap 'rm -rf "$s"; cleanup' EXIT
chmod 755 "$s"
mkdir -m 1777 "$s/out"
cp /usr/bin/id "$s/id-suid"
cp /usr/bin/id "$s/id-plain"
chmod 4755 "$s/id-suid"
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
if ! as_nobody test -r "$LIB"; then
    echo "setuid case skipped: nobody cannot read $LIB"
    finish
fi
plain_out=$(as_nobody "$s/id-suid" -u)
tracked_out=$(HEAPTAG_OUT=$s/out/suid.%p.json as_nobody env LD_PRELOAD="$LIB" "$s/id-suid" -u 2>&1)
expect_eq "setuid program: runs as root (euid 0) with and without LD_PRELOAD" "0 0" "$plain_out $tracked_out"
expect_eq "setuid program: no report (the tracker was not loaded)" "" "$(ls "$s/out")"
HEAPTAG_OUT=$s/out/plain.%p.json as_nobody env LD_PRELOAD="$LIB" "$s/id-plain" -u >/dev/null
n=$(ls "$s/out" | grep -c '^plain\.')
expect_eq "the same program without the setuid bit is tracked" 1 "$n"
finish
