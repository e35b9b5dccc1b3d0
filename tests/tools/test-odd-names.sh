#!/bin/bash
# Any type name a program pushed: every output stays safe and readable.
#
# Type names are whatever a program pushed (issue 10, item 4): an empty
# name, escape sequences, C0 and C1 controls, newlines, Markdown and HTML
# syntax, UTF-8 and a 5000-byte name.  Every reader accepts the report;
# no output (table, markdown, json, html, collapsed, massif, stderr) holds
# a raw control byte; JSON output keeps the names exactly; tables stay
# readable (escaped, "" for the empty name, overlong names cut).
. "$(dirname "$0")/lib.sh"
need_tracker_and_python
cd "$tmp" || exit 1
"$PY" "$here/gen_report.py" odd.json odd || fail "gen_report"
cp odd.json odd2.json
clean() { "$PY" "$here/no_controls.py" "$@" || fail "raw control bytes in $*"; }

run "$HT" report odd.json
expect_rc 0 "report of odd names"
cp "$tmp/out" table.txt
clean table.txt "$tmp/err"
expect_grep "escaped SGR" table.txt '^\\u001b\[31mred\\u001b\[0m '
expect_grep "escaped OSC" table.txt '^\\u001b\]0;owned title\\u0007 '
expect_grep "escaped C1" table.txt '^\\u009b31mC1 CSI '
expect_grep "empty name shown" table.txt '^"" +1 '
expect_grep "newline escaped in a cell" table.txt '^line\\u000abreak '
expect_grep "UTF-8 kept" table.txt '^ünïcödé ✓ '
expect_grep "program name escaped" table.txt '^heaptag: odd\\u001b\[5mprog \(pid 7\)'
longest=$(awk '{ print length($0) }' table.txt | sort -n | tail -1)
[ "$longest" -lt 400 ] || fail "overlong name: a table line of $longest characters"
expect_grep "overlong name cut" table.txt '^x{100,}\.\.\. '

for fmt in markdown json; do
	run "$HT" report --format $fmt odd.json -o "r.$fmt"
	expect_rc 0 "report --format $fmt"
	clean "r.$fmt"
done
expect_grep "markdown: pipe escaped" r.markdown 'pipe\\\|star\\\*under\\_score\\`tick'
for fmt in table markdown json html; do
	run "$HT" diff --format $fmt --label a=odd.json --label b=odd2.json
	expect_rc 0 "diff --format $fmt"
	cp "$tmp/out" "d.$fmt"
	clean "d.$fmt" "$tmp/err"
done
# JSON keeps every name exactly, controls included (JSON-escaped).
"$PY" - r.json d.json <<'P' || fail "json output: names changed"
import json, sys
want = json.load(open("odd.json"))["types"]
want = sorted(t["name"] for t in want)
r = sorted(t["name"] for t in json.load(open("r.json"))["types"])
d = sorted(t["name"] for t in json.load(open("d.json"))["types"])
assert r == want, (r, want)
assert d == want, (d, want)
P

# check: a budget on an odd name, over budget.
run "$HT" check odd.json --budget $'\e[31mred\e[0m=5'
expect_rc 1 "check over budget"
clean "$tmp/out" "$tmp/err"
expect_grep "check names the type escaped" "$tmp/out" '\\u001b\[31mred\\u001b\[0m'

# Errors that quote a name escape it too.
"$PY" - <<'P'
import json
d = json.load(open("odd.json"))
d["types"].append(dict(d["types"][1]))
d["totals"]["alloc_calls"] += 1; d["totals"]["live_blocks"] += 1; d["totals"]["peak_live_blocks"] += 1
for k in ("bytes_requested", "live_bytes", "peak_live_bytes"): d["totals"][k] += 10
for k in ("live_usable_bytes", "peak_live_usable_bytes"): d["totals"][k] += 16
json.dump(d, open("dup.json", "w"))
P
run "$HT" report dup.json
expect_rc 2 "duplicate odd name"
expect_err "duplicate odd name" 'heaptag: dup.json: type "\u001b[31mred\u001b[0m" listed twice'

# Stacks formats: a real stacks report whose type gets an odd name.
if [ -x "$BUILD/tests/stacks/stacks-prog-fp" ]; then
	"$HT" run -q --stacks -o st.json -- "$BUILD/tests/stacks/stacks-prog-fp" >/dev/null 2>&1
	"$PY" - <<'P'
import json
d = json.load(open("st.json"))
odd = "\x1b]0;pwned\x07\u009b2J"
for t in d["types"]:
    if t["name"] == "untagged": t["name"] = odd
for s in d["sites"]:
    if s["type"] == "untagged": s["type"] = odd
json.dump(d, open("st-odd.json", "w"))
P
	for args in "--format massif" "" "--format collapsed --type-frames"; do
		run "$HT" report $args st-odd.json
		expect_rc 0 "stacks report $args"
		clean "$tmp/out" "$tmp/err"
	done
	expect_grep "collapsed: escaped type frame" "$tmp/out" '\[\\u001b\]0:pwned\\u0007\\u009b2J\] [0-9]+$'
fi
finish
