#!/bin/bash
# The heaptag command's tests under AddressSanitizer (with LeakSanitizer) and UBSan.
#
# The heaptag command's tests under AddressSanitizer (with LeakSanitizer)
# and UBSan: the command and its test helpers are built with the sanitizer
# into build/tools-<san>/ (the tracker in that tree is built as always,
# without one: it runs preloaded into other programs), and the tools,
# massif, stacks and html tests run against that tree.  The client's own suite
# has `make SAN=asan|ubsan client-test`.  ASan checks that its runtime comes
# first in LD_PRELOAD; heaptag run puts the tracker there for its child,
# so that check is turned off (verify_asan_link_order=0).
set -u
cd "$(dirname "$0")/.."
status=0
for san in asan ubsan; do
    b=build/tools-$san
    echo "== heaptag command tests under $san ($b)"
    make -j2 BUILD="$b" SAN="$san" "$b/bin/heaptag" "$b/lib/libheaptag.so" \
        "$b/tests/tools/test_units" "$b/tests/tools/fake_tracker.so" "$b/tests/tools/run_child" \
        "$b/tests/massif/test_massif_parse" "$b/tests/massif/massif_peak_prog" \
        "$b/tests/stacks/stacks-prog-fp" "$b/tests/stacks/stacks-prog-nofp" \
        "$b/tests/stacks/stacks-prog-tagged" "$b/tests/stacks/stacks-cxx" \
        "$b/tests/stacks/unwind-prog-fp" "$b/tests/stacks/unwind-prog-nofp" \
        "$b/tests/stacks/unwind-mod-fp.so" "$b/tests/stacks/unwind-mod-nofp.so" \
        "$b/tests/profiler/report-check" "$b/tests/html/test_svg" >"$b.log" 2>&1 ||
        { echo "build failed:"; tail -20 "$b.log"; status=1; continue; }
    ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        BUILD=$PWD/$b tests/run-tests.sh "$b/tests/tools/test_units" tests/tools/test-*.sh \
        "$b/tests/massif/test_massif_parse" tests/massif/massif-*.sh tests/stacks/test-*.sh \
        "$b/tests/html/test_svg" tests/html/test-*.sh || status=1
done
exit $status
