#!/bin/bash
# Hostile type names (progs/odd-names.c): empty, overlong, invalid UTF-8,
# control characters, terminal escapes.
#
# The report must be valid JSON in UTF-8 that `heaptag report` reads
# (exit 0), with the canonical names of docs/report-format.md: "" ->
# "(empty)", invalid bytes -> U+FFFD, cut at 255 bytes on a character
# boundary, control characters escaped.
. "$(dirname "$0")/lib.sh"

d=$SCRATCH
HEAPTAG_OUT=$d/r.json timeout 20 env LD_PRELOAD="$LIB" "$PT/odd-names"
expect_eq "odd-names exit status" 0 "$?"
run_check "odd-names report valid" --expect reason=exit "$d/r.json"
if "$BUILD/bin/heaptag" report "$d/r.json" >"$d/out" 2>"$d/err"; then
    ok "heaptag report reads it"
else
    fail "heaptag report refused it: $(head -c 300 "$d/err")"
fi
if "$BUILD/bin/heaptag" report --format json "$d/r.json" >/dev/null 2>&1; then
    ok "heaptag report --format json reads it"
else
    fail "heaptag report --format json refused it"
fi
got=$(/usr/bin/python3 - "$d/r.json" <<'PY'
import json, sys
raw = open(sys.argv[1], "rb").read()
raw.decode("utf-8")                      # strict: raises on invalid UTF-8
assert b"\x1b" not in raw and b"\x01" not in raw, "raw control byte in the file"
r = json.loads(raw)
names = {t["name"]: t for t in r["types"]}
want = {
    "(empty)": 10,
    "L" * 255: 20,                       # longest and longer: one type
    "S" * 253: 10,                       # the euro sign did not fit
    "bad\ufffd\ufffdutf8": 10,
    "half\ufffd\ufffd": 10,
    "ctl\x01\x1f\x7f\ttab\nnl": 10,
    "esc\x1b[31mred\x1b[0m\x1b]0;title\x07": 10,
    'quote"back\\slash': 10,
    "caf\u00e9": 10,
}
bad = [f"{n!r}: {names[n]['live_bytes'] if n in names else 'missing'} (want {b})"
       for n, b in want.items() if n not in names or names[n]["live_bytes"] != b]
extra = [n for n in names if n not in want and n != "untagged"]
print("ok" if not bad and not extra else f"bad={bad} extra={extra!r}")
PY
)
expect_eq "canonical names and their bytes" ok "$got"
finish
