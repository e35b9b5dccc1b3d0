#!/bin/bash
# The corpus: real programs run without the tracker and then with it; same behaviour, sane
# reports.
#
# The corpus: real programs from the machine, each run without the tracker
# and then with it in four configurations, comparing stdout, stderr and
# exit status byte for byte and checking every report the processes leave.
#
#   tests/corpus/run-corpus.sh [CONFIG...]
#                      default: counts stacks jemalloc jemalloc-first
#
# Configurations:
#   counts    LD_PRELOAD=libheaptag.so
#   stacks    the same with HEAPTAG_STACKS=16 and HEAPTAG_RULES=data/rules
#   jemalloc  LD_PRELOAD="libheaptag.so libjemalloc.so.2" (stacked on jemalloc)
#   jemalloc-first  LD_PRELOAD="libjemalloc.so.2 libheaptag.so": the tracker
#             puts itself first (by exec); the allocation counts must be
#             the jemalloc configuration's, process by process (the same
#             allocator serves both): equal, or within 2 calls or 5% where
#             a program's own work depends on timing or addresses
#
# Every process must leave exactly one valid report: the number of reports
# must equal the number of processes that ended by exit_group(2), counted by
# running the program once under strace -f (a process replaced by exec
# writes none, which strace does not count either).  Each command runs in a
# fresh work directory at the same path every time, so paths in the output
# match.  The last line is the summary:
#   corpus: N programs, R tracked runs, P processes, crashes 0, output differences 0, reports invalid 0
. "$(dirname "$0")/../profiler/lib.sh"

