#!/bin/bash
# Bad HEAPTAG_* values and unwritable report paths: exactly one warning line on stderr
# starting "heaptag:
#
# ", the program's stdout, other stderr and exit status unchanged, and the default used
# instead of the bad value.
. "$(dirname "$0")/lib.sh"

want_out=$("$PT/plain" 3 2>"$SCRATCH/want.err")
want_rc=$?
expect_eq "plain's own exit status" 3 "$want_rc"

# bad_case NAME WARNINGS ENV...: run plain with ENV in a fresh directory.
bad_case() {
    local name=$1 warnings=$2
    shift 2
    local dir=$SCRATCH/$name
    mkdir -p "$dir"
    local out rc
    out=$(cd "$dir" && timeout 10 env LD_PRELOAD="$LIB" "$@" "$PT/plain" 3 2>"$dir.err")
    rc=$?
    expect_eq "$name: exit status" "$want_rc" "$rc"
    expect_eq "$name: stdout" "$want_out" "$out"
    expect_eq "$name: heaptag warning lines" "$warnings" "$(grep -c '^heaptag: ' "$dir.err")"
    expect_eq "$name: the program's own stderr" "$(cat "$SCRATCH/want.err")" \
        "$(grep -v '^heaptag: ' "$dir.err")"
    sed 's/^/    stderr: /' "$dir.err"
}

# A bad value: one warning, and the defaults still work.
bad_case dump-banana 1 HEAPTAG_OUT=r.%p.json HEAPTAG_DUMP_ON_SIGNAL=banana
run_check "dump-banana: report still written" --expect types.Plain.live_bytes=321 \
    "$SCRATCH"/dump-banana/r.*.json
bad_case usr2-maybe 1 HEAPTAG_OUT=r.%p.json HEAPTAG_SIGUSR2=maybe
run_check "usr2-maybe: report still written" "$SCRATCH"/usr2-maybe/r.*.json
bad_case quiet-banana 1 HEAPTAG_OUT=r.%p.json HEAPTAG_QUIET=banana
bad_case unwind-check-yes 1 HEAPTAG_OUT=r.%p.json HEAPTAG_STACKS=4 HEAPTAG_UNWIND_CHECK=yes
run_check "unwind-check-yes: report still written, without the check" --expect types.Plain.live_bytes=321 \
    "$SCRATCH"/unwind-check-yes/r.*.json
grep -q '"unwind_check"' "$SCRATCH"/unwind-check-yes/r.*.json && fail "unwind-check-yes: the check ran"
bad_case out-empty 1 HEAPTAG_OUT=
reports=("$SCRATCH"/out-empty/heaptag.plain.*.json)
run_check "out-empty: default path heaptag.%e.%p.json used" --pid-from-name \
    --expect program=plain "${reports[@]}"

# Rules files that are not regular files: one warning, rules off, and no
# hang (a FIFO with no writer used to block the program in open(2)).
mkfifo "$SCRATCH/rules.fifo"
bad_case rules-fifo 1 HEAPTAG_OUT=r.%p.json HEAPTAG_RULES=$SCRATCH/rules.fifo HEAPTAG_STACKS=4
grep -q "not a regular file" "$SCRATCH/rules-fifo.err" || fail "rules-fifo: warning does not say 'not a regular file'"
run_check "rules-fifo: report still written" --expect types.Plain.live_bytes=321 \
    "$SCRATCH"/rules-fifo/r.*.json
bad_case rules-dir 1 HEAPTAG_OUT=r.%p.json HEAPTAG_RULES=$SCRATCH HEAPTAG_STACKS=4
grep -q "it is a directory" "$SCRATCH/rules-dir.err" || fail "rules-dir: warning does not say 'it is a directory'"
bad_case rules-chardev 1 HEAPTAG_OUT=r.%p.json HEAPTAG_RULES=/dev/zero HEAPTAG_STACKS=4

# Unwritable paths: one "cannot write report" line at exit.
bad_case out-proc 1 HEAPTAG_OUT=/proc/nope/x.json
grep -q '^heaptag: cannot write report' "$SCRATCH/out-proc.err" ||
    fail "out-proc: the warning is not 'heaptag: cannot write report ...'"
if [ "$(id -u)" = 0 ]; then
    # root writes into a mode 0555 directory; sysfs refuses new files even to root
    ro=/sys
else
    ro=$SCRATCH/readonly
    mkdir -p "$ro"
    chmod 555 "$ro"
fi
bad_case out-readonly 1 HEAPTAG_OUT=$ro/heaptag-test.%p.json
grep -q '^heaptag: cannot write report' "$SCRATCH/out-readonly.err" ||
    fail "out-readonly: the warning is not 'heaptag: cannot write report ...'"
bad_case out-proc-quiet 0 HEAPTAG_OUT=/proc/nope/x.json HEAPTAG_QUIET=1

# A program that points fd 2 at a file of its own: the warning must not
# land in that file (the tracker writes only to the stderr it started with).
own=$SCRATCH/own-stderr.txt
env LD_PRELOAD="$LIB" HEAPTAG_OUT=/proc/nope/x.json sh -c 'exec 2>"$0"; echo mine >&2' "$own"
expect_eq "fd 2 reused by the program: its file holds only its own line" "mine" "$(cat "$own")"
finish
