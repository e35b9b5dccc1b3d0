#!/bin/bash
# Stacked on jemalloc:
#
# LD_PRELOAD="libheaptag.so libjemalloc.so.2".  The deterministic program's figures are
# exact (usable sizes are jemalloc's, which the program measures itself) and the report
# names jemalloc as the allocator.
. "$(dirname "$0")/lib.sh"

je=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
if [ ! -e "$je" ]; then
    echo "libjemalloc2 is not installed (scripts/install-deps.sh)"
    exit 77
fi
d=$SCRATCH
HEAPTAG_OUT=$d/report.json timeout 20 env LD_PRELOAD="$LIB $je" \
    "$PT/det-types" "$d/expected" "$d/base.json"
expect_eq "det-types on jemalloc: exit status" 0 "$?"
run_check "det-types on jemalloc: exact figures" --baseline "$d/base.json" \
    --expect-file "$d/expected" --expect allocator~jemalloc \
    --expect types.Request.peak_live_bytes=8600 --expect types.Buffer.live_bytes=4000 \
    "$d/report.json"
finish
