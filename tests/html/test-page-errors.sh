#!/bin/bash
# Bad input to the run page: a corrupt or truncated report, a report whose
# stacks section is broken, an output that cannot be written.
#
# Each gets the one line and exit status 2 of every heaptag command, and
# leaves no HTML file (nor a temporary one) behind; an existing page stays
# as it was.
. "$(dirname "$0")/../lib/cli-test.sh"
DATA=$here/../tools/data
out=$tmp/out-dir
mkdir -p "$out"

bad() { # FILE MESSAGE
	run "$HT" report "$1" --format html -o "$out/page.html"
	expect_rc 2 "$(basename "$1")"
	printf 'heaptag: %s: %s\n' "$1" "$2" >"$tmp/want"
	cmp -s "$tmp/want" "$tmp/err" || fail "$(basename "$1"): stderr is '$(cat "$tmp/err")'"
	[ -z "$(ls -A "$out")" ] || fail "$(basename "$1"): left $(ls -A "$out")"
	[ ! -s "$tmp/out" ] || fail "$(basename "$1"): wrote to stdout"
}
bad "$DATA/corrupt.json" "not valid JSON (line 1, column 4: '[' or '{' expected near 'this')"
bad "$DATA/truncated.json" "not valid JSON (line 1, column 546: premature end of input near '\"Respons')"
bad "$tmp/absent.json" "cannot open: No such file or directory"

# A stacks report cut in the middle of its sites, and one whose site
# counts do not add up.
need_tracker_and_python
"$HT" run -q --stacks -o "$tmp/r.json" -- "$BUILD/tests/stacks/stacks-prog-tagged" || fail "run --stacks"
head -c "$(($(stat -c %s "$tmp/r.json") * 2 / 3))" "$tmp/r.json" >"$tmp/cut.json"
run "$HT" report "$tmp/cut.json" --format html -o "$out/page.html"
expect_rc 2 "truncated stacks report"
[ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "^heaptag: $tmp/cut.json: not valid JSON" "$tmp/err" ||
	fail "truncated stacks report: stderr is '$(cat "$tmp/err")'"
[ -z "$(ls -A "$out")" ] || fail "truncated stacks report: left $(ls -A "$out")"
$PY - "$tmp/r.json" "$tmp/badsite.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["sites"][0]["live_at_peak"] = d["sites"][0]["peak_live_bytes"] + 1
json.dump(d, open(sys.argv[2], "w"))
PY
run "$HT" report "$tmp/badsite.json" --format html -o "$out/page.html"
expect_rc 2 "inconsistent site"
[ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "^heaptag: $tmp/badsite.json: inconsistent report: site [0-9]*: live_at_peak > peak_live_bytes$" "$tmp/err" ||
	fail "inconsistent site: stderr is '$(cat "$tmp/err")'"
[ -z "$(ls -A "$out")" ] || fail "inconsistent site: left $(ls -A "$out")"

# An existing page is not touched by a failed run.
echo "old page" >"$out/page.html"
run "$HT" report "$DATA/truncated.json" --format html -o "$out/page.html"
expect_rc 2 "truncated over an existing page"
expect_eq "existing page" "$(cat "$out/page.html")" "old page"
expect_eq "files after the failure" "$(ls -A "$out")" "page.html"
rm -f "$out/page.html"

# Outputs that cannot be written.
run "$HT" report "$tmp/r.json" --format html -o "$out"
expect_rc 2 "-o a directory"
expect_eq "-o a directory: message" "$(cat "$tmp/err")" "heaptag: report: cannot write: Is a directory"
run "$HT" report "$tmp/r.json" --format html -o "$tmp/no/such/dir/page.html"
expect_rc 2 "-o in a missing directory"
# run --html: the program's status is kept, the report is written, the
# page's failure is one line.
run "$HT" run -q --html "$tmp/no/such/dir/page.html" -o "$tmp/r2.json" -- /bin/sh -c 'exit 3'
expect_rc 3 "run --html to a missing directory"
[ -s "$tmp/r2.json" ] || fail "run --html to a missing directory: no report"
expect_eq "run --html failure: lines" "$(wc -l <"$tmp/err")" 1
grep -q "^heaptag: run: $tmp/no/such/dir/page.html: cannot write: No such file or directory$" "$tmp/err" ||
	fail "run --html failure: stderr is '$(cat "$tmp/err")'"
run "$HT" run --html
expect_rc 2 "run --html without a value"
finish
