#!/bin/bash
# heaptag against Valgrind (DHAT and massif) on real programs: alloc calls and peak
# requested bytes must agree within the tolerances justified in crosscheck.py.
#
# Prints the side-by-side table into the test log.
: "${BUILD:?BUILD must name the build directory}"
exec "$(dirname "$0")/crosscheck.py" "$BUILD" --check
