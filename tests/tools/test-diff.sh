#!/bin/bash
# heaptag diff: exact per-type figures, claim verdicts and exit statuses.
#
# heaptag diff: exact per-type figures, claim verdicts and exit statuses,
# the tolerance rule, N-way labelled comparisons, every output format,
# atomic -o, and a self-contained HTML page.
. "$(dirname "$0")/lib.sh"
cd "$DATA" || exit 1

# Fixtures: Response 280 -> 170 B/instance (-39.3%), with payload 380 ->
# 270 (-28.9%); whole-program peak 6210192 -> 4209392 B (-32.2%).
run "$HT" diff dict.json slots.json --claim Response=40 --claim 40
expect_rc 1 "diff with a failing claim"
expect_file "diff table" "$tmp/out" <<'T'
heaptag diff: baseline dict (dict.json)
     against slots (slots.json)
B/inst = peak live bytes / peak live instances; obj = the type's own blocks, +payload = with <type>.payload

type        report instances    B/inst    usable  +payload    usable       live       peak  change B/inst     change +payload
Response    dict       10000       280       296       380       408    2.7 MiB    2.7 MiB
            slots      10000       170       176       270       288    1.6 MiB    1.6 MiB  -110 B (-39.3%)   -110 B (-28.9%)
Headers     dict       10000       240       248         -         -    2.3 MiB    2.3 MiB
            slots      10000       150       160         -         -    1.4 MiB    1.4 MiB  -90 B (-37.5%)    -
untagged    dict           0         -         -         -         -    4.0 KiB    8.0 KiB
            slots          0         -         -         -         -    4.0 KiB    8.0 KiB  -                 -
Connection  dict          20       200       208         -         -    2.0 KiB    2.0 KiB
            slots         20       120       128         -         -    1.2 KiB    1.2 KiB  -80 B (-40.0%)    -

total       report       live       peak peak usable  change peak
            dict      5.9 MiB    5.9 MiB     6.3 MiB
            slots     4.0 MiB    4.0 MiB     4.3 MiB  -1.9 MiB (-32.2%)

claims (a claimed saving holds if the measured saving >= claim - 5.0 pp):
  Response per instance, dict -> slots: claimed 40.0% saving, measured 39.3% (280 -> 170 B): holds (margin -0.7 pp)
  whole-program peak, dict -> slots: claimed 40.0% saving, measured 32.2% (6210192 -> 4209392 B): does not hold (margin -7.8 pp)
T

# Verdicts and exit statuses.
claim() { # EXPECTED_STATUS CLAIM... (dict -> slots)
	local want=$1; shift
	local args=()
	for c in "$@"; do args+=(--claim "$c"); done
	run "$HT" diff -o "$tmp/ignored.txt" "${args[@]}" dict.json slots.json
	expect_rc "$want" "claims $*"
}
claim 0 Response=40                 # 39.3 >= 35
claim 0 Response=44.2%              # 39.3 >= 39.2
claim 1 Response=44.3               # 39.3 <  39.3 (exactly 39.2857 < 39.3)
claim 0 Headers=40 Connection=40    # 37.5, 40.0
claim 1 Response+payload=40         # 28.9 < 35
claim 0 Response+payload=30
claim 0 32                          # whole program 32.2
claim 1 38
claim 1 Response=40 38              # one fails -> 1
run "$HT" diff --tolerance 0 --claim Connection=40 dict.json slots.json
expect_rc 0 "tolerance 0, exactly met (40.0%)"
run "$HT" diff --tolerance 0 --claim Response=40 dict.json slots.json
expect_rc 1 "tolerance 0, 39.3% < 40%"
expect_grep "tolerance 0 verdict" "$tmp/out" "^  Response per instance, dict -> slots: claimed 40.0% saving, measured 39.3% \(280 -> 170 B\): does not hold \(margin -0.7 pp\)$"
run "$HT" diff --tolerance 12 --claim Response+payload=40 dict.json slots.json
expect_rc 0 "tolerance 12"
run "$HT" diff --claim-basis usable --claim Response=40 dict.json slots.json
expect_rc 0 "usable basis"
expect_grep "usable basis" "$tmp/out" "Response per instance \(usable\), dict -> slots: claimed 40.0% saving, measured 40.5% \(296 -> 176 B\): holds \(margin \+0.5 pp\)"

