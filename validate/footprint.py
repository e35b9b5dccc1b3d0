#!/usr/bin/python3
"""footprint.py — assemble reports/footprint.{txt,md,json,html} from the raw
runs of validate/run-validate.sh.

Input (RAW directory): <mode>-<scene>-<rep>.json (heaptag reports),
<mode>-<scene>-<rep>.out (hc-scene's key=value line), <mode>-<scene>.massif
(massif.out of the same workload, when massif ran); sweep-<mode>-<size>.json
(the keep scene at each body size); py-<mode>-keep-<rep>.json,
py-<mode>-tracemalloc.out and py-sweep-<mode>-<size>.json (the same classes
in CPython, validate/py_scene.py).

Every saving and every verdict comes from `heaptag diff` (its JSON output
and its exit status), so the validation judges the claim with the rule the
tool documents (docs/heaptag-command.md): ADR-007's "about 40%" is the
about form `TYPE=~40`, which holds only inside 40 +- the tolerance and
otherwise exceeds or falls short.  Every figure and threshold in the text
comes from the runs, from heaptag diff's output, or from ADR below (the
record's own estimates, written once).  This script only gathers, checks
stability across repetitions, and lays out.

Exit status: 0 report written; 1 report written but a check failed (a
verdict that changes between repetitions, per-instance figures that differ
between repetitions, heaptag and massif peaks further apart than 1% of
requested bytes, hc-scene's own storage figure contradicting heaptag's, or
heaptag and tracemalloc disagreeing by more than 2% on a CPython Response);
2 bad input.
"""
import argparse
import html
import json
import os
import subprocess
import sys

import sweep_chart

MODES = ["dict", "slots", "allslots"]
SCENES = ["keep", "churn"]
HOT = ["Response", "Request", "Connection", "Timeout", "Headers"]
COLD = ["Session", "ConnectionPool"]
ROLE = {"dict": "no slots (alternative, rejected)",
        "slots": "slots on the 5 hot classes (ADR's choice)",
        "allslots": "slots everywhere (alternative, rejected)"}
# The ADR's own figures (Python 3.9+ estimate), restated: the one place they
# are written; every sentence that quotes them formats them from here.
ADR = {"response_dict_B": 280, "response_slots_B": 170,
       "total_dict_MB": 2.8, "total_slots_MB": 1.7, "total_saving_MB": 1.1,
       "total_saving_pct": 39, "total_requests": 10000, "claim_pct": 40, "dict_overhead_B": 240}
CLAIM_PCT = ADR["claim_pct"]
# heaptag and tracemalloc must agree this closely on a CPython Response.
TRACEMALLOC_AGREEMENT_PCT = 2.0
# The sweep's two response heads: hc-serve's minimal one and a realistic one.
HEADS = {"minimal": "/bytes/%d", "realistic": "/api/%d"}
# The end of the summary: adr_results.py copies what comes before it.
SUMMARY_END = "<!-- end of summary -->"


def die(msg):
    print("footprint: " + msg, file=sys.stderr)
    sys.exit(2)


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        die("%s: %s" % (path, e))


def scene_line(path):
    try:
        with open(path) as f:
            lines = [l for l in f.read().splitlines() if "=" in l]
    except OSError as e:
        die("%s: %s" % (path, e))
    if not lines:
        die("%s: no key=value line from hc-scene" % path)
    return dict(kv.split("=", 1) for kv in lines[-1].split())


def per_type(report):
    """name -> figures; bytes per instance as heaptag defines it."""
    types = {t["name"]: t for t in report["types"]}
    out = {}
    for name, t in types.items():
        if name.endswith(".payload"):
            continue
        pay = types.get(name + ".payload")
        inst = t["peak_live_instances"]
        d = {"instances": t["instances"], "peak_live_instances": inst,
             "peak_live_bytes": t["peak_live_bytes"],
             "payload_peak_live_bytes": pay["peak_live_bytes"] if pay else 0}
        if inst > 0:
            d["bytes_per_instance"] = t["peak_live_bytes"] / inst
            d["bytes_per_instance_usable"] = t["peak_live_usable_bytes"] / inst
            d["bytes_per_instance_with_payload"] = (
                t["peak_live_bytes"] + d["payload_peak_live_bytes"]) / inst
        out[name] = d
    return out


def massif_peak(heaptag, path):
    """Largest mem_heap_B of any snapshot, mem_heap_extra_B there, and the
    number of snapshots, as `heaptag massif --format json` reads them (the
    one massif reader).  Not massif's own "peak" snapshot: massif picks
    that by heap + extra heap, and its extra heap drifts upwards over a run
    that reallocs in place, so its peak snapshot can sit late in the run
    with less heap than an earlier snapshot."""
    p = subprocess.run([heaptag, "massif", "--format", "json", "--parse", path],
                       capture_output=True, text=True)
    if p.returncode != 0:
        die("%s: %s" % (path, p.stderr.strip()))
    run = json.loads(p.stdout)["runs"][0]
    if run["snapshots"] == 0:
        die("%s: no snapshots" % path)
    return {"heap": run["peak"]["heap_B"], "extra": run["peak"]["heap_extra_B"],
            "snapshots": run["snapshots"]}


class Heaptag:
    def __init__(self, exe):
        self.exe = os.path.abspath(exe)
        self.cwd = None

    def _diff(self, labelled, claims, fmt, out=None):
        """Run `heaptag diff --format FMT` (to OUT if given); 0 and 1 are
        its answers (1: a claim does not hold), anything else is fatal."""
        cmd = [self.exe, "diff", "--format", fmt] + (["-o", out] if out else [])
        for label, path in labelled:
            cmd += ["--label", "%s=%s" % (label, path)]
        for c in claims:
            cmd += ["--claim", c]
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=self.cwd)
        if p.returncode not in (0, 1):
            what = "heaptag diff -o %s" % out if out else "heaptag diff"
            die("%s failed (%d): %s" % (what, p.returncode, p.stderr.strip()))
        return p

    def diff_json(self, labelled, claims):
        """Run `heaptag diff --format json`; return (exit status, document)."""
        p = self._diff(labelled, claims, "json")
        return p.returncode, json.loads(p.stdout)

    def diff_file(self, labelled, claims, fmt, out):
        self._diff(labelled, claims, fmt, out)

    def diff_text(self, labelled, claims, fmt):
        return self._diff(labelled, claims, fmt).stdout


