#!/bin/bash
# Sampled mode on the validation keep scene: within 5% of exact mode.
#
# The validation keep scene (10,000 dict-mode Responses, validate/) at
# HEAPTAG_SAMPLE=1024 in 5 seeds: Response and Response.payload bytes per
# Response instance (peak bytes / peak instances, as make validate
# computes them) within 5% of exact mode's in every seed.
. "$(dirname "$0")/lib.sh"
start_server
LD_PRELOAD=$LIB HEAPTAG_OUT=$tmp/exact.json "$SCENE" "$URL" -n 10000 --keep >/dev/null || fail "exact run"
for seed in 1 2 3 4 5; do
	LD_PRELOAD=$LIB HEAPTAG_SAMPLE=1024 HEAPTAG_SAMPLE_SEED=$seed HEAPTAG_OUT=$tmp/s$seed.json \
		"$SCENE" "$URL" -n 10000 --keep >/dev/null || fail "sampled run, seed $seed"
done
$PY - "$tmp" <<'PYEOF' || fail "sampled figures off by more than 5%"
import json, sys
tmp = sys.argv[1]
def per_instance(path):
    d = json.load(open(path))
    t = {x["name"]: x for x in d["types"]}
    n = t["Response"]["peak_live_instances"]
    return {k: t[k]["peak_live_bytes"] / n for k in ("Response", "Response.payload")}, d
exact, _ = per_instance(tmp + "/exact.json")
bad = 0
for seed in range(1, 6):
    got, d = per_instance("%s/s%d.json" % (tmp, seed))
    assert d["sampling"]["mean_bytes"] == 1024
    for k in got:
        err = (got[k] - exact[k]) / exact[k]
        print("seed %d %-16s exact %7.1f B/instance  sampled %7.1f  %+5.2f%% %s"
              % (seed, k, exact[k], got[k], 100 * err, "ok" if abs(err) <= 0.05 else "OFF"))
        bad += abs(err) > 0.05
sys.exit(1 if bad else 0)
PYEOF

# Rule packs name the types in sampled mode too: the untagged client build
# with hc-client.rules finds the same types as exact mode, with figures
# within 25% at 4 KiB (a few hundred samples per type).
RULED=$BUILD/rules-untagged/dict/bin/hc-load
RULES=$top/profiler/rules/hc-client.rules
for m in exact 4096; do
	env LD_PRELOAD=$LIB HEAPTAG_STACKS=32 HEAPTAG_RULES=$RULES HEAPTAG_OUT=$tmp/r-$m.json \
		$( [ $m = exact ] || echo HEAPTAG_SAMPLE=$m HEAPTAG_SAMPLE_SEED=3 ) \
		"$RULED" "$URL" -n 5000 --keep >/dev/null || fail "rules run ($m)"
done
$PY - "$tmp" <<'PYEOF' || fail "rule types differ between exact and sampled mode"
import json, sys
tmp = sys.argv[1]
ex = {t["name"]: t["peak_live_bytes"] for t in json.load(open(tmp + "/r-exact.json"))["types"]}
sa = {t["name"]: t["peak_live_bytes"] for t in json.load(open(tmp + "/r-4096.json"))["types"]}
bad = 0
for k in ("Response", "Response.payload", "Headers", "Headers.payload"):
    err = (sa.get(k, 0) - ex[k]) / ex[k]
    print("rules: %-16s exact %8d  sampled %8d  %+5.1f%%" % (k, ex[k], sa.get(k, 0), 100 * err))
    bad += abs(err) > 0.25
sys.exit(1 if bad else 0)
PYEOF
finish