# -o: the document goes to the file, verdicts to stdout.
run "$HT" diff -o "$tmp/d.md" --format markdown --claim Response=40 dict.json slots.json
expect_rc 0 "markdown -o"
expect_file "verdict on stdout with -o" "$tmp/out" <<'T'
Response per instance, dict -> slots: claimed 40.0% saving, measured 39.3% (280 -> 170 B): holds (margin -0.7 pp)
T
expect_grep "markdown row" "$tmp/d.md" '^\| Response \| dict \| 10000 \| 280 \| 296 \| 380 \| 408 \| 2800000 \| 2800000 \|  \|  \|$'
expect_grep "markdown row" "$tmp/d.md" '^\|  \| slots \| 10000 \| 170 \| 176 \| 270 \| 288 \| 1700000 \| 1700000 \| -110 B \(-39.3%\) \| -110 B \(-28.9%\) \|$'
expect_grep "markdown totals" "$tmp/d.md" '^\| slots \| 4205296 \| 4209392 \| 4489488 \| -2000800 B \(-32.2%\) \|$'
expect_grep "markdown claim" "$tmp/d.md" '^- Response per instance, dict -> slots: claimed 40.0% saving, measured 39.3%'
ls -a "$tmp" | grep -q 'tmp-' && fail "-o left a temporary file"

# Three modes with labels; JSON carries the exact figures.
run "$HT" diff --format json --label dict=dict.json --label slots=slots.json --label allslots=allslots.json \
	--claim Response=40 --claim allslots:35
expect_rc 0 "3-way json"
python3 - "$tmp/out" <<'P' || fail "3-way json figures"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "heaptag-diff" and d["baseline"] == "dict" and d["tolerance_pp"] == 5
assert [r["label"] for r in d["reports"]] == ["dict", "slots", "allslots"]
assert d["reports"][2]["totals"]["peak_live_bytes"] == 3909192
assert d["reports"][2]["change_peak_live_bytes"]["bytes"] == -2301000
resp = next(t for t in d["types"] if t["name"] == "Response")
assert [c["bytes_per_instance"]["object"]["requested"] for c in resp["reports"]] == [280, 170, 150]
assert [c["bytes_per_instance"]["with_payload"]["usable"] for c in resp["reports"]] == [408, 288, 272]
assert resp["reports"][2]["change"]["bytes_per_instance_object"]["bytes"] == -130
assert round(resp["reports"][1]["change"]["bytes_per_instance_object"]["percent"], 4) == -39.2857
assert all(t["name"] != "Response.payload" for t in d["types"])  # folded into Response
cl = [(c["against"], c["type"], c["holds"], round(c["measured_percent"], 2)) for c in d["claims"]]
assert cl == [("slots", "Response", True, 39.29), ("allslots", "Response", True, 46.43),
              ("allslots", None, True, 37.05)], cl
P

# A type missing from one report is shown as absent, never as zero.
run "$HT" diff demo.json dict.json
expect_rc 0 "diff with absent types"
expect_grep "absent type" "$tmp/out" "^Headers     demo      absent         -         -         -         -          -          -$"
run "$HT" diff --claim Headers=40 demo.json dict.json
expect_rc 2 "claim about a type absent from the baseline"
expect_err "absent claim" 'heaptag: diff: claim '"'"'Headers=40'"'"': type "Headers" has no instances in demo (demo.json)'

