#!/bin/bash
# The tracker facing a hostile file system and privilege boundaries.
#
# The tracker facing a hostile file system and privilege boundaries:
#  - a report over an earlier one replaces it whole, leaving no temporary
#    file;
#  - a symlink planted at the report's final path is neither followed nor
#    replaced (its target keeps its contents, the link stays, one warning);
#    the report is mode 0600 whatever the umask;
#  - devices and FIFOs are written in place, never replaced: /dev/stdout
#    (a link to a pipe), a FIFO with a reader, a char device node; a FIFO
#    without a reader gives one warning instead of a hang;
#  - a setuid program run by another user is left alone: glibc ignores
#    LD_PRELOAD entries containing a slash in secure-execution mode, so no
#    report appears and the program behaves as without the tracker, while
#    the same program without the setuid bit is tracked.
. "$(dirname "$0")/lib.sh"

d=$SCRATCH/sym
mkdir "$d"
printf 'precious\n' >"$SCRATCH/victim"
ln -s "$SCRATCH/victim" "$d/r.json"
# (sh, not echo: coreutils close stderr before exit, leaving no place for a warning)
out=$(HEAPTAG_OUT=$d/r.json env LD_PRELOAD="$LIB" sh -c "echo hello" 2>"$d.err")
expect_eq "planted symlink: the program's output" hello "$out"
expect_eq "symlink target left unchanged" precious "$(cat "$SCRATCH/victim")"
expect_eq "the symlink is still there" "$SCRATCH/victim" "$(readlink "$d/r.json")"
expect_eq "one warning naming the link" 1 "$(grep -c "^heaptag: cannot write report to '$d/r.json': it is a symbolic link" "$d.err")"
(umask 000; HEAPTAG_OUT=$d/plain.json env LD_PRELOAD="$LIB" /bin/true)
expect_eq "report mode with umask 000" 600 "$(stat -c %a "$d/plain.json")"
run_check "report valid" "$d/plain.json"
# a dangling symlink pointing where the report would create a new file
ln -s "$SCRATCH/created-by-tracker" "$d/dangling.json"
HEAPTAG_OUT=$d/dangling.json env LD_PRELOAD="$LIB" /bin/true 2>/dev/null
expect_eq "dangling symlink's target not created" no "$([ -e "$SCRATCH/created-by-tracker" ] && echo yes || echo no)"
expect_eq "no temporary files left" "" "$(find "$d" -name '*tmp*')"
# A report over an earlier one replaces it whole (the earlier one swapped
# out and unlinked): a second name of the earlier file keeps its contents,
# and no temporary name is left holding either.
ln "$d/plain.json" "$d/earlier.json"
old_pid=$(grep -o '"pid":[0-9]*' "$d/plain.json")
HEAPTAG_OUT=$d/plain.json env LD_PRELOAD="$LIB" /bin/true
run_check "a report over an earlier one" "$d/plain.json"
expect_eq "the earlier report's other name unchanged" "$old_pid" "$(grep -o '"pid":[0-9]*' "$d/earlier.json")"
expect_eq "the report is a new file" 1 "$(stat -c %h "$d/plain.json")"
expect_eq "no temporary files left after replacing" "" "$(find "$d" -name '*tmp*')"

# Devices and FIFOs: in place, never replaced.
d=$SCRATCH/dev
mkdir "$d"
HEAPTAG_OUT=/dev/stdout env LD_PRELOAD="$LIB" /bin/true | cat >"$d/from-stdout.json"
run_check "HEAPTAG_OUT=/dev/stdout (a pipe): the report arrives on stdout" "$d/from-stdout.json"
expect_eq "/dev/stdout is still a symlink" yes "$([ -L /dev/stdout ] && echo yes || echo no)"
mkfifo "$d/fifo"
cat "$d/fifo" >"$d/from-fifo.json" &
reader=$!
# The writer must find the reader there: wait until cat blocks in the
# FIFO's open (under load it may not have got that far yet).
for _ in $(seq 200); do
    [ "$(cat "/proc/$reader/wchan" 2>/dev/null)" = wait_for_partner ] && break
    sleep 0.05
done
HEAPTAG_OUT=$d/fifo timeout 20 env LD_PRELOAD="$LIB" /bin/true
expect_eq "FIFO with a reader: exit status" 0 "$?"
wait "$reader"
run_check "FIFO with a reader: the report came through it" "$d/from-fifo.json"
expect_eq "FIFO still a FIFO" yes "$([ -p "$d/fifo" ] && echo yes || echo no)"
HEAPTAG_OUT=$d/fifo timeout 20 env LD_PRELOAD="$LIB" /bin/true 2>"$d/nofifo.err"
expect_eq "FIFO without a reader: no hang, exit 0" 0 "$?"
expect_eq "FIFO without a reader: one warning" 1 "$(grep -c '^heaptag: cannot write report' "$d/nofifo.err")"
if [ "$(id -u)" = 0 ] && mknod "$d/null" c 1 3 2>/dev/null; then
    HEAPTAG_OUT=$d/null env LD_PRELOAD="$LIB" /bin/true
    expect_eq "char device node (a /dev/null copy) still a char device" yes \
        "$([ -c "$d/null" ] && echo yes || echo no)"
fi
expect_eq "no temporary files left beside devices" "" "$(find "$d" -name '*tmp*')"

# Temporary names are unpredictable: the old scheme's name (PATH.tmpPID-1)
# planted as a dangling link does not stop the report, nor is it followed.
d=$SCRATCH/temp
mkdir "$d"
sh -c 'ln -s "$1/followed" "$1/r.json.tmp$$-1"; exec env LD_PRELOAD="$2" HEAPTAG_OUT="$1/r.json" /bin/true' sh "$d" "$LIB"
run_check "planted temporary name: report written anyway" "$d/r.json"
expect_eq "planted temporary name: link not followed" no "$([ -e "$d/followed" ] && echo yes || echo no)"

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
