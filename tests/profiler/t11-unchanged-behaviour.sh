#!/bin/bash
# The tracker must not change what programs do.
#
# The tracker must not change what programs do: for a set of real programs
# stdout, stderr and exit status are byte-identical with and without it,
# and every process leaves a valid report.  Each command runs in a fresh
# work directory at the same path both times, so paths in the output match.
. "$(dirname "$0")/lib.sh"

work=$SCRATCH/work
export GIT_AUTHOR_NAME=Test GIT_AUTHOR_EMAIL=test@example.org
export GIT_COMMITTER_NAME=Test GIT_COMMITTER_EMAIL=test@example.org
export GIT_AUTHOR_DATE="2024-01-02T03:04:05Z" GIT_COMMITTER_DATE="2024-01-02T03:04:05Z"
export GIT_CONFIG_NOSYSTEM=1 HOME=$SCRATCH LC_ALL=C

setup_work() {
    rm -rf "$work"
    mkdir -p "$work/tree/sub"
    seq 1 2000 | sed 's/^/line /' >"$work/tree/numbers.txt"
    printf 'pear\napple\nfig\nbanana\napple\n' >"$work/tree/sub/fruit.txt"
}

# compare NAME COMMAND...: run COMMAND in $work without and with the tracker
compare() {
    local name=$1
    shift
    local a=$SCRATCH/out/$name.plain b=$SCRATCH/out/$name.tracked rep=$SCRATCH/rep/$name
    mkdir -p "$SCRATCH/out" "$rep"
    setup_work
    (cd "$work" && timeout 30 "$@" >"$a.stdout" 2>"$a.stderr")
    echo $? >"$a.status"
    setup_work
    (cd "$work" && HEAPTAG_OUT=$rep/r.%p.json timeout 30 env LD_PRELOAD="$LIB" "$@" \
        >"$b.stdout" 2>"$b.stderr")
    echo $? >"$b.status"
    local part
    for part in stdout stderr status; do
        if cmp -s "$a.$part" "$b.$part"; then
            ok "$name: same $part"
        else
            fail "$name: $part differs under the tracker"
            diff "$a.$part" "$b.$part" | head -n 10 | sed 's/^/    /'
        fi
    done
    local reports=("$rep"/r.*.json)
    if [ -e "${reports[0]}" ]; then
        run_check "$name: ${#reports[@]} valid report(s)" --pid-from-name "${reports[@]}"
    else
        fail "$name: no report"
    fi
}

# dash ends with _exit(), seq with exit(): both kinds of report
compare sh sh -c 'echo out; seq 3; echo err >&2; exit 7'
compare bash bash -c 'echo out; echo err >&2; exit 7'
# the Debian interpreter, not a version-manager shim found first on PATH
compare python /usr/bin/python3 -c '
import sys, json
d = {str(i): list(range(i % 50)) for i in range(3000)}
print(len(json.dumps(d)), sum(len(v) for v in d.values()))
print("to stderr", file=sys.stderr)
sys.exit(3)'
compare perl perl -e 'my %h; $h{$_} = "x" x ($_ % 100) for 1..20000;
    print scalar(keys %h), "\n"; warn "perl warning\n"; exit 5'
compare sort sort -r tree/numbers.txt tree/sub/fruit.txt
compare grep-match grep -n apple tree/sub/fruit.txt
compare grep-nomatch grep -c cherry tree/sub/fruit.txt
compare grep-error grep apple no-such-file
compare tar sh -c 'tar czf ../t.tgz tree && mkdir x && tar xzf ../t.tgz -C x &&
    diff -r tree x/tree && tar tzf ../t.tgz | sort'
compare git sh -c 'git init -q repo && cp -r tree/. repo/ && cd repo &&
    git add . && git commit -q -m first && echo more >>numbers.txt &&
    git commit -q -am second && git log --format="%H %s" && git status --short'
finish
