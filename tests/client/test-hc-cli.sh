#!/bin/bash
# hc against curl on hc-serve: same bytes on stdout and same exit status
# for every URL and option set below, in every mode built.
set -u
: "${BUILD:?}"
command -v curl >/dev/null || { echo "skip: curl not installed"; exit 77; }
. "$(dirname "$0")/serve-helper.sh"
U=$HC_SERVE_URL
tmp=$(mktemp -d)
trap 'kill $serve_pid 2>/dev/null; wait $serve_pid 2>/dev/null; rm -rf "$serve_dir" "$tmp"' EXIT
cases=(
    "$U/bytes/100" "-i $U/bytes/100" "-I $U/bytes/5000" "$U/bytes/0"
    "-i $U/chunked/10000?chunk=333" "$U/close/5000" "-i $U/close/10"
    "-i $U/json" "-i $U/redirect/3" "-i -L $U/redirect/3" "-L --max-redirs 2 $U/redirect/5"
    "-i -L -d a=1 $U/redirect-to?url=/json&status=303" "-L -X POST -d abc $U/redirect-to?url=/bytes/7&status=307"
    "$U/gzip/1000" "--compressed $U/gzip/1000" "--compressed -i $U/deflate/3000"
    "-f $U/missing" "-i $U/missing" "-m 0.3 $U/stall" "-m 0.3 $U/slow/3000"
    "http://127.0.0.1:1/" "http://no-such-host.invalid/"
)
ran=0 bad=0
for mode in ${MODES:-dict slots allslots}; do
    hc="$BUILD/$mode/bin/hc"
    [ -x "$hc" ] || continue
    ran=$((ran + 1))
    for c in "${cases[@]}"; do
        # shellcheck disable=SC2086
        curl -s $c >"$tmp/curl" 2>/dev/null; crc=$?
        # shellcheck disable=SC2086
        timeout 20 "$hc" -s $c >"$tmp/hc" 2>"$tmp/err"; hrc=$?
        if [ $crc -ne $hrc ] || ! cmp -s "$tmp/curl" "$tmp/hc"; then
            echo "DIFF [$mode] hc $c: curl exit $crc, hc exit $hrc"
            cmp "$tmp/curl" "$tmp/hc" | head -n 2
            bad=$((bad + 1))
        fi
    done
    # Errors are one line, prefixed with the curl code.
    "$hc" -m 0.2 "$U/stall" 2>"$tmp/err" >/dev/null
    [ "$(cat "$tmp/err")" = "hc: (28) total timeout reached while reading the response" ] || {
        echo "DIFF [$mode] timeout message: $(cat "$tmp/err")"; bad=$((bad + 1)); }
    "$hc" --bogus "$U/" 2>/dev/null; [ $? -eq 2 ] || { echo "DIFF [$mode] bad option status"; bad=$((bad + 1)); }
done
[ $ran -gt 0 ] || { echo "skip: no hc built"; exit 77; }
echo "$ran modes, ${#cases[@]} cases each, $bad differences"
[ $bad -eq 0 ]
