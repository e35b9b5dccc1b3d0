#!/bin/bash
# Sampled mode's estimates and 95% bounds cover synth.c's true figures.
#
# Sampled mode's estimates and their 95% bounds against a program whose
# heap is known (synth.c), 40 seeds at the default mean (512 KiB): each
# type's interval covers the true allocated and live bytes in >= 34 runs,
# and the mean of the 40 estimates is within the bound of a mean.
. "$(dirname "$0")/../lib/cli-test.sh"
need_tracker_and_python
$PY "$here/estimates.py" "$BUILD/lib/libheaptag.so" "$BUILD/tests/sampling/synth" "$tmp" 40 34 512KiB ||
	fail "estimates outside their bounds (table above)"
finish
