"""Write a valid heaptag report whose types have the given names.

Write a valid heaptag report (docs/report-format.md, version 1) whose
types have the given names, each one live 10-byte block, so every total
and invariant holds.  Usage:
  gen_report.py OUT odd          names no tool may print raw (test-odd-names.sh)
  gen_report.py OUT many N       N types t0 .. tN-1 (the linear-time checks)
"""
import json
import sys

ODD = [
    "",                                  # HEAPTAG_PUSH("")
    "\x1b[31mred\x1b[0m",                # SGR colours
    "\x1b]0;owned title\x07",            # OSC: set the window title
    "\x1b[2J\x1b[H",                     # clear the screen
    "\u009b31mC1 CSI",                   # the 8-bit CSI, U+009B
    "bell\x07 del\x7f cr\r back\b",
    "tab\there",
    "line\nbreak",
    "pipe|star*under_score`tick",
    "<b>html</b> & 'q' \"qq\"",
    "ünïcödé ✓",
    "x" * 5000,                          # overlong
]


def report(names):
    types = []
    for n in names:
        types.append({"name": n, "instances": 1, "live_instances": 1, "peak_live_instances": 1,
                      "alloc_calls": 1, "free_calls": 0, "bytes_requested": 10, "live_bytes": 10,
                      "peak_live_bytes": 10, "live_usable_bytes": 16, "peak_live_usable_bytes": 16,
                      "live_blocks": 1})
    k = len(names)
    return {"format": "heaptag-report", "version": 1, "program": "odd\x1b[5mprog", "pid": 7, "ppid": 1,
            "reason": "exit", "duration_ms": 1, "allocator": "libc\x1b]0;x\x07",
            "totals": {"alloc_calls": k, "free_calls": 0, "bytes_requested": 10 * k, "live_bytes": 10 * k,
                       "peak_live_bytes": 10 * k, "live_usable_bytes": 16 * k,
                       "peak_live_usable_bytes": 16 * k, "live_blocks": k, "peak_live_blocks": k,
                       "realloc_calls": 0, "failed_calls": 0, "foreign_free_calls": 0},
            "tracker": {"overhead_bytes": 0, "peak_overhead_bytes": 0},
            "types": types}


out, mode = sys.argv[1], sys.argv[2]
names = ODD if mode == "odd" else ["t%d" % i for i in range(int(sys.argv[3]))]
with open(out, "w") as f:
    json.dump(report(names), f, separators=(",", ":"))
