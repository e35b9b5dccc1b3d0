#!/bin/bash
# The tracker binds the program's PLT to its mode's own entry points, and
# counts the same either way (profiler/src/plt_bind.c).
#
# plt_binding.c, built three ways: with lazy binding; with -z now and full
# RELRO (its GOT read-only once bound, so the tracker must unprotect it);
# and taking the addresses of malloc and free, which the linker then calls
# through GLOB_DAT entries, not the PLT.  For each:
# - under gdb, at main: the program's GOT entries for malloc, free and
#   realloc name sampled_malloc, sampled_free and sampled_realloc in
#   sampled mode, malloc_exact, free_exact and realloc_exact in exact
#   mode, but GLOB_DAT ones keep our exported malloc and free (a pointer
#   to malloc is the same in every module);
# - the pointers the program calls through equal dlsym's;
# - at HEAPTAG_SAMPLE=1 (every block sampled, weight 1: exact figures),
#   type Routed has 250 allocations (100 + 50 + 100 reallocs), 220 frees
#   (100 by realloc, 120 by free), 100*64 + 50*32 + 100*128 = 20800 bytes
#   requested and 30 blocks of 128 bytes live: what exact mode reports.
. "$(dirname "$0")/lib.sh"
command -v gdb >/dev/null || { echo "skip: gdb is not installed"; exit 77; }

# slot_targets PROG ENV...: the function each of PROG's GOT entries for
# malloc, free and realloc names at main, one word each.
slot_targets() {
	local prog=$1; shift
	local main_at cmds=() env=()
	main_at=$(nm "$prog" | awk '$3 == "main" { print $1 }')
	for e in "$@"; do env+=(-ex "set environment $e"); done
	for f in malloc free realloc; do
		local off
		off=$(readelf -rW "$prog" | awk -v f="$f" '$5 ~ "^" f "@" { print $1; exit }')
		[ -n "$off" ] || { echo "no-slot-$f"; continue; }
		cmds+=(-ex "info symbol *(void **)((char *)&main - 0x$main_at + 0x$off)")
	done
	gdb -nx -q -batch "${env[@]}" -ex "set environment LD_PRELOAD=$LIB" -ex "break main" -ex run "${cmds[@]}" \
		"$prog" 2>&1 |
		awk '/ in section / { n = split($NF, p, "/"); printf "%s@%s ", $1, p[n] }'
}

for variant in lazy now addr; do
	prog=$BUILD/tests/sampling/plt-binding-$variant
	[ -x "$prog" ] || { echo "no $prog; run make first"; exit 1; }
	for mode in sampled exact; do
		env=(HEAPTAG_OUT=$tmp/g.json)
		[ $mode = sampled ] && env+=(HEAPTAG_SAMPLE=512KiB)
		pre=sampled_ post=
		[ $mode = exact ] && pre= post=_exact
		want="${pre}malloc$post@libheaptag.so ${pre}free$post@libheaptag.so"
		[ $variant = addr ] && want="malloc@libheaptag.so free@libheaptag.so"
		expect_eq "$variant: entries in $mode mode" "$(slot_targets "$prog" "${env[@]}")" \
			"$want ${pre}realloc$post@libheaptag.so "
	done
	for mode in exact sampled; do
		env=(HEAPTAG_OUT=$tmp/$variant-$mode.json)
		[ $mode = sampled ] && env+=(HEAPTAG_SAMPLE=1)
		env LD_PRELOAD=$LIB "${env[@]}" "$prog" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		expect_rc 0 "$variant, $mode mode"
		expect_eq "$variant, $mode mode: its output" "$(tr '\n' ' ' <"$tmp/out")" "pointer same ok "
		expect_eq "$variant, $mode mode: Routed" "$($PY - "$tmp/$variant-$mode.json" <<'PYEOF'
import json, sys
t = {x["name"]: x for x in json.load(open(sys.argv[1]))["types"]}["Routed"]
print(t["alloc_calls"], t["free_calls"], t["bytes_requested"], t["live_bytes"], t["live_blocks"])
PYEOF
)" "250 220 20800 3840 30"
	done
done
finish
