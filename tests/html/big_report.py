#!/usr/bin/env python3
"""Write a synthetic but consistent stacks-mode heaptag report with many
call sites (docs/report-format.md): big_report.py OUT [SITES].

Site sizes are heavy-tailed, as in real programs, so most bytes sit in few
sites; call paths share their outer frames and branch further in.  Frame
addresses fall in a module that does not exist, so they are named
"libbig.so+0x..." without any symbol lookup.  Deterministic (fixed seed)."""
import json
import random
import sys

out = sys.argv[1]
nsites = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
rng = random.Random(15)
NTYPES, DEPTH = 24, 16
BASE, SPAN = 0x7f0000000000, 0x1000000
types = ["Type%02d" % i for i in range(NTYPES)]
fanout = [1, 1, 2, 3, 4, 6, 8, 10, 12, 16, 16, 16, 16, 16, 16, 16]
pools = [[BASE + 0x1000 + (lvl << 16) + 16 * k for k in range(f)] for lvl, f in enumerate(fanout)]
HB = 24

sites = []
tsum = {t: dict(alloc_calls=0, free_calls=0, bytes_requested=0, live_bytes=0, peak_live_bytes=0,
                live_usable_bytes=0, peak_live_usable_bytes=0, live_blocks=0, temporary_calls=0,
                size_hist=[0] * HB) for t in types}
for i in range(nsites):
    t = types[min(int(rng.paretovariate(1.0)) - 1, NTYPES - 1)]
    path = [rng.choice(pools[lvl]) for lvl in range(DEPTH)]   # outermost first
    size = 16 * min(int(rng.paretovariate(1.2)), 4096)
    calls = min(int(rng.paretovariate(1.1)), 100000)
    frees = rng.randint(0, calls)
    live_blocks = calls - frees
    live = live_blocks * size
    peak = max(live, min(calls, int(calls * rng.random()) + 1) * size)
    at_peak = rng.randint(live, peak) if peak > live else live
    temporary = rng.randint(0, frees) // 2
    usable = lambda b: b + (b // size) * 8 if size else b
    hist = [0] * HB
    hist[min(size.bit_length() + 1, HB - 1)] = calls
    s = dict(id=i + 1, type=t, frames=list(reversed(path)), alloc_calls=calls, free_calls=frees,
             bytes_requested=calls * size, live_bytes=live, peak_live_bytes=peak,
             live_usable_bytes=usable(live), peak_live_usable_bytes=usable(peak),
             live_blocks=live_blocks, temporary_calls=temporary, live_at_peak=at_peak, size_hist=hist)
    sites.append(s)
    a = tsum[t]
    for k in ("alloc_calls", "free_calls", "bytes_requested", "live_bytes", "live_usable_bytes",
              "live_blocks", "temporary_calls", "peak_live_bytes", "peak_live_usable_bytes"):
        a[k] += s[k]
    for b in range(HB):
        a["size_hist"][b] += hist[b]

tlist = []
for t in types:
    a = tsum[t]
    tlist.append(dict(name=t, instances=0, live_instances=0, peak_live_instances=0, **a))
tlist.sort(key=lambda x: -x["peak_live_bytes"])
totals = {k: sum(x[k] for x in tlist) for k in ("alloc_calls", "free_calls", "bytes_requested",
                                                 "live_bytes", "live_usable_bytes", "live_blocks")}
peak_total = sum(s["live_at_peak"] for s in sites)
totals.update(peak_live_bytes=max(peak_total, max(x["peak_live_bytes"] for x in tlist)),
              peak_live_usable_bytes=0, peak_live_blocks=totals["live_blocks"] + 1000,
              realloc_calls=0, failed_calls=0, foreign_free_calls=0)
totals["peak_live_usable_bytes"] = max(totals["peak_live_bytes"] * 2, totals["live_usable_bytes"])

# 512 samples rising to the peak and falling to the live bytes at exit;
# every 10th carries the live bytes of a few thousand sites.
samples, details = [], []
for k in range(512):
    f = k / 511
    live = int(totals["peak_live_bytes"] * (f / 0.7 if f <= 0.7 else 1 - (f - 0.7) / 0.3)
               + totals["live_bytes"] * max(0, (f - 0.7) / 0.3))
    live = min(live, totals["peak_live_bytes"])
    detail = -1
    if k % 10 == 0:
        pairs = []
        chosen = rng.sample(sites, 3000)
        budget = live
        for s in sorted(chosen, key=lambda s: s["id"]):
            b = min(s["peak_live_bytes"], budget)
            if b > 0:
                pairs += [s["id"], b]
                budget -= b
        detail = len(details)
        details.append(pairs)
    samples.append([int(totals["bytes_requested"] * f), k * 10, live, live * 2, 1000, detail])

doc = {"format": "heaptag-report", "version": 1, "program": "big", "pid": 4242, "ppid": 1,
       "reason": "exit", "duration_ms": 5120, "concurrent": False,
       "allocator": "/lib/x86_64-linux-gnu/libc.so.6", "totals": totals,
       "tracker": {"overhead_bytes": 1 << 24, "mapped_bytes": 1 << 40, "untracked_blocks": 0},
       "types": tlist, "stacks": {"depth": DEPTH, "rules": 0},
       "timeline": {"unit": "bytes", "interval": 1 << 20,
                    "columns": ["t_bytes", "t_ms", "live_bytes", "live_usable_bytes", "live_blocks", "detail"],
                    "samples": samples},
       "details": details,
       "modules": [{"path": "/nonexistent/libbig.so", "start": BASE, "end": BASE + SPAN, "offset": 0}],
       "sites": sites}
with open(out, "w") as f:
    json.dump(doc, f, separators=(",", ":"))
