"""Name each call site's frames the way the tracker's rule matcher does.

Name each call site's frames the way the tracker's rule matcher does:
the ELF symbol (.symtab, else the separate debug file found by build-id,
else .dynsym) containing the return address minus one, no inlining, no
demangling.  Used by the rules tests to print what a pack leaves
untagged, so a failing figure comes with the functions to write rules for.

    site_functions.py REPORT [TYPE] [N]

prints the N (default 15) sites of TYPE (default untagged) with the most
bytes live at the peak, each as "BYTES CALLS  f0 < f1 < f2 < f3".

    site_functions.py --dead-rules RULES ELF...

prints each rule (file:line) whose function glob matches no function of
the ELF files (those whose file name matches the rule's module glob): a
rule naming a function the program does not have is a typo or a rule for
another version.

    site_functions.py --entry REPORT ENTRY-GLOB

prints "TYPE CALLS BYTES" (alloc_calls, bytes_requested), one line per
type, summed over the sites whose entry into the C library matches
ENTRY-GLOB: the outermost frame of the run of libc/ld.so frames the stack
starts with (the libc function the program called).  ENTRY-GLOB "?" lists
the entries instead.  What one library call allocated, by type."""
import bisect
import fnmatch
import json
import os
import subprocess
import sys

_syms = {}


def _elf_file(path):
    """The file holding PATH's full symbol table."""
    try:
        out = subprocess.run(["readelf", "-nW", path], capture_output=True, text=True).stdout
    except OSError:
        return path
    for line in out.splitlines():
        if "Build ID:" in line:
            bid = line.split()[-1]
            dbg = "/usr/lib/debug/.build-id/%s/%s.debug" % (bid[:2], bid[2:])
            if os.path.exists(dbg):
                return dbg
    return path


def _symbols(path):
    if path in _syms:
        return _syms[path]
    segs = []
    out = subprocess.run(["readelf", "-lW", path], capture_output=True, text=True).stdout
    for line in out.splitlines():
        f = line.split()
        if f and f[0] == "LOAD":
            segs.append((int(f[1], 16), int(f[2], 16), int(f[4], 16)))  # offset, vaddr, filesz
    table = []
    for src, opt in ((_elf_file(path), []), (path, ["-D"])):
        out = subprocess.run(["nm", "-S", "--defined-only"] + opt + [src], capture_output=True, text=True).stdout
        for line in out.splitlines():
            f = line.split()
            if len(f) == 4 and f[2] in "tTwWiI":
                table.append((int(f[0], 16), int(f[1], 16), f[3]))
        if table:
            break
    table.sort()
    _syms[path] = (segs, table, [t[0] for t in table])
    return _syms[path]


def name_of(report, addr):
    for m in report["modules"]:
        if m["start"] <= addr < m["end"]:
            off = addr - m["start"] + m["offset"]
            segs, table, starts = _symbols(m["path"])
            va = off
            for so, sv, sz in segs:
                if so <= off < so + sz:
                    va = off - so + sv
            i = bisect.bisect_right(starts, va) - 1
            if i >= 0 and va < table[i][0] + max(table[i][1], 1):
                return table[i][2]
            return "%s+0x%x" % (os.path.basename(m["path"]), off)
    return "0x%x" % addr


def dead_rules(rules_path, files):
    dead = 0
    for lineno, line in enumerate(open(rules_path), 1):
        f = line.split("#", 1)[0].split()
        if len(f) < 2:
            continue
        func, mod = f[1], f[2] if len(f) > 2 else "*"
        names = [t[2] for p in files if fnmatch.fnmatchcase(os.path.basename(p), mod)
                 for t in _symbols(p)[1]]
        if not any(fnmatch.fnmatchcase(n, func) for n in names):
            print("%s:%d: %s matches no function" % (rules_path, lineno, " ".join(f)))
            dead += 1
    return 1 if dead else 0


def module_of(report, addr):
    for m in report["modules"]:
        if m["start"] <= addr < m["end"]:
            return os.path.basename(m["path"])
    return ""


def entry(path, glob):
    report = json.load(open(path))
    acc = {}
    for s in report["sites"]:
        first = None
        for a in s["frames"]:
            if not module_of(report, a - 1).startswith(("libc.so", "ld-linux")):
                break
            first = name_of(report, a - 1)
        if glob == "?":
            seen = acc.setdefault(first, [0, 0])
            seen[0] += s["alloc_calls"]
            seen[1] += s["bytes_requested"]
            continue
        if first is None or not fnmatch.fnmatchcase(first, glob):
            continue
        a = acc.setdefault(s["type"], [0, 0])
        a[0] += s["alloc_calls"]
        a[1] += s["bytes_requested"]
    for t in sorted(acc):
        print(t, acc[t][0], acc[t][1])


def main():
    if sys.argv[1] == "--entry":
        entry(*sys.argv[2:4])
        return
    if sys.argv[1] == "--dead-rules":
        sys.exit(dead_rules(sys.argv[2], [os.path.realpath(p) for p in sys.argv[3:]]))
    report = json.load(open(sys.argv[1]))
    want = sys.argv[2] if len(sys.argv) > 2 else "untagged"
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    sites = sorted((s for s in report["sites"] if s["type"] == want),
                   key=lambda s: (-s["live_at_peak"], -s["bytes_requested"]))
    for s in sites[:n]:
        names = [name_of(report, a - 1) for a in s["frames"][:4]]
        print("%10d %8d  %s" % (s["live_at_peak"], s["alloc_calls"], " < ".join(names)))


if __name__ == "__main__":
    main()
