"""Coverage of sampled mode's error bounds (tests/sampling/test-estimates.sh).

Runs the synthetic program (synth.c: known sizes and counts per type) under
HEAPTAG_SAMPLE with RUNS seeds, and checks, per type, for allocated and live
bytes, and for the process's realloc calls (synth's only reallocs are
Grown's): the report's 95% interval (estimate +- bound) covers the truth in
at least MIN_COVER runs, and the mean of the estimates lies within the 95%
bound of a mean of independent estimates, 1.96 * sqrt(sum of variances) / n.
Prints every figure it judges.  Usage: estimates.py LIB PROG TMPDIR RUNS MIN_COVER [MEAN]"""
import json
import math
import os
import subprocess
import sys

lib, prog, tmp, runs, min_cover = sys.argv[1:6]
mean_rate = sys.argv[6] if len(sys.argv) > 6 else None
runs, min_cover = int(runs), int(min_cover)
truth = {}
results = {}  # (type, metric) -> list of (estimate, bound)
for seed in range(1, runs + 1):
    out = os.path.join(tmp, "synth-%d.json" % seed)
    env = dict(os.environ, LD_PRELOAD=lib, HEAPTAG_OUT=out, HEAPTAG_SAMPLE_SEED=str(seed))
    if mean_rate:
        env["HEAPTAG_SAMPLE"] = mean_rate
    p = subprocess.run([prog], env=env, capture_output=True, text=True, check=True)
    for line in p.stdout.split("\n"):
        if line:
            name, calls, alloc, live = line.split()
            truth[name] = {"bytes_requested": int(alloc), "live_bytes": int(live)}
            if name == "Grown":
                truth["totals"] = {"realloc_calls": int(calls)}
    rep = json.load(open(out))
    assert rep["sampling"]["mean_bytes"] == 512 * 1024, rep["sampling"]["mean_bytes"]
    types = {t["name"]: t for t in rep["types"]}
    bounds = {t["name"]: t for t in rep["sampling"]["types"]}
    results.setdefault(("totals", "realloc_calls"), []).append(
        (rep["totals"]["realloc_calls"], rep["sampling"]["totals"]["realloc_calls"]))
    for name in truth:
        if name == "totals":
            continue
        for metric in ("bytes_requested", "live_bytes"):
            est = types[name][metric] if name in types else 0
            b = bounds[name][metric] if name in bounds else 0
            results.setdefault((name, metric), []).append((est, b))
    os.unlink(out)

failed = 0
for (name, metric), rows in sorted(results.items()):
    true = truth[name][metric]
    cover = sum(1 for est, b in rows if abs(est - true) <= b)
    mean = sum(est for est, _ in rows) / len(rows)
    mean_bound = 1.96 * math.sqrt(sum((b / 1.96) ** 2 for _, b in rows)) / len(rows)
    ok_cover = cover >= min_cover
    ok_mean = abs(mean - true) <= mean_bound
    print("%-7s %-15s true %11d  covered %2d/%d  mean %13.1f (%+.2f%%)  |mean-true| %10.1f <= %10.1f %s"
          % (name, metric, true, cover, len(rows), mean, 100.0 * (mean - true) / true,
             abs(mean - true), mean_bound, "ok" if ok_cover and ok_mean else "FAIL"))
    failed += not (ok_cover and ok_mean)
sys.exit(1 if failed else 0)
