"""Figures the rule-pack tests assert, from heaptag reports.

    figures.py named-at-peak REPORT        NAMED TOTAL PERMILLE
        of the bytes live at the peak snapshot (the sites' live_at_peak:
        massif's rule, the last time the process reached a peak 1% above
        the previous one, so TOTAL is within 1% of totals.peak_live_bytes),
        those in sites of a named type (not "untagged"), and NAMED/TOTAL in
        thousandths, rounded down
    figures.py peak REPORT                 totals.peak_live_bytes
    figures.py types REPORT                per-type figures, a line a type
    figures.py per-instance A B N          (A - B) / N, two decimals
    figures.py within A B PERCENT          "yes" if |A - B| <= PERCENT% of B
    figures.py type-blocks REPORT TYPE     alloc_calls live_blocks of TYPE
    figures.py window-blocks DIR TYPE      alloc_calls of TYPE between the
        dumps of instances.py N MODE DIR: (2 - 1) - (1 - 0), the blocks its
        instances were made with, less what a dump call itself allocates
    figures.py window-types DIR            the same for every type, "TYPE
        COUNT" a line, the types whose count is not 0
"""
import json
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def named_at_peak(path):
    r = load(path)
    total = sum(s["live_at_peak"] for s in r["sites"])
    named = sum(s["live_at_peak"] for s in r["sites"] if s["type"] != "untagged")
    print(named, total, named * 1000 // total if total else 0)


def peak(path):
    print(load(path)["totals"]["peak_live_bytes"])


def types(path):
    keys = ("alloc_calls", "free_calls", "bytes_requested", "live_bytes",
            "peak_live_bytes", "live_blocks", "temporary_calls", "size_hist")
    for t in sorted(load(path)["types"], key=lambda t: t["name"]):
        print(t["name"], " ".join("%s=%s" % (k, t.get(k)) for k in keys))


def per_instance(a, b, n):
    print("%.2f" % ((int(a) - int(b)) / int(n)))


def within(a, b, percent):
    a, b = float(a), float(b)
    print("yes" if abs(a - b) <= abs(b) * float(percent) / 100 else "no")


def type_blocks(path, name):
    for t in load(path)["types"]:
        if t["name"] == name:
            print(t["alloc_calls"], t["live_blocks"])
            return
    print("0 0")


def window(folder):
    calls = []
    for k in range(3):
        calls.append({t["name"]: t["alloc_calls"]
                      for t in load("%s/%d.json" % (folder, k))["types"]})
    names = set().union(*calls)
    return {n: (calls[2].get(n, 0) - calls[1].get(n, 0))
            - (calls[1].get(n, 0) - calls[0].get(n, 0)) for n in names}


def window_blocks(folder, name):
    print(window(folder).get(name, 0))


def window_types(folder):
    for name, count in sorted(window(folder).items()):
        if count:
            print(name, count)


if __name__ == "__main__":
    globals()[sys.argv[1].replace("-", "_")](*sys.argv[2:])
