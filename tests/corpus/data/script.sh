#!/bin/bash
# A bash script exercising what bash allocates for: functions, arrays,
# associative arrays, command and process substitution, here-documents,
# subshells, pipelines and string operations.
set -u
declare -A count
words=()
while read -r w; do
    words+=("$w")
    count[$w]=$(( ${count[$w]:-0} + 1 ))
done < <(tr ' ' '\n' <<'TEXT'
the quick brown fox jumps over the lazy dog the end
TEXT
)
fact() { local n=$1; if ((n <= 1)); then echo 1; else echo $((n * $(fact $((n - 1))))); fi; }
echo "words: ${#words[@]} distinct: ${#count[@]} the: ${count[the]}"
echo "fact 10: $(fact 10)"
s=""
for ((i = 0; i < 2000; i++)); do s+="${i: -1}"; done
echo "length ${#s} upper ${words[1]^^} sub ${s:10:5}"
(cd / && echo "subshell in $PWD")
printf '%s\n' "${words[@]}" | sort | uniq -c | sort -rn | head -n 2
echo "to stderr" >&2
exit 6
