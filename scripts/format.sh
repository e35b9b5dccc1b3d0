#!/bin/sh
# Apply the tree's .clang-format to every C and C++ source, or with --check
# list the files that differ from it and exit 1 (`make format`, `make format-check`).
set -eu
cd "$(dirname "$0")/.."
check=0
[ "${1:-}" = "--check" ] && check=1

# Every .c/.h/.cc outside build/ and .git/, but not test data (programs a
# test compiles as they are, and fuzz corpora).
files=$(find . -path ./build -prune -o -path ./.git -prune -o -path './tests/*/data' -prune \
    -o -path './tests/fuzz/corpus' -prune -o -path './tests/fuzz/regressions' -prune \
    -o -type f \( -name '*.c' -o -name '*.h' -o -name '*.cc' \) -print | sort)

if [ $check = 0 ]; then
    # shellcheck disable=SC2086
    clang-format -i --style=file $files
    exit 0
fi
bad=0
for f in $files; do
    if ! clang-format --style=file --dry-run -Werror "$f" >/dev/null 2>&1; then
        echo "format-check: $f differs from .clang-format (make format)"
        bad=$((bad + 1))
    fi
done
if [ $bad -gt 0 ]; then
    echo "format-check: $bad of $(echo "$files" | wc -l) files need \`make format\`"
    exit 1
fi
echo "format-check: $(echo "$files" | wc -l) files formatted"
