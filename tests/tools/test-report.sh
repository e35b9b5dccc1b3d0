#!/bin/bash
# heaptag report: exact tables from hand-written fixtures, every rejection
# of a bad report (one line, exit 2), usage errors, --help and --version.
. "$(dirname "$0")/lib.sh"
cd "$DATA" || exit 1

run "$HT" report demo.json
expect_rc 0 "report demo"
expect_file "report demo table" "$tmp/out" <<'T'
heaptag: demo (pid 4242), reason exit, 3 ms, allocator /lib/x86_64-linux-gnu/libc.so.6
type      instances  peak inst        live        peak peak usable  B/instance alloc calls
Response          2          2       200 B       200 B       216 B       100 B           2
untagged          0          0         0 B       100 B       112 B           -           1
total                                200 B       300 B       328 B                       3
tracker overhead: 132.0 KiB now, 132.0 KiB peak (not in the figures above)
T
[ -s "$tmp/err" ] && fail "report demo: unexpected stderr"

run "$HT" report --sort name dict.json
expect_rc 0 "report --sort name"
expect_file "report dict sorted by name" "$tmp/out" <<'T'
heaptag: client-dict (pid 1001), reason exit, 120 ms, allocator /lib/x86_64-linux-gnu/libc.so.6
type              instances  peak inst        live        peak peak usable  B/instance alloc calls
Connection               20         10     2.0 KiB     2.0 KiB     2.0 KiB       200 B          20
Headers               10000      10000     2.3 MiB     2.3 MiB     2.4 MiB       240 B       10000
Response              10000      10000     2.7 MiB     2.7 MiB     2.8 MiB       280 B       20000
Response.payload          0          0   976.6 KiB   976.6 KiB     1.1 MiB           -       10000
untagged                  0          0     4.0 KiB     8.0 KiB     8.0 KiB           -           5
total                                      5.9 MiB     5.9 MiB     6.3 MiB                   40025
tracker overhead: 132.0 KiB now, 148.0 KiB peak (not in the figures above)
T

run "$HT" report --sort live --format markdown demo.json
expect_rc 0 "report markdown"
expect_file "report demo markdown" "$tmp/out" <<'T'
# heaptag report: demo (pid 4242)

Reason `exit`, 3 ms, allocator `/lib/x86_64-linux-gnu/libc.so.6`.

| type | instances | peak instances | live bytes | peak bytes | peak usable bytes | bytes/instance | alloc calls |
|---|--:|--:|--:|--:|--:|--:|--:|
| Response | 2 | 2 | 200 | 200 | 216 | 100 | 2 |
| untagged | 0 | 0 | 0 | 100 | 112 | – | 1 |
| **total** | | | 200 | 300 | 328 | | 3 |

Tracker overhead: 135168 bytes now, 135168 bytes peak (not in the figures above).
T

run "$HT" report --format json dict.json
expect_rc 0 "report json"
python3 - "$tmp/out" <<'P' || fail "report json: wrong figures"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "heaptag-summary" and d["pid"] == 1001
t = {x["name"]: x for x in d["types"]}
assert t["Response"]["bytes_per_instance"] == 280.0
assert t["Response"]["peak_live_usable_bytes"] == 2960000
assert t["untagged"]["bytes_per_instance"] is None
assert d["totals"]["peak_live_bytes"] == 6210192
assert [x["name"] for x in d["types"]] == ["Response", "Headers", "Response.payload", "untagged", "Connection"]
P

# Every way a report can be bad: one line naming the file, exit 2.
bad() {
	run "$HT" report "$1"
	expect_rc 2 "report $1"
	expect_err "report $1" "heaptag: $1: $2"
	[ -s "$tmp/out" ] && fail "report $1: printed something on stdout"
}
bad missing.json "cannot open: No such file or directory"
bad corrupt.json "not valid JSON (line 1, column 4: '[' or '{' expected near 'this')"
bad empty.json "not valid JSON (line 1, column 0: '[' or '{' expected near end of file)"
bad truncated.json "not valid JSON (line 1, column 546: premature end of input near '\"Respons')"
bad array.json "not a heaptag report (the top level is not an object)"
bad bad-format.json 'not a heaptag report ("format" is not "heaptag-report")'
bad bad-version.json "unsupported report version 2 (this heaptag reads version 1)"
bad bad-missing.json 'missing "totals.peak_live_bytes"'
bad bad-string.json '"totals.live_bytes" is not an integer'
bad bad-negative.json '"types[1].alloc_calls" is negative (-1)'
bad bad-calls.json "inconsistent report: totals.alloc_calls - free_calls (2) != live_blocks (3)"
bad bad-sum.json "inconsistent report: types' live_bytes sum to 150, totals.live_bytes is 200"
bad bad-peak.json 'inconsistent report: type "Response": peak_live_bytes > totals.peak_live_bytes'
bad bad-dup.json 'type "Response" listed twice'
bad bad-overhead.json "inconsistent report: tracker.overhead_bytes > peak_overhead_bytes"

# tracker.peak_overhead_bytes is informative only; its absence is accepted.
run "$HT" report no-peak-overhead.json
expect_rc 0 "report without the tracker's peak"
[ "$(tail -n 1 "$tmp/out")" = "tracker overhead: 8.0 KiB now, unknown peak (not in the figures above)" ] \
	|| fail "unknown tracker peak line: $(tail -n 1 "$tmp/out")"
run "$HT" report /
expect_rc 2 "report of a directory"
expect_err "report of a directory" "heaptag: /: no snapshot-N.json in this directory"

# Usage errors.
run "$HT" report --bogus demo.json
expect_rc 2 "unknown option"
expect_err "unknown option" "heaptag: report: unknown option or missing argument: --bogus (see 'heaptag report --help')"
run "$HT" report --format pdf demo.json
expect_rc 2 "report pdf"
expect_err "report pdf" "heaptag: report: unknown format 'pdf' (see 'heaptag report --help')"
run "$HT" report --sort size demo.json
expect_rc 2 "bad sort"
run "$HT" report
expect_rc 2 "no file"
expect_err "no file" "heaptag: report: no report file given (see 'heaptag report --help')"
run "$HT" report demo.json dict.json
expect_rc 2 "two files"
run "$HT" frobnicate
expect_rc 2 "unknown command"
expect_err "unknown command" "heaptag: unknown command 'frobnicate' (see 'heaptag --help')"
run "$HT" --frob
expect_rc 2 "unknown global option"
run "$HT"
expect_rc 2 "no command"

# Help and version.
run "$HT" --help
expect_rc 0 "--help"
expect_grep "--help" "$tmp/out" "^usage: heaptag COMMAND"
for c in run report diff check; do
	run "$HT" $c --help
	expect_rc 0 "$c --help"
	expect_grep "$c --help" "$tmp/out" "^usage: heaptag $c"
	expect_grep "$c --help" "$tmp/out" "^Exit status"
done
run "$HT" --version
expect_rc 0 "--version"
expect_file "--version" "$tmp/out" <<'T'
heaptag 1.0.0
T
finish
