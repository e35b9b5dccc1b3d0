#!/bin/bash
# Type rules: the untagged stacks_prog with stacks_prog.rules gets the exact per-type
# figures.
#
# Type rules: the untagged stacks_prog with tests/stacks/stacks_prog.rules
# gets exactly the per-type figures of its tagged build; a malformed rules
# file is refused before the program starts.
. "$(dirname "$0")/lib.sh"

run "$HT" run -q --rules "$here/stacks_prog.rules" -o "$tmp/rules.json" -- "$PROGS/stacks-prog-nofp"
expect_rc 0 "run --rules"
expect_eq "rules loaded" "$($CHECK get "$tmp/rules.json" stacks rules)" 3
run "$HT" run -q -o "$tmp/tagged.json" -- "$PROGS/stacks-prog-tagged"
expect_rc 0 "run the tagged build"
$CHECK types "$tmp/rules.json" >"$tmp/got"
$CHECK types "$tmp/tagged.json" >"$tmp/want"
expect_same "per-type figures, rules vs tagged" "$tmp/got" "$tmp/want"
grep -q '^Headers alloc_calls=1000 free_calls=900 bytes_requested=120000 live_bytes=20000 peak_live_bytes=40000 live_blocks=100 ' "$tmp/got" ||
	fail "Headers figures: $(grep '^Headers' "$tmp/got")"
grep -q '^untagged alloc_calls=50 .* temporary_calls=50 ' "$tmp/got" ||
	fail "untagged figures: $(grep '^untagged' "$tmp/got")"
# The report names the types per site too.
run "$HT" report --type Response "$tmp/rules.json"
expect_rc 0 "report --type Response"
grep -q "^          response_new (stacks_prog.c:$(mark_line "$SRC" response_new)) in stacks-prog-nofp\$" "$tmp/out" ||
	fail "--type Response: no response_new frame"
grep -q '^== \(Headers\|Body\|untagged\)' "$tmp/out" && fail "--type Response shows other types"

# Malformed rules: refused with FILE:LINE: reason, status 2, nothing run.
printf '# types\nResponse response_new\nHeaders\n' >"$tmp/bad.rules"
run "$HT" run --rules "$tmp/bad.rules" -- /bin/sh -c "touch $tmp/ran"
expect_rc 2 "malformed rules"
expect_eq "malformed rules message" "$(cat "$tmp/err")" \
	"heaptag: $tmp/bad.rules:3: expected TYPE FUNCTION-GLOB [MODULE-GLOB], found one field"
[ -e "$tmp/ran" ] && fail "the program ran despite malformed rules"
printf 'A f m extra\n' >"$tmp/bad2.rules"
run "$HT" run --rules "$tmp/bad2.rules" -- /bin/sh -c "touch $tmp/ran"
expect_rc 2 "rules with four fields"
expect_eq "four fields message" "$(cat "$tmp/err")" \
	"heaptag: $tmp/bad2.rules:1: expected TYPE FUNCTION-GLOB [MODULE-GLOB], found more than three fields"
run "$HT" run --rules "$tmp/missing.rules" -- /bin/sh -c "touch $tmp/ran"
expect_rc 2 "missing rules file"
expect_eq "missing rules message" "$(cat "$tmp/err")" \
	"heaptag: $tmp/missing.rules: cannot open: No such file or directory"
[ -e "$tmp/ran" ] && fail "the program ran despite a bad rules file"
# A relative rules path reaches the tracker as an absolute one.
(cd "$here" && "$HT" run -q --rules stacks_prog.rules -o "$tmp/rel.json" -- /bin/true) ||
	fail "run --rules with a relative path"
expect_eq "relative rules path loaded" "$($CHECK get "$tmp/rel.json" stacks rules)" 3
finish
