"""Read a heaptag pprof profile with Debian's `go tool pprof` and compare
its totals with the report it came from (tests/sampling).

  pprof_check.py REPORT.json PROFILE.pb.gz TYPE [TYPE...]

-top for each of the four sample types: the total equals the report's
alloc_calls, bytes_requested, live_blocks and live_bytes totals; then
-tagfocus=type=TYPE for each TYPE: the focused totals equal that type's
figures.  Prints each comparison; exit 1 on any difference."""
import json
import re
import subprocess
import sys

report, profile, types = sys.argv[1], sys.argv[2], sys.argv[3:]
rep = json.load(open(report))
FIELDS = [("alloc_objects", "alloc_calls"), ("alloc_space", "bytes_requested"),
          ("inuse_objects", "live_blocks"), ("inuse_space", "live_bytes")]


def top(index, *extra):
    out = subprocess.run(["go", "tool", "pprof", "-top", "-unit=B", "-nodefraction=0",
                          "-nodecount=1000000", "-sample_index=" + index] + list(extra) +
                         [profile], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("go tool pprof failed: " + out.stderr.strip())
    m = re.search(r"^Showing nodes accounting for (-?\d+)B?,", out.stdout, re.M)
    if not m:
        sys.exit("no total in go tool pprof output:\n" + out.stdout[:2000])
    return int(m.group(1))


bad = 0
for index, key in FIELDS:
    got, want = top(index), rep["totals"][key]
    print("%-14s total %12d  report totals.%-16s %12d  %s" % (index, got, key, want,
          "ok" if got == want else "DIFFERS"))
    bad += got != want
for name in types:
    t = next(t for t in rep["types"] if t["name"] == name)
    for index, key in FIELDS:
        if t[key] == 0:
            continue  # pprof prints no total for an empty focus
        got = top(index, "-tagfocus=type=^" + re.escape(name) + "$")
        print("%-14s type=%-16s %12d  report %-16s %12d  %s" % (index, name, got, key, t[key],
              "ok" if got == t[key] else "DIFFERS"))
        bad += got != t[key]
sys.exit(1 if bad else 0)
