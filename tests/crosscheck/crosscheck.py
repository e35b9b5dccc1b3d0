#!/usr/bin/env python3
"""Cross-check heaptag against Valgrind on real programs.

Each program runs three times: with libheaptag.so preloaded, under
`valgrind --tool=dhat` and under `valgrind --tool=massif
--peak-inaccuracy=0`.  It prints, side by side, heaptag's alloc_calls
against DHAT's total blocks, and heaptag's peak_live_bytes against DHAT's
bytes at t-gmax and massif's peak mem_heap_B.  All three count requested
bytes, so they measure the same thing by different means: heaptag wraps
glibc's malloc, Valgrind replaces it.

    crosscheck.py BUILD_DIR [--check] [--only NAME]

With --check the exit status is 1 when a program's figures disagree beyond
the tolerances below (see docs/benchmarks.md for what was observed and why
they are what they are); 77 when valgrind is missing.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

# Tolerances.  Valgrind replaces malloc for the whole process, heaptag wraps
# it, and the runs are not byte-identical processes: with valgrind's own
# additions mirrored (VALGRIND_ENV below) the environments still differ in
# the value of LD_PRELOAD (one path against valgrind's two), in HEAPTAG_OUT
# and in the output file names.  A program that copies its environment
# (perl's %ENV) therefore holds a few dozen bytes more or less at its peak;
# observed: perl within 130 bytes, everything else exact.  Allocation
# counts have matched exactly once the environment was mirrored.  The
# tolerances leave room for that and nothing more: a tracker that missed
# one allocation entry point (calloc, memalign, realloc) or misplaced a
# free would be off by far more on at least one of these programs.
CALLS_REL, CALLS_ABS = 0.001, 4       # 0.1 % or 4 calls, whichever is larger
PEAK_REL, PEAK_ABS = 0.001, 1024      # 0.1 % or 1 KiB, whichever is larger


def within(a, b, rel, absolute):
    return abs(a - b) <= max(absolute, rel * max(a, b))


def make_inputs(tmp):
    """Small deterministic inputs: valgrind is slow."""
    lines = tmp + "/lines.txt"
    with open(lines, "w") as f:
        x = 12345
        for i in range(4000):
            x = (x * 1103515245 + 12345) % 2**31
            f.write("line %08d %s\n" % (x % 100000000, "abcdefghij"[: x % 10]))
    repo = tmp + "/repo"
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@e",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@e",
               GIT_AUTHOR_DATE="2020-01-01T00:00:00Z",
               GIT_COMMITTER_DATE="2020-01-01T00:00:00Z",
               HOME=tmp, GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "init", "-q", repo], check=True, env=env)
    for i in range(5):
        with open("%s/f%d.txt" % (repo, i), "w") as f:
            f.write("content %d\n" % i * 50)
        subprocess.run(["git", "-C", repo, "add", "."], check=True, env=env)
        subprocess.run(["git", "-C", repo, "commit", "-q", "-m", "c%d" % i],
                       check=True, env=env)
    return lines, repo, env


def programs(tmp):
    lines, repo, genv = make_inputs(tmp)
    py = shutil.which("python3", path="/usr/bin:/bin") or "python3"
    return [
        ("python3", [py, "-c",
                     "d = {str(i): [i] * (i % 7) for i in range(3000)}\n"
                     "s = sorted(d, key=lambda k: -len(d[k]))\n"
                     "print(len(s), sum(map(len, d.values())))"],
         {"PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}),
        ("perl", ["perl", "-e",
                  'my %h; $h{"k$_"} = "v" x ($_ % 50) for 1..3000; '
                  'my @k = sort keys %h; print scalar(@k), "\\n";'],
         {"PERL_HASH_SEED": "0", "PERL_PERTURB_KEYS": "0"}),
        ("sort", ["sort", lines], {"LC_ALL": "C"}),
        ("git-log", ["git", "-C", repo, "--no-pager", "log", "--stat"],
         {k: genv[k] for k in genv if k.startswith("GIT_") or k == "HOME"}),
        ("gzip", ["gzip", "-c", "-6", lines], {}),
        ("xz", ["xz", "-c", "-1", "-T1", lines], {}),
    ]


def run(cmd, env, out_path):
    with open(out_path, "wb") as out:
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, env=env)
        rc = p.wait(timeout=120)
    if rc != 0:
        with open(out_path, "rb") as f:
            tail = f.read()[-400:].decode(errors="replace")
        raise RuntimeError("%s exited %d: %s" % (cmd[0], rc, tail))
    return p.pid


# What valgrind's launcher adds to the client's environment (valgrind 3.19,
# seen with `valgrind env`).  The heaptag run gets the same, so that the two
# environments differ only in LD_PRELOAD's value and HEAPTAG_OUT: programs
# that copy their environment (perl builds %ENV from it) then allocate the
# same blocks in both runs, give or take one variable.
VALGRIND_ENV = {"LD_LIBRARY_PATH": "/usr/lib/debug", "GLIBCPP_FORCE_NEW": "1",
                "GLIBCXX_FORCE_NEW": "1"}


def heaptag_run(lib, cmd, env, tmp, name):
    e = dict(env, LD_PRELOAD=lib, HEAPTAG_OUT=tmp + "/" + name + ".%p.json",
             **VALGRIND_ENV)
    pid = run(cmd, e, tmp + "/" + name + ".heaptag.log")
    with open("%s/%s.%d.json" % (tmp, name, pid)) as f:
        t = json.load(f)["totals"]
    return t


def dhat_run(cmd, env, tmp, name):
    path = tmp + "/" + name + ".dhat.json"
    run(["valgrind", "--tool=dhat", "-q", "--dhat-out-file=" + path] + cmd,
        env, tmp + "/" + name + ".dhat.log")
    with open(path) as f:
        d = json.load(f)
    # Every program point carries tbk (blocks allocated there over the whole
    # run) and gb (its bytes live at t-gmax, the moment of the global peak).
    blocks = sum(pp["tbk"] for pp in d["pps"])
    tgmax = sum(pp["gb"] for pp in d["pps"])
    return blocks, tgmax


def massif_run(heaptag, cmd, env, tmp, name):
    """massif's peak mem_heap_B, read by the one massif reader: `heaptag massif`."""
    path = tmp + "/" + name + ".massif.out"
    run(["valgrind", "--tool=massif", "-q", "--peak-inaccuracy=0",
         "--massif-out-file=" + path] + cmd, env, tmp + "/" + name + ".massif.log")
    p = subprocess.run([heaptag, "massif", "--format", "json", "--parse", path],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("heaptag massif --parse %s: %s" % (path, p.stderr.strip()))
    return json.loads(p.stdout)["runs"][0]["peak"]["heap_B"]


def main(argv):
    if len(argv) < 2:
        print("usage: crosscheck.py BUILD_DIR [--check] [--only NAME]", file=sys.stderr)
        return 2
    build = os.path.abspath(argv[1])
    check = "--check" in argv
    only = argv[argv.index("--only") + 1] if "--only" in argv else None
    lib = build + "/lib/libheaptag.so"
    if not os.path.exists(lib):
        print("crosscheck: missing " + lib, file=sys.stderr)
        return 1
    if shutil.which("valgrind") is None:
        print("crosscheck: valgrind not installed; skipped")
        return 77
    tmp = tempfile.mkdtemp(prefix="heaptag-crosscheck.")
    bad = []
    try:
        base = {k: os.environ[k] for k in ("PATH",) if k in os.environ}
        base["LC_ALL"] = "C"
        print("%-8s %12s %12s %7s   %12s %12s %12s %7s" % (
            "program", "ht allocs", "DHAT blocks", "diff",
            "ht peak", "DHAT t-gmax", "massif peak", "diff"))
        for name, cmd, extra in programs(tmp):
            if only and name != only:
                continue
            env = dict(base, **extra)
            t = heaptag_run(lib, cmd, env, tmp, name)
            blocks, tgmax = dhat_run(cmd, env, tmp, name)
            mpeak = massif_run(build + "/bin/heaptag", cmd, env, tmp, name)
            calls, peak = t["alloc_calls"], t["peak_live_bytes"]
            print("%-8s %12d %12d %+7d   %12d %12d %12d %+7d" % (
                name, calls, blocks, calls - blocks, peak, tgmax, mpeak,
                max(peak - tgmax, peak - mpeak, key=abs)))
            if not within(calls, blocks, CALLS_REL, CALLS_ABS):
                bad.append("%s: alloc_calls %d vs DHAT blocks %d" % (name, calls, blocks))
            for what, v in (("DHAT t-gmax", tgmax), ("massif peak", mpeak)):
                if not within(peak, v, PEAK_REL, PEAK_ABS):
                    bad.append("%s: peak_live_bytes %d vs %s %d" % (name, peak, what, v))
        print("tolerance: alloc calls %.1f%% or %d; peak %.1f%% or %d bytes" % (
            CALLS_REL * 100, CALLS_ABS, PEAK_REL * 100, PEAK_ABS))
        for b in bad:
            print("DISAGREE " + b)
    except (RuntimeError, OSError, ValueError, KeyError, subprocess.SubprocessError) as e:
        print("crosscheck: " + str(e).splitlines()[0], file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if (check and bad) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
