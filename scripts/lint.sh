#!/bin/bash
# `make lint`: the ten longest C functions outside tests/ (fails at 100 lines or
# more), and the opening comment of every source file in the checked folders.
#
# Function extents come from universal-ctags (its "end:" field), which parses
# C properly: braces in strings, comments and macros do not fool it.
# The opening comment: a file starts (after a #! line) with a comment whose
# first paragraph, one or two lines, says what the file is for; more
# paragraphs may follow after a blank comment line.  C and C++ use "/* ",
# shell "# ", Python a docstring or "# ".
set -euo pipefail
cd "$(dirname "$0")/.."
MAX_LINES=${LINT_MAX_FUNCTION_LINES:-100}
# Folders whose files must open with the house comment (docs/layout.md).
COMMENT_DIRS=${LINT_COMMENT_DIRS:-"profiler client python tools bench validate scripts tests"}
fail=0

# --- function lengths ----------------------------------------------------
mapfile -t srcs < <(find . -path ./build -prune -o -path ./.git -prune -o -path ./tests -prune \
    -o -type f \( -name '*.c' -o -name '*.h' \) -print | sed 's|^\./||' | sort)
lengths=$(ctags -f - --languages=C --kinds-C=f --fields=+ne "${srcs[@]}" |
    awk -F'\t' '{
        line = ""; end = "";
        for (i = 4; i <= NF; i++) {
            if ($i ~ /^line:/) line = substr($i, 6);
            if ($i ~ /^end:/) end = substr($i, 5);
        }
        if (line != "" && end != "") printf "%d %s:%d %s\n", end - line + 1, $2, line, $1
    }' | sort -k1,1nr -k2,2)
echo "lint: the ten longest functions outside tests/ (limit: under $MAX_LINES lines)"
# awk reads all of its input (head would close the pipe early, and under
# pipefail echo's SIGPIPE would fail the lint at random)
echo "$lengths" | awk 'NR <= 10 { printf "  %5d  %-40s %s\n", $1, $3, $2 }'
over=$(echo "$lengths" | awk -v m="$MAX_LINES" '$1 >= m' | wc -l)
if [ "$over" -gt 0 ]; then
    echo "lint: $over function(s) of $MAX_LINES lines or more:"
    echo "$lengths" | awk -v m="$MAX_LINES" '$1 >= m { print "  " $3 " (" $2 "): " $1 " lines" }'
    fail=1
fi

# --- opening comments ----------------------------------------------------
# Prints a reason when FILE's opening comment is not the house one.
opening_problem() {
    awk -v file="$1" '
    function done(msg) { if (msg != "") print msg; finished = 1; exit }
    NR == 1 && /^#!/ { next }
    !started {
        started = 1
        if (file ~ /\.(c|h|cc)$/) {
            if ($0 !~ /^\/\* [^ ]/) done("does not open with \"/* \" and its text")
            kind = "c"
        } else if (file ~ /\.py$/ && $0 ~ /^"""[^ ]/) {
            kind = "py"
        } else if ($0 ~ /^# [^ ]/) {
            kind = "sh"
        } else done("does not open with a comment (\"# \" and its text)")
    }
    {
        n++
        if (kind == "c") {
            if (n > 1 && $0 ~ /^ \*\/?[ \t]*$/) done("")      # " *" or " */": paragraph ends
            if ($0 ~ /\*\//) { if (n > 2) done("first paragraph is " n " lines (at most 2)"); done("") }
        } else if (kind == "py") {
            if (n > 1 && $0 ~ /^[ \t]*$/) done("")
            if (n > 1 && $0 ~ /"""/ || n == 1 && substr($0, 4) ~ /"""/) {
                if (n > 2) done("first paragraph is " n " lines (at most 2)"); done("")
            }
        } else {
            if ($0 !~ /^#/ || $0 ~ /^#[ \t]*$/) { if (n > 3) done("first paragraph is " n - 1 " lines (at most 2)"); done("") }
        }
        if (n > 2 && kind != "sh") done("first paragraph is over 2 lines (at most 2)")
    }
    END { if (!finished && !started) print "is empty" }' "$1"
}
bad=0
for d in $COMMENT_DIRS; do
    while IFS= read -r f; do
        why=$(opening_problem "$f")
        if [ -n "$why" ]; then
            echo "lint: $f: opening comment $why"
            bad=$((bad + 1))
        fi
    done < <(find "$d" -type f \( -name '*.c' -o -name '*.h' -o -name '*.cc' -o -name '*.sh' -o -name '*.py' \) \
        -not -path 'tests/*/data/*' -not -path 'tests/fuzz/corpus/*' -not -path 'tests/fuzz/regressions/*' | sort)
done
if [ $bad -gt 0 ]; then
    echo "lint: $bad file(s) without the house opening comment (in: $COMMENT_DIRS)"
    fail=1
else
    echo "lint: every source file in $COMMENT_DIRS opens with its purpose"
fi
exit $fail
