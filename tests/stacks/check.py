"""Helpers for the stacks tests: figures from reports and from heaptag's
text, folded and ms_print outputs.  Usage: check.py COMMAND ARGS..."""
import json
import re
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def sites_by_function(text_path):
    """From `heaptag report --top 1000` text: per innermost shown function
    (the site's first frame line), summed allocations, blocks live at exit
    and temporary allocations, and the file:line values seen."""
    acc = {}
    section = None
    pending = None
    for line in open(text_path):
        if line.startswith("  Top sites by peak"):
            section = "peak"
            continue
        if line.startswith("  ") and not line.startswith("    "):
            section = None
        m = re.match(r"\s+\d+\. site \d+: .* \((\d+) blocks\), (\d+) allocations, (\d+) temporary", line)
        if m and section == "peak":
            pending = tuple(int(x) for x in m.groups())
            continue
        if pending and section == "peak":
            f = re.match(r"\s+(\S+)(?: \(([^)]*)\))?", line)
            name, where = f.group(1), f.group(2) or "?"
            a = acc.setdefault(name, [0, 0, 0, set()])
            a[0] += pending[1]
            a[1] += pending[0]
            a[2] += pending[2]
            a[3].add(where)
            pending = None
    for name in sorted(acc):
        a = acc[name]
        print("%s allocs=%d live_blocks=%d temporary=%d at=%s" % (name, a[0], a[1], a[2], ",".join(sorted(a[3]))))


def tracker_frames(report_path):
    """Count frames that fall inside libheaptag.so."""
    d = load(report_path)
    mods = [m for m in d["modules"] if m["path"].endswith("/libheaptag.so")]
    n = 0
    for s in d["sites"]:
        for fr in s["frames"]:
            n += any(m["start"] <= fr < m["end"] for m in mods)
    print(n)


def get(report_path, *keys):
    v = load(report_path)
    for k in keys:
        v = v[int(k)] if isinstance(v, list) else v[k]
    print(v)


def sum_live_at_peak(report_path):
    print(sum(s["live_at_peak"] for s in load(report_path)["sites"]))


def folded_sum(path):
    total = 0
    for line in open(path):
        stack, _, w = line.rstrip("\n").rpartition(" ")
        assert stack and int(w) > 0, line
        total += int(w)
    print(total)


def named_fraction(path):
    """Percentage of frames in folded stacks that have a function name
    (not module+0xOFFSET or a bare address)."""
    named = total = 0
    for line in open(path):
        for fr in line.rpartition(" ")[0].split(";"):
            total += 1
            named += not re.search(r"\+0x[0-9a-f]+$|^0x[0-9a-f]+$", fr)
    print(named * 100 // max(total, 1))


def msprint_peak(path):
    """The useful-heap bytes of the snapshot ms_print marks as the peak."""
    text = open(path).read()
    m = re.search(r"Detailed snapshots: \[([^\]]*)\]", text)
    peak = [x for x in m.group(1).split(",") if "(peak)" in x]
    n = int(peak[0].split()[0])
    for line in text.splitlines():
        cols = line.split()
        if len(cols) == 6 and cols[0] == str(n):
            print(cols[3].replace(",", ""))
            return
    print("none")


def types(report_path):
    """Per-type figures, one line per type, by name."""
    keys = ("alloc_calls", "free_calls", "bytes_requested", "live_bytes", "peak_live_bytes",
            "live_blocks", "temporary_calls", "size_hist")
    for t in sorted(load(report_path)["types"], key=lambda t: t["name"]):
        print(t["name"], " ".join("%s=%s" % (k, t.get(k)) for k in keys))


if __name__ == "__main__":
    globals()[sys.argv[1].replace("-", "_")](*sys.argv[2:])