HERE=$TOP/tests/corpus
CB=$BUILD/tests/corpus
JEMALLOC=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
CONFIGS=("$@")
[ ${#CONFIGS[@]} -gt 0 ] || CONFIGS=(counts stacks jemalloc jemalloc-first)
NRULES=$(grep -cv '^[[:space:]]*\(#\|$\)' "$HERE/data/rules")

for f in "$CB/mt-work" "$CB/spawner" "$CB/cxx-containers"; do
    [ -x "$f" ] || { echo "missing $f (make $f)"; exit 1; }
done
if ! command -v strace >/dev/null; then
    echo "strace not installed (scripts/install-deps.sh)"
    exit 77
fi
[ -e "$JEMALLOC" ] || echo "note: $JEMALLOC missing, jemalloc configurations skipped"

work=$SCRATCH/work
# Every tool the corpus runs is Debian's (no version-manager shims), and
# everything that could vary between two runs is pinned.
export PATH=/usr/bin:/bin LC_ALL=C TZ=UTC HOME=$SCRATCH/home
export PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1 PERL_HASH_SEED=0 PERL_PERTURB_KEYS=0 SOURCE_DATE_EPOCH=1700000000
export GIT_AUTHOR_NAME=Corpus GIT_AUTHOR_EMAIL=corpus@example.org
export GIT_COMMITTER_NAME=Corpus GIT_COMMITTER_EMAIL=corpus@example.org
export GIT_AUTHOR_DATE="2024-01-02T03:04:05Z" GIT_COMMITTER_DATE="2024-01-02T03:04:05Z"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export MAKEFLAGS= MFLAGS=
mkdir -p "$HOME"

setup_work() {
    rm -rf "$work"
    mkdir -p "$work/tree/sub"
    cp -r "$HERE/data" "$work/data"
    cp "$HERE/progs/cxx-containers.cc" "$work/"
    seq 1 2000 | sed 's/^/line /' >"$work/tree/numbers.txt"
    printf 'pear\napple\nfig\nbanana\napple\n' >"$work/tree/sub/fruit.txt"
    awk 'BEGIN { for (i = 0; i < 60000; i++) printf "%d %s\n", (i * 7919) % 100003, "k" (i % 17) }' \
        >"$work/tree/table.txt"
    printf 'int main(void) { return undeclared; }\n' >"$work/bad.c"
}

NAMES=()
CMDS=()
# entry NAME SHELL-COMMAND: one corpus program (run by bash -c in $work;
# bash execs a single simple command, so it adds no process of its own).
entry() {
    NAMES+=("$1")
    CMDS+=("$2")
}

entry python3 '/usr/bin/python3 -c "
import sys, json
d = {str(i): list(range(i % 50)) for i in range(3000)}
print(len(json.dumps(d)), sum(len(v) for v in d.values()))
print(\"to stderr\", file=sys.stderr)
sys.exit(3)"'
entry python3-stdlib '/usr/bin/python3 -c "
import hashlib, zlib, re, decimal, collections, sqlite3, threading
c = collections.Counter(re.findall(r\"\\d\", open(\"tree/numbers.txt\").read()))
z = zlib.compress(open(\"tree/table.txt\", \"rb\").read(), 9)
db = sqlite3.connect(\":memory:\")
db.execute(\"create table t(x)\"); db.executemany(\"insert into t values (?)\", [(i,) for i in range(5000)])
out = []
th = [threading.Thread(target=lambda k=k: out.append(sum(range(k * 100000)))) for k in range(4)]
[t.start() for t in th]; [t.join() for t in th]
print(sorted(c.items())[:3], len(z), hashlib.sha256(z).hexdigest()[:16],
      db.execute(\"select sum(x) from t\").fetchone(), decimal.Decimal(1) / 7, sorted(out))"'
entry python3-subprocess '/usr/bin/python3 -c "
import subprocess, os
r = subprocess.run([\"sort\", \"-r\", \"tree/sub/fruit.txt\"], capture_output=True, text=True)
print(r.stdout, r.returncode)
print(subprocess.call([\"sh\", \"-c\", \"exit 5\"]))
pid = os.fork()
if pid == 0:
    print(\"child\", flush=True); os._exit(0)
os.waitpid(pid, 0); print(\"parent\")"'
entry perl 'perl -e '\''my %h; $h{$_} = "x" x ($_ % 100) for 1..20000;
    print scalar(keys %h), "\n"; warn "perl warning\n"; exit 5'\'''
entry perl-regex 'perl -ne '\''$s{$1 % 7} += length for /(\d+)/g; END { print "$_ $s{$_}\n" for sort keys %s }'\'' tree/numbers.txt tree/table.txt'
entry bash-script 'bash data/script.sh'
entry dash 'sh -c "echo out; seq 3; echo err >&2; exit 7"'
entry gawk 'gawk -f data/report.awk tree/table.txt'
entry mawk 'mawk -f data/report.awk tree/table.txt'
entry gcc 'gcc -O2 -Wall -o hello data/make-proj/main.c data/make-proj/add.c data/make-proj/mul.c && ./hello 3 4'
entry gcc-error 'gcc -c bad.c'
entry g++ 'g++ -O0 -o cxx cxx-containers.cc && ./cxx'
entry make 'make -C data/make-proj'
entry cmake 'cmake -S data/cmake-proj -B cbuild -G "Unix Makefiles" && cmake --build cbuild && ./cbuild/calc 2 5'
entry tar 'tar cf - tree | tar tf - | sort; tar czf t.tgz tree && mkdir x && tar xzf t.tgz -C x && diff -r tree x/tree && echo same'
entry tar-xz 'tar cJf t.txz tree && tar tJf t.txz | sort | sed -n 1,3p'
entry gzip 'gzip -9n -c tree/table.txt | sha256sum; gzip -n -c tree/table.txt | gzip -dc | cmp - tree/table.txt && echo roundtrip'
entry xz 'xz -6 -c tree/table.txt | sha256sum; xz -0 -c tree/table.txt | xz -dc | wc -c'
entry sort 'sort -k2,2 -k1,1n tree/table.txt | sha256sum'
entry sort-tempfiles 'sort -S 64K -T . -n tree/table.txt | tail -n 2'
entry grep-match 'grep -n apple tree/sub/fruit.txt'
entry grep-regex 'grep -E -c "^line [0-9]*7$" tree/numbers.txt'
entry grep-error 'grep apple no-such-file'
entry find 'find tree data -name "*.txt" -size -100k -exec wc -l {} + | sort'
entry sed 'sed -n -E "s/^line (1[0-9]{2})$/n=\\1/p; /^line 19[0-9]{2}$/{s/line/L/;p}" tree/numbers.txt'
entry git 'git init -q repo && cp -r tree/. repo/ && cd repo && git add . &&
    git commit -q -m first && echo more >>numbers.txt && git commit -q -am second &&
    git log --format="%H %an %s" && git status --short && git show --stat HEAD | tail -n 2'
entry openssl-dgst 'openssl dgst -sha256 tree/numbers.txt tree/table.txt'
entry openssl-enc 'openssl enc -aes-128-ctr -K 000102030405060708090a0b0c0d0e0f -iv 0f0e0d0c0b0a09080706050403020100 -in tree/table.txt | openssl dgst -sha256 -r'
entry openssl-x509 'openssl x509 -in /etc/ssl/certs/ISRG_Root_X1.pem -noout -subject -issuer -dates -fingerprint -sha256'
entry sqlite3 'sqlite3 :memory: ".read data/db.sql"'
entry curl-file 'curl -sS "file://$PWD/tree/numbers.txt" | wc -l; curl -sS file:///no/such/file; echo "curl status $?"'
entry readelf 'readelf -h -S -W /usr/bin/true | sed -n 1,20p'
entry xargs 'find tree -type f | sort | xargs -n 1 wc -c'
entry diff 'sed "s/line 1000/line M/" tree/numbers.txt >changed && diff -u tree/numbers.txt changed | tail -n +3'
entry cxx-containers "$CB/cxx-containers"
entry mt-work "$CB/mt-work"
entry spawner "$CB/spawner tree/sub/fruit.txt"

PROGRAMS=0 RUNS=0 PROCS=0 CRASHES=0 DIFFS=0 INVALID=0 COUNTDIFFS=0 COUNTSEQUAL=0

# compare_counts WANT_DIR REPORT...: the allocation calls of each process
# (sorted: concurrent children's pids come in any order) against the
# reports in WANT_DIR.  Prints "equal", "close: ..." (every process within
# 2 calls or 5%: timing-dependent work such as git's racy-index re-hash,
# or gcc's pointer-keyed tables under ASLR), or "differ: ..." and fails.
compare_counts() {
    /usr/bin/python3 - "$@" <<'PY'
import glob, json, sys
def counts(paths):
    return sorted(json.load(open(p))["totals"]["alloc_calls"] for p in paths)
want = counts(glob.glob(sys.argv[1] + "/r.*.json"))
got = counts(sys.argv[2:])
if want == got:
    print("equal:", " ".join(map(str, got)))
elif len(want) == len(got) and all(abs(a - b) <= max(2, a // 20) for a, b in zip(want, got)):
    print("close:", " ".join(map(str, got)), "against", " ".join(map(str, want)))
else:
    print("differ:", " ".join(map(str, got)), "against", " ".join(map(str, want)))
    sys.exit(1)
PY
}

# Every program runs its stacks configuration with rules too: the tracker
# names each return address once (a per-address cache), so even the
# compilers' tens of thousands of call sites cost seconds, not minutes.
# (Commands write through pipes only to readers that read everything: a
# reader that quits early, like head, kills the writer with SIGPIPE at a
# moment that varies from run to run.)
NORULES=" "

# set_tracked_env CONFIG NAME: the environment a configuration adds, as
# assignments for env in the array TENV.
set_tracked_env() {
    case $1 in
    counts) TENV=("LD_PRELOAD=$LIB") ;;
    stacks) TENV=("LD_PRELOAD=$LIB" HEAPTAG_STACKS=16)
            [[ $NORULES == *" $2 "* ]] || TENV+=("HEAPTAG_RULES=$HERE/data/rules") ;;
    jemalloc) TENV=("LD_PRELOAD=$LIB $JEMALLOC") ;;
    jemalloc-first) TENV=("LD_PRELOAD=$JEMALLOC $LIB") ;;
    esac
}

run_program() {
    local name=$1 cmd=$2 out=$SCRATCH/out/$1
    mkdir -p "$out"
    PROGRAMS=$((PROGRAMS + 1))
    setup_work
    (cd "$work" && timeout 60 bash -c "$cmd" >"$out/plain.stdout" 2>"$out/plain.stderr")
    echo $? >"$out/plain.status"
    # How many processes end by exit_group: the number of reports expected.
    setup_work
    (cd "$work" && timeout 60 strace -f -q -e trace=exit_group -o "$out/strace" \
        bash -c "$cmd" >/dev/null 2>&1)
    local nproc
    nproc=$(grep -c 'exit_group(' "$out/strace")
    local cfg
    for cfg in "${CONFIGS[@]}"; do
        [[ $cfg == jemalloc* ]] && [ ! -e "$JEMALLOC" ] && continue
        local rep=$SCRATCH/rep/$name.$cfg t=$out/$cfg problems=()
        mkdir -p "$rep"
        setup_work
        set_tracked_env "$cfg" "$name"
        local t0=$SECONDS
        (cd "$work" && HEAPTAG_OUT=$rep/r.%p.json timeout 60 \
            env "${TENV[@]}" bash -c "$cmd" >"$t.stdout" 2>"$t.stderr")
        echo $? >"$t.status"
        local secs=$((SECONDS - t0))
        RUNS=$((RUNS + 1))
        local st plain_st
        st=$(cat "$t.status") plain_st=$(cat "$out/plain.status")
        if [ "$st" != "$plain_st" ] && { [ "$st" -ge 124 ] || grep -q 'heaptag' "$t.stderr"; }; then
            CRASHES=$((CRASHES + 1))
            problems+=("crashed or hung: status $st, without the tracker $plain_st")
        fi
        local part differ=0
        for part in stdout stderr status; do
            if ! cmp -s "$out/plain.$part" "$t.$part"; then
                differ=1
                problems+=("$part differs:")
                problems+=("$(diff "$out/plain.$part" "$t.$part" | head -n 8)")
            fi
        done
        DIFFS=$((DIFFS + differ))
        local reports=("$rep"/r.*.json) bad=0 msg notes=
        [ -e "${reports[0]}" ] || reports=()
        PROCS=$((PROCS + ${#reports[@]}))
        if [ "${#reports[@]}" -ne "$nproc" ]; then
            bad=1
            problems+=("${#reports[@]} reports for $nproc processes")
        fi
        if [ "${#reports[@]}" -gt 0 ]; then
            if ! msg=$("$CHECK" --pid-from-name "${reports[@]}" 2>&1); then
                bad=1
                problems+=("$msg")
            fi
            local extra=$cfg
            [ "$cfg" = stacks ] && extra=stacks:$NRULES
            [ "$cfg" = stacks ] && [[ $NORULES == *" $name "* ]] && extra=stacks:0
            if ! notes=$("$HERE/check-extra.py" "$extra" "${reports[@]}" 2>&1); then
                bad=1
                problems+=("$(printf '%s\n' "$notes" | head -n 10)")
                notes=
            fi
        fi
        msg=$(find "$rep" -type f ! -name 'r.[0-9]*.json' | head -n 3)
        if [ -n "$msg" ]; then
            bad=1
            problems+=("files left beside the reports: $msg")
        fi
        # jemalloc-first against jemalloc: the same counts, process by process.
        if [ "$cfg" = jemalloc-first ] && [ -d "$SCRATCH/rep/$name.jemalloc" ] &&
            [ "${#reports[@]}" -gt 0 ]; then
            local cmp
            if cmp=$(compare_counts "$SCRATCH/rep/$name.jemalloc" "${reports[@]}"); then
                [[ $cmp == equal* ]] && COUNTSEQUAL=$((COUNTSEQUAL + 1))
                notes+="${notes:+$'\n'}alloc_calls per process against libheaptag.so first: $cmp"
            else
                COUNTDIFFS=$((COUNTDIFFS + 1))
                problems+=("allocation counts against the jemalloc configuration's: $cmp")
            fi
        fi
        INVALID=$((INVALID + bad))
        if [ ${#problems[@]} -eq 0 ]; then
            ok "$name [$cfg]: same output and status ($st), ${#reports[@]} valid report(s), ${secs}s"
            [ -z "$notes" ] || printf '%s\n' "$notes" | sed 's/^/    /'
        else
            fail "$name [$cfg]"
            printf '%s\n' "${problems[@]}" | sed 's/^/    /'
        fi
    done
}

start=$(date +%s)
for i in "${!NAMES[@]}"; do
    run_program "${NAMES[$i]}" "${CMDS[$i]}"
done
echo "corpus: ${PROGRAMS} programs, ${RUNS} tracked runs (${CONFIGS[*]}), ${PROCS} processes," \
    "crashes ${CRASHES}, output differences ${DIFFS}, reports invalid ${INVALID}," \
    "count differences ${COUNTDIFFS} (jemalloc-first: ${COUNTSEQUAL} programs with equal counts)" \
    "($(($(date +%s) - start)) s)"
finish
