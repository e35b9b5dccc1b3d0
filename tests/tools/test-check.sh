#!/bin/bash
# heaptag check: budgets in bytes and per instance, suffixes, exit 0/1/2.
. "$(dirname "$0")/lib.sh"
cd "$DATA" || exit 1

# Response: 280 B/instance, 2800000 B peak.  Headers: 240 B/instance.
run "$HT" check dict.json --budget Response=280/instance --budget Headers=2400000
expect_rc 0 "budgets exactly met"
[ -s "$tmp/out" ] || [ -s "$tmp/err" ] && fail "within budget: printed something"

run "$HT" check dict.json --budget Response=3M --budget Headers=2.5MiB --budget Connection=2K
expect_rc 0 "suffix budgets within"

run "$HT" check dict.json --budget Response=256/instance --budget Headers=2M --budget Connection=1KiB/instance
expect_rc 1 "over budget"
expect_file "over budget lines" "$tmp/out" <<'T'
over budget: Response: 280 B/instance > 256 B/instance (+24 B, +9.4%)
over budget: Headers: 2400000 B peak > 2097152 B (+295.8 KiB, +14.4%)
T
[ -s "$tmp/err" ] && fail "over budget: unexpected stderr"

run "$HT" check slots.json --budget Response=170/instance
expect_rc 0 "slots Response within 170/instance"
run "$HT" check slots.json --budget Response=169.9/instance
expect_rc 1 "slots Response over 169.9/instance"
expect_file "fractional budget" "$tmp/out" <<'T'
over budget: Response: 170 B/instance > 169.9 B/instance (+0.1 B, +0.1%)
T

# Bad input: exit 2, one line.
run "$HT" check dict.json --budget Nope=1K
expect_rc 2 "unknown type"
expect_err "unknown type" 'heaptag: dict.json: no type "Nope" in the report'
run "$HT" check dict.json --budget untagged=1K/instance
expect_rc 2 "per-instance budget on a type without instances"
expect_err "no instances" 'heaptag: dict.json: type "untagged" has no instances; a per-instance budget cannot apply'
for spec in Response Response= =1K Response=1X Response=-5 Response=1K/object Response=1e3; do
	run "$HT" check dict.json --budget "$spec"
	expect_rc 2 "bad budget '$spec'"
	expect_err "bad budget '$spec'" "heaptag: check: bad budget '$spec' (expected TYPE=BYTES or TYPE=BYTES/instance) (see 'heaptag check --help')"
done
run "$HT" check dict.json
expect_rc 2 "no budget"
expect_err "no budget" "heaptag: check: no --budget given (see 'heaptag check --help')"
run "$HT" check --budget Response=1K
expect_rc 2 "no report"
run "$HT" check bad-sum.json --budget Response=1K
expect_rc 2 "bad report"
expect_err "bad report" "heaptag: bad-sum.json: inconsistent report: types' live_bytes sum to 150, totals.live_bytes is 200"
run "$HT" check dict.json --budget Response=1K --wat
expect_rc 2 "unknown option"
finish
