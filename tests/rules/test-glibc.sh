#!/bin/bash
# The glibc pack (profiler/rules/glibc.rules) on tests/rules/glibc_prog.c.
#
# The glibc pack (profiler/rules/glibc.rules) on tests/rules/glibc_prog.c,
# a program without tagging that calls stdio, setlocale, dlopen, getline,
# regcomp/regexec, getpwnam, qsort, strdup and strndup.  What each libc
# call allocated lands in its type (site_functions.py --entry groups the
# sites by the libc function the program called); the counts are exact
# where they depend on glibc 2.36 only, not on the machine's locales or
# NSS configuration.  The program's own strdup/strndup blocks, and only
# they, stay untagged: the pack looks through functions that just hand
# memory to their caller.
. "$(dirname "$0")/lib.sh"
PROG=$BUILD/tests/rules/glibc-prog
[ -x "$PROG" ] || { echo "no $PROG; run make first"; exit 1; }
RULES=$PACKS/glibc.rules
LIBC=$(ldd "$PROG" | awk '$1 ~ /^libc\.so/ { print $3 }')
LDSO=$(ldd "$PROG" | awk '$1 ~ /ld-linux/ { print $1 }')

run $SITES --dead-rules "$RULES" "$LIBC" "$LDSO"
expect_rc 0 "rules naming no function of libc or ld.so: $(cat "$tmp/out")"

run "$HT" run -q --rules "$RULES" -o "$tmp/g.json" -- "$PROG" "$tmp/scratch.txt"
expect_rc 0 "glibc-prog under --rules"
expect_eq "glibc-prog output" "$(tr '\n' '|' <"$tmp/out")" \
	"stdio done|zlib $(sed -n 's/.*"\(1\.[0-9.]*\)".*/\1/p' /usr/include/zlib.h | head -1)|3 lines|regex matches|root uid 0|qsort 0 99999|strdup strndup|"
$FIG types "$tmp/g.json" | cut -d' ' -f1-6
BLK=$(stat -c %o "$tmp")    # st_blksize of a file in $tmp: one stdio buffer

entry() { $SITES --entry "$tmp/g.json" "$1" | tr '\n' '|'; }
expect_eq "fopen" "$(entry '*fopen_internal*')" "stdio.FILE 2 944|"
expect_eq "fprintf (fwrite) to the file" "$(entry 'fwrite*')" "stdio.buffer 1 $BLK|"
expect_eq "printf (puts) to stdout" "$(entry 'puts*')" "stdio.buffer 1 $BLK|"
expect_eq "getline" "$(entry '*getdelim*')" "getline.buffer 1 120|stdio.buffer 1 $BLK|"
expect_eq "qsort of 100,000 ints" "$(entry '*qsort_r*')" "qsort.tmp 1 400000|"
expect_eq "regcomp" "$(entry '*regcomp*')" "regex 97 5808|"
expect_eq "regexec" "$(entry '*regexec*')" "regex 41 9228|"
expect_eq "the program's strdup" "$(entry 'strdup*')" "untagged 1 7|"
expect_eq "the program's strndup" "$(entry 'strndup*')" "untagged 1 8|"
# These depend on the machine's locales and nsswitch.conf: only the types.
only_types() { # WHAT ENTRY-GLOB TYPE-REGEX MAIN-TYPE
	local got
	got=$($SITES --entry "$tmp/g.json" "$2")
	echo "$1: $(echo "$got" | tr '\n' ' ')"
	echo "$got" | grep -q "^$4 [1-9]" || fail "$1: no $4 blocks"
	echo "$got" | grep -vqE "^($3) " && fail "$1: blocks of other types: $(echo "$got" | grep -vE "^($3) " | tr '\n' ' ')"
}
only_types setlocale '*setlocale*' 'locale|stdio\.FILE|stdio\.buffer' locale
only_types dlopen '*dlopen*' loader loader
only_types getpwnam 'getpwnam*' 'nss|stdio\.FILE|stdio\.buffer|getline\.buffer' nss
expect_eq "untagged in all" "$($FIG type-blocks "$tmp/g.json" untagged)" "2 0"
finish
