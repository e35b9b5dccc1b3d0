#!/usr/bin/python3
"""Checks of corpus reports beyond report-check's schema and invariants.

    check-extra.py CONFIG REPORT...

CONFIG is the tracker configuration the reports came from:
  plain     only the timeline (every report has one)
  stacks:N  HEAPTAG_STACKS=16 with N rules: depth and rule count as
            configured, sites reference known types, no site figure exceeds
            the totals or its type's.  Two known gaps are printed as notes,
            not failures: allocations made before the tracker's constructor
            (other libraries' constructors) have no call site, and frames in
            a module unloaded before the report (ld's LTO plugin) lie in no
            listed module.
  jemalloc  the tracker forwards to jemalloc (the `allocator` key); also
            jemalloc-first

One line per failure on stdout; exit status 1 if any.
"""
import json
import sys

SUMMED = ("alloc_calls", "free_calls", "bytes_requested", "live_bytes",
          "live_usable_bytes", "live_blocks")
failures = 0
notes = []


def fail(path, msg):
    global failures
    failures += 1
    print(f"{path}: {msg}")


def check_timeline(path, r):
    tl = r.get("timeline")
    if not isinstance(tl, dict):
        return fail(path, "timeline: missing")
    cols = tl.get("columns")
    want = ["t_bytes", "t_ms", "live_bytes", "live_usable_bytes", "live_blocks", "detail"]
    if cols != want:
        return fail(path, f"timeline.columns: {cols}")
    ndetails = len(r.get("details", []))
    prev = None
    for row in tl.get("samples", []):
        if len(row) != 6 or any(not isinstance(v, int) for v in row):
            return fail(path, f"timeline: bad row {row}")
        if prev and (row[0] < prev[0] or row[1] < prev[1]):
            return fail(path, f"timeline: time goes back: {prev} then {row}")
        if row[2] < 0 or row[3] < row[2] or row[4] < 0:
            return fail(path, f"timeline: bad figures in {row}")
        if row[2] > r["totals"]["peak_live_bytes"]:
            return fail(path, f"timeline: live {row[2]} above the peak")
        if not (row[5] == -1 or 0 <= row[5] < ndetails):
            return fail(path, f"timeline: detail index {row[5]} of {ndetails}")
        prev = row
    if len(tl.get("samples", [])) > 512:
        fail(path, "timeline: more than 512 samples")


def check_stacks(path, r, rules):
    st = r.get("stacks", {})
    if st.get("depth") != 16 or st.get("rules") != rules:
        fail(path, f"stacks: {st}, want depth 16 and {rules} rules")
    sites = r.get("sites")
    mods = r.get("modules")
    if not isinstance(sites, list) or not isinstance(mods, list):
        return fail(path, "sites or modules missing in stacks mode")
    types = {t["name"]: t for t in r["types"]}
    ids = set()
    per_type = {}
    sums = dict.fromkeys(SUMMED, 0)
    ranges = sorted((m["start"], m["end"]) for m in mods)
    unplaced = 0
    for m in mods:
        if not m.get("path") or not 0 <= m["start"] < m["end"]:
            fail(path, f"module {m}: bad entry")
    for s in sites:
        if s["id"] in ids:
            fail(path, f"site {s['id']} listed twice")
        ids.add(s["id"])
        if s["type"] not in types:
            fail(path, f"site {s['id']}: unknown type {s['type']}")
        if not 1 <= len(s["frames"]) <= 16:
            fail(path, f"site {s['id']}: {len(s['frames'])} frames")
        a = s["frames"][0] if s["frames"] else 0
        if not any(lo <= a < hi for lo, hi in ranges):
            unplaced += 1
        t = per_type.setdefault(s["type"], dict.fromkeys(SUMMED, 0))
        for k in SUMMED:
            sums[k] += s[k]
            t[k] += s[k]
        if s["live_bytes"] > s["peak_live_bytes"] or s["live_at_peak"] > s["peak_live_bytes"]:
            fail(path, f"site {s['id']}: live/live_at_peak above its peak")
    for k in SUMMED:
        if sums[k] > r["totals"][k]:
            fail(path, f"sites: sum of {k} {sums[k]} > totals {r['totals'][k]}")
    for name, t in per_type.items():
        for k in SUMMED:
            if name in types and t[k] > types[name][k]:
                fail(path, f"sites of type {name}: sum of {k} {t[k]} > {types[name][k]}")
    missing = r["totals"]["alloc_calls"] - sums["alloc_calls"]
    if missing:
        notes.append(f"{path} ({r['program']}): {missing} of "
                     f"{r['totals']['alloc_calls']} allocations without a call site")
    if unplaced:
        notes.append(f"{path} ({r['program']}): {unplaced} of {len(sites)} sites "
                     "with the innermost frame in no listed module")
    for d in r.get("details", []):
        if len(d) % 2 or any(d[i] not in ids for i in range(0, len(d), 2)):
            fail(path, "details: odd length or unknown site id")
            break


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    config, paths = sys.argv[1], sys.argv[2:]
    rules = int(config.split(":")[1]) if config.startswith("stacks:") else 0
    for path in paths:
        try:
            with open(path) as f:
                r = json.load(f)
        except (OSError, ValueError) as e:
            fail(path, f"cannot load: {e}")
            continue
        check_timeline(path, r)
        if config.startswith("stacks"):
            check_stacks(path, r, rules)
        elif config.startswith("jemalloc") and "jemalloc" not in r.get("allocator", ""):
            fail(path, f"allocator {r.get('allocator')!r}, not jemalloc")
    for n in notes:
        print("note:", n)
    sys.exit(1 if failures else 0)


main()
