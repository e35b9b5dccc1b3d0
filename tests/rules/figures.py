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


if __name__ == "__main__":
    globals()[sys.argv[1].replace("-", "_")](*sys.argv[2:])