def fmt_b(x):
    if x is None:
        return "-"
    return ("%.1f" % x).rstrip("0").rstrip(".") if abs(x - round(x)) > 1e-9 else "%d" % round(x)


def pct(x):
    return "-" if x is None else "%.1f%%" % (x + 0.0)   # + 0.0: no "-0.0%"


def saving(before, after):
    if before is None or after is None or before == 0:
        return None
    return (before - after) / before * 100.0


def table(header, rows, md):
    """Aligned text table, or a Markdown table (numbers right-aligned)."""
    if md:
        out = ["| " + " | ".join(header) + " |",
               "|" + "|".join("---" if i == 0 else "--:" for i in range(len(header))) + "|"]
        out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
        return "\n".join(out)
    w = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    lines = []
    for r in [header] + rows:
        cells = [str(c).ljust(w[i]) if i == 0 else str(c).rjust(w[i]) for i, c in enumerate(r)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def verdict_word(v):
    return v["verdict"]


def cell(v):
    """'78.9% exceeds' for a judged claim."""
    return "%s %s" % (pct(v["measured_percent"]), verdict_word(v))


def size_label(b):
    return sweep_chart.size_label(b)


def crossings(sizes, before, after, band):
    """Body sizes where the saving 1 - after/before crosses an edge of the
    band, between two measured sizes.  Bytes with payload grow linearly
    with the body on both sides, so each side is interpolated linearly and
    the crossing solved exactly.  Returns [(edge, size, going)] with going
    "below" or "above" as the size grows."""
    out = []
    for i in range(len(sizes) - 1):
        b0, b1 = sizes[i], sizes[i + 1]
        s0, s1 = saving(before[i], after[i]), saving(before[i + 1], after[i + 1])
        for edge in band:
            if (s0 - edge) * (s1 - edge) >= 0 and not (s0 != edge and s1 == edge):
                continue
            kb = (before[i + 1] - before[i]) / (b1 - b0)
            ka = (after[i + 1] - after[i]) / (b1 - b0)
            e = 1 - edge / 100.0
            den = ka - e * kb
            if den == 0:
                continue
            # after(b0 + t) = e * before(b0 + t)
            t = (e * before[i] - after[i]) / den
            out.append((edge, b0 + t, "below" if s1 < s0 else "above"))
    return out


def html_table(header, rows):
    o = ["<table>", "<tr>" + "".join('<th%s>%s</th>' % (' class="l"' if i == 0 else "", html.escape(h))
                                     for i, h in enumerate(header)) + "</tr>"]
    for r in rows:
        o.append("<tr>" + "".join('<td%s>%s</td>' % (' class="l"' if i == 0 else "", html.escape(str(c)))
                                  for i, c in enumerate(r)) + "</tr>")
    o.append("</table>")
    return "\n".join(o)


def gather(a, raw, prefix, scenes, problems, c_client):
    """Per mode and scene: per-type figures of every repetition, checked
    for equality; C runs also against hc-scene's own account and massif."""
    data = {}
    for m in MODES:
        data[m] = {}
        for s in scenes:
            reps = [load(os.path.join(raw, "%s%s-%s-%d.json" % (prefix, m, s, r))) for r in range(1, a.reps + 1)]
            types = [per_type(x) for x in reps]
            line = scene_line(os.path.join(raw, "%s%s-%s-1.out" % (prefix, m, s)))
            entry = {"types": {}, "reps": a.reps,
                     "peak_live_bytes": [x["totals"]["peak_live_bytes"] for x in reps],
                     "peak_live_usable_bytes": [x["totals"]["peak_live_usable_bytes"] for x in reps],
                     "scene_line": line}
            for name in sorted(types[0]):
                t0 = dict(types[0][name])
                if "bytes_per_instance" in t0:
                    vals = [t[name].get("bytes_per_instance") for t in types if name in t]
                    wp = [t[name].get("bytes_per_instance_with_payload") for t in types if name in t]
                    t0["spread"] = {"bytes_per_instance": [min(vals), max(vals)],
                                    "bytes_per_instance_with_payload": [min(wp), max(wp)]}
                    if len(vals) != a.reps or max(vals) != min(vals) or max(wp) != min(wp):
                        problems.append("%s%s %s %s: bytes per instance differ between repetitions: %s"
                                        % (prefix, m, s, name, vals))
                entry["types"][name] = t0
            pk = entry["peak_live_bytes"]
            entry["peak_spread_bytes"] = max(pk) - min(pk)
            if c_client:
                entry["hc_scene"] = line
                c_client(m, s, entry, line)
            data[m][s] = entry
    return data


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--heaptag", required=True)
    ap.add_argument("--reps", type=int, required=True)
    ap.add_argument("--requests", type=int, required=True)
    ap.add_argument("--churn-requests", type=int, required=True)
    ap.add_argument("--massif-requests", type=int, default=0)
    ap.add_argument("--massif-churn-requests", type=int, default=0)
    ap.add_argument("--url-path", required=True)
    ap.add_argument("--sweep", required=True, help="body sizes, blank-separated")
    ap.add_argument("--sweep-requests", type=int, required=True)
    ap.add_argument("--py-requests", type=int, required=True)
    ap.add_argument("--seconds", default="")
    a = ap.parse_args()
    try:
        sizes = sorted({int(x) for x in a.sweep.split()})
    except ValueError:
        die("--sweep: body sizes are integers")
    if len(sizes) < 2:
        die("--sweep: at least two body sizes")
    ht = Heaptag(a.heaptag)
    raw = a.raw
    R = range(1, a.reps + 1)

    # heaptag diff runs in the output directory with paths relative to it,
    # so the reports name their inputs the same way wherever the tree is.
    os.makedirs(a.out, exist_ok=True)
    ht.cwd = a.out

    def rel(name):
        return os.path.relpath(os.path.join(raw, name), a.out)

    def rp(m, s, r, prefix=""):
        return rel("%s%s-%s-%d.json" % (prefix, m, s, r))

    problems = []

    def c_checks(m, s, entry, line):
        # The library's own count of a Response's storage must be what
        # heaptag measured (the keep scene amortizes the dict's one
        # transient resize over all instances, so compare the floor).
        resp = entry["types"].get("Response", {})
        own = int(line.get("response_storage", -1))
        if s == "keep" and int(resp.get("bytes_per_instance", -1)) != own:
            problems.append("%s keep: hc_object_storage_bytes says %d B per Response, heaptag %.4f"
                            % (m, own, resp.get("bytes_per_instance", -1)))
        mpath = os.path.join(raw, "%s-%s.massif" % (m, s))
        if not os.path.exists(mpath):
            return
        mp = massif_peak(a.heaptag, mpath)
        hrep = load(os.path.join(raw, "%s-%s-massif.json" % (m, s)))
        hp = hrep["totals"]["peak_live_bytes"]
        d = hp - mp["heap"]
        tot = hrep["totals"]
        # Heap events massif sees: a realloc is one, not a free and an alloc.
        events = tot["alloc_calls"] + tot["free_calls"] - tot["realloc_calls"]
        entry["massif"] = {"requests": a.massif_requests if s == "keep" else a.massif_churn_requests,
                           "snapshots": mp["snapshots"], "heap_events": events,
                           "every_event_snapshotted": mp["snapshots"] >= events,
                           "massif_peak_heap_B": mp["heap"],
                           "massif_extra_heap_B": mp["extra"], "heaptag_peak_live_bytes": hp,
                           "difference_B": d,
                           "difference_pct": d / hp * 100.0 if hp else 0.0}
        if s == "churn" and hp != entry["peak_live_bytes"][0]:
            problems.append("%s churn: peak %d B at %d requests but %d B at %d: not a steady state"
                            % (m, hp, a.massif_churn_requests, entry["peak_live_bytes"][0],
                               a.churn_requests))
        if abs(d) > hp / 100.0:
            problems.append("%s %s: heaptag peak %d B, massif %d B: %+d B, over 1%%"
                            % (m, s, hp, mp["heap"], d))

    data = gather(a, raw, "", SCENES, problems, c_checks)
    py = gather(a, raw, "py-", ["keep"], problems, None)

    # ---- CPython cross-check: tracemalloc's Response bytes against heaptag's
    tm = {}
    for m in MODES:
        line = scene_line(os.path.join(raw, "py-%s-tracemalloc.out" % m))
        t = int(line["tracemalloc_response_bytes"]) / int(line["requests"])
        h = py[m]["keep"]["types"]["Response"]["bytes_per_instance"]
        tm[m] = {"tracemalloc_B": t, "heaptag_B": h, "difference_pct": (h - t) / t * 100.0 if t else 0.0,
                 "python": line.get("python", "?")}
        if abs(tm[m]["difference_pct"]) > TRACEMALLOC_AGREEMENT_PCT:
            problems.append("CPython %s: Response %.2f B per instance under heaptag, %.2f B under tracemalloc: "
                            "over %g%% apart" % (m, h, t, TRACEMALLOC_AGREEMENT_PCT))
    python_version = tm["dict"]["python"]

    # ---- verdicts: every one from heaptag diff's exit status, per repetition
    tolerance = [None]

    def claims_for(label, scene, whole):
        c = ["%s:Response=~%d" % (label, CLAIM_PCT), "%s:Response+payload=~%d" % (label, CLAIM_PCT),
             "%s:Response=%d" % (label, CLAIM_PCT)]
        if scene == "keep":
            c += ["%s:%s=~%d" % (label, t, CLAIM_PCT) for t in HOT[1:]]
            c += ["%s:%s+payload=~%d" % (label, t, CLAIM_PCT) for t in HOT[1:]]
        # CPython's whole-program peak is the interpreter's own heap and
        # moves by hundreds of bytes from run to run: not judged.
        if whole:
            c += ["%s:~%d" % (label, CLAIM_PCT)]
        return c

    verdicts = []

    def judge(lang, prefix, m, s):
        # No slots is the baseline itself: judge it against another
        # repetition of itself, which measures the saving it gives (none).
        label = m if m != "dict" else "dict-again"
        for claim in claims_for(label, s, lang == "C"):
            runs = []
            for r in R:
                other = rp(m, s, r if m != "dict" else (r % a.reps) + 1, prefix)
                st, doc = ht.diff_json([("dict", rp("dict", s, r, prefix)), (label, other)], [claim])
                tolerance[0] = doc["tolerance_pp"]
                runs.append((st, doc["claims"][0]))
            sts = {st for st, _ in runs}
            meas = [c["measured_percent"] for _, c in runs]
            c = runs[0][1]
            v = {"lang": lang, "mode": m, "role": ROLE[m], "scene": s, "claim": claim.split(":", 1)[1],
                 "type": c.get("type"), "with_payload": c.get("with_payload", False), "form": c["form"],
                 "claimed_percent": c["claimed_percent"], "band_percent": c["band_percent"],
                 "before": c["before"], "after": c["after"],
                 "measured_percent": c["measured_percent"],
                 "measured_percent_spread": [min(meas), max(meas)],
                 "margin_pp": c["margin_pp"], "factor": c["factor"], "verdict": c["verdict"],
                 "holds": runs[0][0] == 0,
                 "exit_statuses": [st for st, _ in runs], "stable": len(sts) == 1}
            if not v["stable"]:
                problems.append("%s %s %s %s: verdict changes between repetitions" % (lang, m, s, claim))
            verdicts.append(v)

    for m in MODES:
        for s in SCENES:
            judge("C", "", m, s)
        judge("CPython", "py-", m, "keep")
    tol = tolerance[0]
    band = (CLAIM_PCT - tol, CLAIM_PCT + tol)

    def verdict(m, s, claim, lang="C"):
        for v in verdicts:
            if v["lang"] == lang and v["mode"] == m and v["scene"] == s and v["claim"] == claim:
                return v
        return None

    about = "~%d" % CLAIM_PCT
    headline = {}
    for lang in ("C", "CPython"):
        headline[lang] = {}
        for m in MODES:
            v = verdict(m, "keep", "Response=" + about, lang)
            obj = [verdict(m, "keep", "%s=%s" % (t, about), lang) for t in HOT]
            wp = [verdict(m, "keep", "%s+payload=%s" % (t, about), lang) for t in HOT]
            headline[lang][m] = {
                "role": ROLE[m], "response_per_instance": v["verdict"],
                "measured_percent": v["measured_percent"],
                "hot_classes_holding_object": sum(1 for h in obj if h["holds"]),
                "hot_classes_holding_with_payload": sum(1 for h in wp if h["holds"]),
                "hot_classes_object": {t: h["verdict"] for t, h in zip(HOT, obj)},
                "hot_classes_with_payload": {t: h["verdict"] for t, h in zip(HOT, wp)},
                "stable": all(x["stable"] for x in verdicts if x["mode"] == m and x["lang"] == lang)}

    # ---- kept Responses against the ADR's figures
    def response_rows(d):
        keep = {m: d[m]["keep"]["types"]["Response"] for m in MODES}
        hdr = {m: d[m]["keep"]["types"]["Headers"] for m in MODES}

        def kept_all(m):
            # Response, its payload, its Headers and their payload: everything
            # a kept Response holds.  Headers' peak also counts the session's
            # and the in-flight request's Headers.
            k, h = keep[m], hdr[m]
            return (k["peak_live_bytes"] + k["payload_peak_live_bytes"] + h["peak_live_bytes"]
                    + h["payload_peak_live_bytes"]) / k["peak_live_instances"]
        return {m: {"mode": m, "kept": keep[m]["peak_live_instances"],
                    "response_B": keep[m]["bytes_per_instance"],
                    "response_with_payload_B": keep[m]["bytes_per_instance_with_payload"],
                    "response_everything_B": kept_all(m),
                    "total_response_shells_B": keep[m]["peak_live_bytes"],
                    "total_with_payload_B": keep[m]["peak_live_bytes"] + keep[m]["payload_peak_live_bytes"],
                    "total_everything_B": kept_all(m) * keep[m]["peak_live_instances"],
                    "whole_program_peak_B": d[m]["keep"]["peak_live_bytes"][0]} for m in MODES}
    adr_rows = response_rows(data)
    py_rows = response_rows(py)
    n_kept = adr_rows["dict"]["kept"]

    # ---- the body-size sweep: heaptag diff per size and head, C and CPython
    sweep = {}
    for lang, prefix in (("C", "sweep-"), ("CPython", "py-sweep-")):
        sweep[lang] = {}
        for head in HEADS:
            pts = []
            for b in sizes:
                name = "%s%s-%%s-%d.json" % (prefix, head, b)
                lab = [(m, rel(name % m)) for m in MODES]
                claims = ["slots:Response=%s" % about, "slots:Response+payload=%s" % about]
                _, doc = ht.diff_json(lab, claims)
                t = {m: per_type(load(os.path.join(raw, name % m))) for m in MODES}

                def everything(m):
                    k, h = t[m]["Response"], t[m]["Headers"]
                    return (k["peak_live_bytes"] + k["payload_peak_live_bytes"] + h["peak_live_bytes"]
                            + h["payload_peak_live_bytes"]) / k["peak_live_instances"]
                obj, wp = doc["claims"]
                pts.append({"body_bytes": b, "kept": t["dict"]["Response"]["peak_live_instances"],
                            "object": {"dict_B": obj["before"], "slots_B": obj["after"],
                                       "saving_percent": obj["measured_percent"], "verdict": obj["verdict"]},
                            "with_payload": {"dict_B": wp["before"], "slots_B": wp["after"],
                                             "saving_percent": wp["measured_percent"], "verdict": wp["verdict"]},
                            "everything_kept": {"dict_B": everything("dict"), "slots_B": everything("slots"),
                                                "saving_percent": saving(everything("dict"), everything("slots"))}})
            cr = crossings(sizes, [p["with_payload"]["dict_B"] for p in pts],
                           [p["with_payload"]["slots_B"] for p in pts], band)
            sweep[lang][head] = {"url": HEADS[head], "points": pts, "band_percent": list(band),
                                 "with_payload_crossings": [{"edge_percent": e, "body_bytes": b, "going": g}
                                                            for e, b, g in cr]}

    def sweep_sentence(lang, head):
        sw = sweep[lang][head]
        pts = sw["points"]
        inside = [p["body_bytes"] for p in pts if p["with_payload"]["verdict"] == "holds"]
        first, last = pts[0]["with_payload"], pts[-1]["with_payload"]
        s = ("%s, %s head (`%s`): with payload, a Response saves %s at %s and %s at %s"
             % (lang, head, sw["url"].replace("%d", "SIZE"),
                pct(first["saving_percent"]), size_label(pts[0]["body_bytes"]),
                pct(last["saving_percent"]), size_label(pts[-1]["body_bytes"])))
        if inside:
            s += "; inside the %g..%g%% band at %s" % (band[0], band[1], ", ".join(size_label(b) for b in inside))
        else:
            s += "; inside the %g..%g%% band at no measured size" % band
        for c in sw["with_payload_crossings"]:
            s += ("; it %s %g%% at about %d B of body" % ("falls below" if c["going"] == "below" else "rises above",
                                                          c["edge_percent"], round(c["body_bytes"])))
        return s + "."

    def object_sentence():
        def objs(lang):
            return "/".join(sorted({pct(p["object"]["saving_percent"]) for h in sweep[lang].values()
                                    for p in h["points"]}))
        return ("The object alone saves the same at every size and head (C %s, CPython %s): the body and "
                "the head are payload. Crossings are interpolated between measured sizes (bytes with payload "
                "grow linearly with the body)." % (objs("C"), objs("CPython")))

    headline_line = data["dict"]["keep"]["hc_scene"]
    headline_body = int(headline_line.get("body_bytes", -1))
    at_headline = [p for p in sweep["C"]["realistic"]["points"] if p["body_bytes"] == headline_body]

    doc = {"format": "heaptag-footprint", "version": 2,
           "workload": {"driver": "hc-scene (validate/hc-scene.c), one Session, one pooled connection",
                        "url_path": a.url_path, "keep_requests": a.requests,
                        "churn_requests": a.churn_requests, "heaptag_repetitions": a.reps,
                        "massif_requests": a.massif_requests, "sweep_body_bytes": sizes,
                        "sweep_requests": a.sweep_requests, "sweep_heads": HEADS,
                        "cpython_requests": a.py_requests, "cpython": python_version,
                        "basis": "requested bytes; bytes per instance = peak_live_bytes / peak_live_instances",
                        "claim_rule": "heaptag diff: TYPE=~%d holds within %g..%g%%, else exceeds or falls short"
                                      % (CLAIM_PCT, band[0], band[1]),
                        "tolerance_pp": tol},
           "adr": ADR, "modes": data, "response_totals": [adr_rows[m] for m in MODES],
           "cpython": {"modes": py, "response_totals": [py_rows[m] for m in MODES], "tracemalloc": tm},
           "sweep": sweep, "verdicts": verdicts, "verdict": headline, "problems": problems}
    if a.seconds:
        doc["seconds"] = float(a.seconds)

    def mb(x):
        return "%.2f MB" % (x / 1e6)

    def vs(rows, key, total=False):
        d, s_ = rows["dict"][key], rows["slots"][key]
        if total:
            return "%s -> %s (-%s, %s)" % (mb(d), mb(s_), mb(d - s_), pct(saving(d, s_)))
        return "%s -> %s (%s)" % (fmt_b(d), fmt_b(s_), pct(-saving(d, s_)))

    # ---- render
    def render(md):
        o = []
        H = (lambda t: "\n## " + t + "\n") if md else (lambda t: "\n" + t + "\n" + "-" * len(t))
        o.append(("# " if md else "") + "ADR-007 footprint validation")
        o.append("")
        o.append("Workload: `hc-scene` (one Session, one pooled keep-alive connection) against hc-serve "
                 "`GET %s`; **keep**: %d requests, every Response kept alive; **churn**: %d requests, "
                 "each Response freed at once. Each mode and scene ran %d times under heaptag%s. "
                 "The same classes in CPython %s (validate/py_scene.py, http.client against the same server): "
                 "the keep scene, %d requests, %d times under heaptag, once under tracemalloc. "
                 "Body-size sweep: the keep scene with %d requests at %s, each with hc-serve's minimal "
                 "head (`GET /bytes/SIZE`, 3 fields) and a realistic one (`GET /api/SIZE`, 11 fields). Requested bytes; bytes per instance = peak live bytes / peak live instances."
                 % (a.url_path, a.requests, a.churn_requests, a.reps,
                    " and once under massif (keep: %d requests; churn: %d)" % (a.massif_requests, a.massif_churn_requests)
                    if a.massif_requests else "", python_version, a.py_requests, a.reps,
                    a.sweep_requests, ", ".join(size_label(b) for b in sizes)))
        o.append(H("Verdict: \"about %d%% less memory per instance\" (holds within %g..%g%%)"
                   % (CLAIM_PCT, band[0], band[1])))
        rows = []
        for lang, d_ in (("C", data), ("CPython", py)):
            for m in MODES:
                v = verdict(m, "keep", "Response=" + about, lang)
                vp = verdict(m, "keep", "Response+payload=" + about, lang)
                vl = verdict(m, "keep", "Response=%d" % CLAIM_PCT, lang)
                vw = verdict(m, "keep", about, lang)
                vc = verdict(m, "churn", about, lang)
                hl = headline[lang][m]
                rows.append([lang, m, ROLE[m], cell(v), cell(vp),
                             "%d / %d of %d" % (hl["hot_classes_holding_object"],
                                                hl["hot_classes_holding_with_payload"], len(HOT)),
                             cell(vw) if vw else "-", cell(vc) if vc else "-",
                             "%s" % ("holds" if vl["holds"] else "does not hold"),
                             "yes" if hl["stable"] else "NO"])
        o.append(table(["client", "mode", "what it is", "Response/instance", "Response+payload",
                        "hot classes holding (object / +payload)", "keep: program peak", "churn: program peak",
                        "at least %d%%" % CLAIM_PCT, "stable over reps"], rows, md))
        o.append("")
        adr_est = -saving(ADR["response_dict_B"], ADR["response_slots_B"])
        adr_verdict = ("holds" if band[0] <= -adr_est <= band[1]
                       else "exceeds" if -adr_est > band[1] else "falls short")
        o.append("Each cell is `heaptag diff --claim LABEL:CLAIM=%s` against dict, run on every repetition: "
                 "the about form holds only when the measured saving lies within %g..%g%%, and otherwise says "
                 "whether it *exceeds* the claim or *falls short* of it; *at least %d%%* is the one-sided form "
                 "`CLAIM=%d` (holds at >= %g%%). *hot classes holding* counts %s (object alone / with payload). "
                 "*stable*: every repetition gave the same exit status. dict is judged against another "
                 "repetition of itself: the saving of no slots is nil. The ADR's own estimate, %d -> %d B, "
                 "is a %s saving: judged by the same rule it %s."
                 % (about, band[0], band[1], CLAIM_PCT, CLAIM_PCT, band[0], ", ".join(HOT),
                    ADR["response_dict_B"], ADR["response_slots_B"], pct(adr_est * -1), adr_verdict))
        o.append("")
        for lang in ("C", "CPython"):
            hl = headline[lang]["slots"]
            o.append("%s, slots, per hot class (object / with payload): %s." % (
                lang, "; ".join("%s %s / %s" % (t, hl["hot_classes_object"][t], hl["hot_classes_with_payload"][t])
                                for t in HOT)))
        o.append("")
        wp_head = verdict("slots", "keep", "Response+payload=" + about)
        reason = ("Why the headline scene asks for `%s` (a %d-byte body): it is the request every validation "
                  "of this record has made, so its figures compare from run to run, and a small answer is the "
                  "case where the per-object overhead the ADR is about weighs most. The claim per instance "
                  "(object alone) does not depend on the body; the saving with payload does: %s with "
                  "hc-serve's minimal head at this size"
                  % (a.url_path, headline_body, pct(wp_head["measured_percent"])))
        if at_headline:
            reason += (", %s (%s) with the realistic head of the sweep at the same size"
                       % (pct(at_headline[0]["with_payload"]["saving_percent"]),
                          at_headline[0]["with_payload"]["verdict"]))
        cr = sweep["C"]["minimal"]["with_payload_crossings"]
        if cr:
            reason += ("; with the minimal head the with-payload saving is inside the band from about %s"
                       % " to ".join("%d B (%g%%)" % (round(c["body_bytes"]), c["edge_percent"]) for c in cr)
                       if len(cr) == 2 and cr[0]["edge_percent"] > cr[1]["edge_percent"] else
                       "; with the minimal head the with-payload saving leaves the band at about %s of body"
                       % " and ".join("%d B" % round(c["body_bytes"]) for c in cr))
        same = [p for p in sweep["C"]["minimal"]["points"] if p["body_bytes"] == headline_body]
        if same and same[0]["kept"] != n_kept:
            # The request in flight at the peak adds its transient buffers,
            # spread over the kept Responses: more per Response in the sweep.
            reason += (". The sweep keeps %d Responses, not %d, so the buffers of the one request in flight "
                       "at the peak weigh more per Response: at this size and head it measures %s, not %s"
                       % (same[0]["kept"], n_kept, pct(same[0]["with_payload"]["saving_percent"]),
                          pct(wp_head["measured_percent"])))
        o.append(reason + ". The sweep below gives every other size.")

        o.append(H("%d kept Responses against the ADR's figures (keep scene)" % n_kept))
        adr_shell = "~%d -> ~%d (%s)" % (ADR["response_dict_B"], ADR["response_slots_B"], pct(adr_est))
        adr_total = "~%g MB -> ~%g MB (-%g MB, %d%%)" % (ADR["total_dict_MB"], ADR["total_slots_MB"],
                                                        ADR["total_saving_MB"], ADR["total_saving_pct"])
        rows = [["Response shell, B/instance", adr_shell, vs(adr_rows, "response_B"), vs(py_rows, "response_B")],
                ["Response + payload, B/instance", "\"plus data\"", vs(adr_rows, "response_with_payload_B"),
                 vs(py_rows, "response_with_payload_B")],
                ["kept Response + Headers + payloads, B", "-", vs(adr_rows, "response_everything_B"),
                 vs(py_rows, "response_everything_B")],
                ["Response shells, all kept", adr_total + " for %d" % ADR["total_requests"],
                 vs(adr_rows, "total_response_shells_B", True), vs(py_rows, "total_response_shells_B", True)],
                ["Responses with payload, all kept", "-", vs(adr_rows, "total_with_payload_B", True),
                 vs(py_rows, "total_with_payload_B", True)],
                ["whole program peak", "-", vs(adr_rows, "whole_program_peak_B", True),
                 "not compared (the interpreter's own heap)"],
                ["verdict, about %d%% per Response" % CLAIM_PCT, "%s: %s" % (pct(-adr_est), adr_verdict),
                 cell(verdict("slots", "keep", "Response=" + about)),
                 cell(verdict("slots", "keep", "Response=" + about, "CPython"))]]
        o.append(table(["figure", "ADR (Python estimate)", "measured in C, dict -> slots",
                        "measured in CPython %s, dict -> slots" % python_version], rows, md))
        o.append("")
        o.append("MB = 10^6 bytes, as the ADR's figures. C kept %d Responses, CPython %d. Percentages in "
                 "parentheses are changes from dict (negative: smaller) or, for totals, savings. "
                 "allslots: C %s B, CPython %s B per Response shell."
                 % (n_kept, py_rows["dict"]["kept"], fmt_b(adr_rows["allslots"]["response_B"]),
                    fmt_b(py_rows["allslots"]["response_B"])))

        o.append(H("Body-size sweep: the saving per Response as the body grows (keep scene)"))
        hdr = ["body", "head", "dict B (object / +payload)", "slots B (object / +payload)", "saving object",
               "saving +payload", "saving, Response + Headers + payloads", "~%d%% object" % CLAIM_PCT,
               "~%d%% +payload" % CLAIM_PCT]
        for lang in ("C", "CPython"):
            rows = []
            for i, b in enumerate(sizes):
                for head in HEADS:
                    p = sweep[lang][head]["points"][i]
                    ob, wp = p["object"], p["with_payload"]
                    rows.append([size_label(b), head, "%s / %s" % (fmt_b(ob["dict_B"]), fmt_b(wp["dict_B"])),
                                 "%s / %s" % (fmt_b(ob["slots_B"]), fmt_b(wp["slots_B"])),
                                 pct(ob["saving_percent"]), pct(wp["saving_percent"]),
                                 pct(p["everything_kept"]["saving_percent"]), ob["verdict"], wp["verdict"]])
            o.append("")
            o.append(("**%s**" if md else "%s:") % (lang if lang == "C" else "CPython " + python_version))
            o.append("")
            o.append(table(hdr, rows, md))
        o.append("")
        o += ["- " + sweep_sentence(lang, head) for lang in ("C", "CPython") for head in HEADS]
        o.append("")
        o.append(object_sentence())

        o.append(H("CPython %s: bytes per instance, keep scene (object storage / with payload)" % python_version))
        o.append(per_type_table(py, "keep", md))
        o.append("")
        rows = [[m, fmt_b(tm[m]["heaptag_B"]), fmt_b(tm[m]["tracemalloc_B"]), "%+.2f%%" % tm[m]["difference_pct"],
                 "yes" if abs(tm[m]["difference_pct"]) <= TRACEMALLOC_AGREEMENT_PCT else "NO"] for m in MODES]
        o.append(table(["layout", "Response B/instance, heaptag", "tracemalloc", "difference",
                        "within %g%%" % TRACEMALLOC_AGREEMENT_PCT], rows, md))
        o.append("")
        o.append("Debian's /usr/bin/python3 with PYTHONMALLOC=malloc, tagged through the heaptag package "
                 "(python/heaptag: `with heaptag.scope(\"Response\"): ...`). A Response's payload is its body, "
                 "status line and raw head, copied out of what http.client received (the exchange itself is "
                 "untagged: its transient buffers depend on how reads split); a Headers object's payload its "
                 "item list and strings. tracemalloc counts every live block allocated through the line "
                 "that builds a Response, in a run without heaptag.")

        for s in SCENES:
            o.append(H("C: bytes per instance, %s scene (object storage / with payload)" % s))
            o.append(per_type_table(data, s, md))
            o.append("")
            pk = ["%s %d B" % (m, data[m][s]["peak_live_bytes"][0]) for m in MODES]
            o.append("Whole-program peak: " + ", ".join(pk) + ".")

        o.append(H("Repetitions: spread"))
        rows = []
        for lang, d_ in (("C", data), ("CPython", py)):
            for m in MODES:
                for s in d_[m]:
                    e = d_[m][s]
                    spreads = [t["spread"]["bytes_per_instance"] for t in e["types"].values() if "spread" in t]
                    worst = max((x[1] - x[0] for x in spreads), default=0)
                    flips = [v for v in verdicts if v["lang"] == lang and v["mode"] == m and v["scene"] == s
                             and not v["stable"]]
                    pk = e["peak_live_bytes"]
                    # CPython's whole-program peak (the interpreter's own
                    # heap) moves between runs: in footprint.json only.
                    rows.append([lang, m, s, str(a.reps),
                                 "%d .. %d" % (min(pk), max(pk)) if lang == "C" else "-",
                                 "%d B" % e["peak_spread_bytes"] if lang == "C" else "-",
                                 fmt_b(worst) + " B", "none" if not flips else "%d" % len(flips)])
        o.append(table(["client", "mode", "scene", "runs", "program peak min .. max", "peak spread",
                        "worst B/instance spread", "verdict changes"], rows, md))

        o.append(H("Checks"))
        if problems:
            o += ["- FAILED: " + p for p in problems]
        else:
            o.append("- bytes per instance identical in every repetition; every verdict stable")
            o.append("- hc_object_storage_bytes() of a kept Response = heaptag's bytes per Response, every mode")
            o.append("- CPython Response bytes per instance: heaptag and tracemalloc within %g%%, every layout"
                     % TRACEMALLOC_AGREEMENT_PCT)
            if any("massif" in data[m][s] for m in MODES for s in SCENES):
                o.append("- heaptag and massif peaks within 1% of requested bytes for every run")
        o.append("")
        o.append(SUMMARY_END if md else "")

        if any("massif" in data[m][s] for m in MODES for s in SCENES):
            o.append(H("heaptag and massif: the same workload, two measurements"))
            rows = []
            for m in MODES:
                for s in SCENES:
                    x = data[m][s].get("massif")
                    if not x:
                        continue
                    rows.append([m, s, str(x["requests"]), str(x["heaptag_peak_live_bytes"]),
                                 str(x["massif_peak_heap_B"]), "%+d B" % x["difference_B"],
                                 "%+.4f%%" % x["difference_pct"],
                                 "all" if x["every_event_snapshotted"] else "sampled",
                                 "yes" if abs(x["difference_B"]) <= x["heaptag_peak_live_bytes"] / 100 else "NO"])
            o.append(table(["mode", "scene", "requests", "heaptag peak B", "massif peak B", "difference", "of peak",
                            "heap events snapshotted", "within 1%"], rows, md))
            o.append("")
            o.append("Both count requested bytes. heaptag's peak is exact (checked on every call); massif's is "
                     "the largest mem_heap_B of its snapshots (--peak-inaccuracy=0 --threshold=0 "
                     "--max-snapshots=1000), exact only if a snapshot falls on the peak, and where its snapshots "
                     "fall depends on the timing of the run: this table is not part of the summary the ADR "
                     "quotes. Keep scene: the heap grows to its peak just before the kept Responses are freed. "
                     "Churn scene: the peak is a transient inside one request (while the response-head parse "
                     "buffer and the growing body buffer are live), reached by request 2 and equal for any count "
                     "from there (heaptag gives the same peak at %d requests); with %d requests massif snapshots "
                     "every heap event, so it sees that moment too. massif's own 'peak' snapshot is not used: it "
                     "is chosen by heap + extra heap, and its extra heap (valgrind's estimate of allocator "
                     "overhead) drifts upwards through in-place reallocs."
                     % (a.churn_requests, a.massif_churn_requests))
        return "\n".join(o) + "\n"

    txt, md = render(False), render(True)
    keep_lab = [(m, rp(m, "keep", 1)) for m in MODES]
    churn_lab = [(m, rp(m, "churn", 1)) for m in MODES]
    py_lab = [(m, rp(m, "keep", 1, "py-")) for m in MODES]
    claims = ["slots:Response=" + about, "allslots:Response=" + about, "slots:Response+payload=" + about,
              "allslots:Response+payload=" + about, about]
    sections = (("keep scene", keep_lab), ("churn scene", churn_lab), ("CPython keep scene", py_lab))
    for title, lab in sections:
        t = "heaptag diff, %s (repetition 1)" % title
        txt += "\n" + t + "\n" + "-" * len(t) + "\n" + ht.diff_text(lab, claims, "table")
        md += ("\n## " + t + "\n\n"
               + ht.diff_text(lab, claims, "markdown").replace("# heaptag diff", "### heaptag diff", 1))
    for name, body in (("footprint.txt", txt), ("footprint.md", md),
                       ("footprint.json", json.dumps(doc, indent=1, sort_keys=False) + "\n")):
        tmp = os.path.join(a.out, "." + name + ".tmp")
        with open(tmp, "w") as f:
            f.write(body)
        os.replace(tmp, os.path.join(a.out, name))
    ht.diff_file(keep_lab, claims, "html", "footprint.html")
    ht.diff_file(churn_lab, claims, "html", "footprint-churn.html")
    ht.diff_file(py_lab, claims, "html", "footprint-cpython.html")
    add_sweep_html(os.path.join(a.out, "footprint.html"), sweep, sizes, band, python_version, sweep_sentence)
    return 1 if problems else 0


def per_type_table(d, s, md):
    rows = []
    names = [n for n in HOT + COLD + ["Error"] if "bytes_per_instance" in d["dict"][s]["types"].get(n, {})]
    for n in names:
        r = [n, str(d["dict"][s]["types"][n]["peak_live_instances"])]
        base = d["dict"][s]["types"][n]
        for m in MODES:
            t = d[m][s]["types"].get(n)
            if not t or "bytes_per_instance" not in t:
                r += ["absent", "-"] if m != "dict" else ["absent"]
                continue
            r.append("%s / %s" % (fmt_b(t["bytes_per_instance"]), fmt_b(t["bytes_per_instance_with_payload"])))
            if m != "dict":
                r.append("%s / %s" % (pct(saving(base["bytes_per_instance"], t["bytes_per_instance"])),
                                      pct(saving(base["bytes_per_instance_with_payload"],
                                                 t["bytes_per_instance_with_payload"]))))
        rows.append(r)
    return table(["type", "peak inst (dict)", "dict B", "slots B", "saving", "allslots B", "saving"], rows, md)


def add_sweep_html(path, sweep, sizes, band, python_version, sentence):
    """Put the sweep (chart, tables, sentences) into the diff page heaptag
    wrote."""
    series = []
    for lang in ("C", "CPython"):
        name = lang if lang == "C" else "CPython " + python_version
        series.append(("%s, object" % name, [p["object"]["saving_percent"] for p in sweep[lang]["realistic"]["points"]]))
        for head in HEADS:
            series.append(("%s, +payload, %s head" % (name, head),
                           [p["with_payload"]["saving_percent"] for p in sweep[lang][head]["points"]]))
    part = ['<h2 id="sweep">Body-size sweep: saving per Response, slots against dict</h2>',
            '<p class="sub">The shaded band is the claim, about %g%% (%g..%g%%). Object alone (the same at '
            'every size), and with payload under a minimal and a realistic response head.</p>'
            % ((band[0] + band[1]) / 2, band[0], band[1]),
            sweep_chart.svg(sizes, series, band, "saving per Response by body size")]
    for lang in ("C", "CPython"):
        rows = []
        for i, b in enumerate(sizes):
            for head in HEADS:
                p = sweep[lang][head]["points"][i]
                rows.append([size_label(b), head, fmt_b(p["object"]["dict_B"]), fmt_b(p["object"]["slots_B"]),
                             pct(p["object"]["saving_percent"]), p["object"]["verdict"],
                             fmt_b(p["with_payload"]["dict_B"]), fmt_b(p["with_payload"]["slots_B"]),
                             pct(p["with_payload"]["saving_percent"]), p["with_payload"]["verdict"]])
        part.append("<h3>%s</h3>" % html.escape(lang if lang == "C" else "CPython " + python_version))
        part.append(html_table(["body", "head", "dict B", "slots B", "saving object", "verdict",
                                "dict B +payload", "slots B +payload", "saving +payload", "verdict"], rows))
        part += ['<p class="note">%s</p>' % html.escape(sentence(lang, head)) for head in HEADS]
    with open(path) as f:
        page = f.read()
    # Right after the claims, where a reader looks first; at the end of the
    # page if heaptag's layout has changed.
    at = -1
    for mark in ("<h2>Bytes per instance by type", "</main>", "</body>"):
        at = page.find(mark) if mark.startswith("<h2") else page.rfind(mark)
        if at >= 0:
            break
    if at < 0:
        die("%s: no place to put the sweep" % path)
    page = page[:at] + "\n".join(part) + "\n" + page[at:]
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
    with open(tmp, "w") as f:
        f.write(page)
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main())
