#!/bin/bash
# Stacks of Debian's own programs, built without frame pointers and stripped.
#
# Stacks of Debian's own programs, built without frame pointers and
# stripped (no .symtab, no debug info unless -dbgsym packages are
# installed): frames get names from .dynsym (static functions stay
# module+offset: about half of python3's frames, a few percent of perl's),
# and the folded weights still add up.
. "$(dirname "$0")/lib.sh"

check_program() { # NAME EXPECTED-FUNCTION-REGEX COMMAND...
	local name=$1 want=$2
	shift 2
	run "$HT" run -q --stacks -o "$tmp/$name.json" -- "$@"
	expect_rc 0 "$name under heaptag run --stacks"
	[ -s "$tmp/$name.json" ] || { fail "$name: no report"; return; }
	expect_eq "$name: frames inside libheaptag.so" "$($CHECK tracker-frames "$tmp/$name.json")" 0
	run "$HT" report "$tmp/$name.json" --format collapsed --weight allocated
	expect_rc 0 "$name: collapsed"
	cp "$tmp/out" "$tmp/$name.folded"
	expect_eq "$name: folded sum" "$($CHECK folded-sum "$tmp/$name.folded")" \
		"$($CHECK get "$tmp/$name.json" totals bytes_requested)"
	grep -qE "$want" "$tmp/$name.folded" || fail "$name: no frame matching '$want'"
	local pct
	pct=$($CHECK named-fraction "$tmp/$name.folded")
	echo "$name: $pct% of frames named"
	[ "$pct" -ge 40 ] || fail "$name: only $pct% of frames have a function name"
	run "$HT" report "$tmp/$name.json" --top 3
	expect_rc 0 "$name: report"
}

if [ -x /usr/bin/python3 ]; then
	PYTHONMALLOC=malloc check_program python3 '(^|;)_PyEval_EvalFrameDefault;.*(PyDict_|PyList_|PyTuple_|PyUnicode_)' \
		/usr/bin/python3 -c 'x = [dict(a=i, b=str(i)) for i in range(2000)]'
fi
if [ -x /usr/bin/perl ]; then
	check_program perl '(^|;)Perl_runops_standard;.*Perl_' \
		/usr/bin/perl -e 'my %h; $h{$_} = [$_ x 3] for 1..2000;'
fi
finish