# Bad input: exit 2, one line, nothing written.
run "$HT" diff -o "$tmp/never.html" --format html dict.json bad-version.json
expect_rc 2 "bad report"
expect_err "bad report" "heaptag: bad-version.json: unsupported report version 2 (this heaptag reads version 1)"
[ -e "$tmp/never.html" ] && fail "bad report: output written"
run "$HT" diff dict.json
expect_rc 2 "one report"
expect_err "one report" "heaptag: diff: at least two reports are needed (see 'heaptag diff --help')"
run "$HT" diff dict.json ../data/dict.json
expect_rc 2 "duplicate labels"
run "$HT" diff --claim Nope=40 dict.json slots.json
expect_rc 2 "claim about an unknown type"
expect_err "unknown type claim" "heaptag: diff: claim 'Nope=40': no type \"Nope\" in the reports"
for c in abc Response= =40 Response=101 Response=-3 dict:40; do
	run "$HT" diff --claim "$c" dict.json slots.json
	expect_rc 2 "bad claim '$c'"
done
run "$HT" diff --tolerance x dict.json slots.json
expect_rc 2 "bad tolerance"
run "$HT" diff --format pdf dict.json slots.json
expect_rc 2 "bad format"
run "$HT" diff --label nofile dict.json slots.json
expect_rc 2 "bad label"
run "$HT" diff --wat dict.json slots.json
expect_rc 2 "unknown option"

# An unwritable -o: one line, exit 2, nothing left behind.
mkdir "$tmp/ro" && chmod 555 "$tmp/ro"
if [ "$(id -u)" != 0 ]; then
	run "$HT" diff -o "$tmp/ro/out.html" --format html dict.json slots.json
	expect_rc 2 "unwritable directory"
	expect_err "unwritable directory" "heaptag: $tmp/ro/out.html: cannot write: Permission denied"
	[ -z "$(ls -A "$tmp/ro")" ] || fail "unwritable: left files"
fi
run "$HT" diff -o "$tmp/no/such/dir/out.html" dict.json slots.json
expect_rc 2 "missing directory"
expect_err "missing directory" "heaptag: $tmp/no/such/dir/out.html: cannot write: No such file or directory"
mkdir "$tmp/isdir"
run "$HT" diff -o "$tmp/isdir" dict.json slots.json
expect_rc 2 "output is a directory"
expect_err "output is a directory" "heaptag: $tmp/isdir: cannot write: Is a directory"
[ -z "$(ls -A "$tmp" | grep tmp-)" ] || fail "directory output: left a temporary file"
# A FIFO is written in place (issue 10): tests/tools/test-output-paths.sh.

# HTML: self-contained (no scripts, nothing fetched), charts and verdicts present.
run "$HT" diff --format html -o "$tmp/d.html" --label dict=dict.json --label slots=slots.json \
	--label allslots=allslots.json --claim Response=40 --claim slots:40
expect_rc 1 "html with a failing claim"
h=$tmp/d.html
grep -qiE 'https?:|src=|<script|<link|@import|url\(' "$h" && fail "html refers to something external"
[ "$(grep -c '<svg ' "$h")" = 2 ] || fail "html: expected 2 SVG charts"
# 3 types x 3 reports, 3 payload extensions of Response, 3 total bars.
[ "$(grep -c '<rect ' "$h")" = 15 ] || fail "html: expected 15 bars"
expect_grep "html verdict" "$h" 'class="claim no"><span class="verdict">does not hold</span>whole-program peak, dict -&gt; slots'
expect_grep "html bar label" "$h" '>170 B \(\+payload 270 B\)  -39.3%</text>'
expect_grep "html table" "$h" '<td>1700000</td><td>1700000</td><td class="down">−110 B \(-39.3%\)</td>'
tail -n 1 "$h" | grep -qx '</html>' || fail "html not complete"
python3 - "$h" <<'P' || fail "html is not well-formed"
import sys, html.parser
class P(html.parser.HTMLParser):
    void = {"meta", "br", "rect", "line", "img", "input", "hr"}
    def __init__(s): super().__init__(); s.stack = []
    def handle_starttag(s, t, a):
        if t not in s.void: s.stack.append(t)
    def handle_startendtag(s, t, a): pass
    def handle_endtag(s, t):
        if t in s.void: return
        assert s.stack and s.stack[-1] == t, (t, s.stack[-3:])
        s.stack.pop()
p = P(); p.feed(open(sys.argv[1]).read()); assert p.stack == [], p.stack
P
finish
