#!/bin/bash
# The ADR-007 validation, reduced in size, run twice: same figures and verdicts.
#
# The ADR-007 validation, reduced in size, run twice: both runs must pass
# their own checks and give the same per-instance figures, instances and
# verdicts (C, CPython and the body-size sweep); the results block they
# write into an ADR must come out the same (the second run leaves the file
# untouched).  Also: figures fixed by the object layout, and bad sizes
# rejected with one line and status 2.
#
# Nothing compared depends on timing: massif runs the keep scene with so
# few requests that it snapshots every heap event (its peak is then exact,
# not a sample that moves with I/O timing), and the ADR block quotes no
# massif figure.  Must pass with both cores busy.
#
# Skips (77) when a client mode, the tracker or valgrind is not built or
# installed.  ~1 minute on 2 cores.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$root/build}
for f in "$BUILD/bin/heaptag" "$BUILD/lib/libheaptag.so" "$BUILD/bin/hc-serve" \
         "$BUILD/validate/dict/hc-scene" "$BUILD/validate/slots/hc-scene" "$BUILD/validate/allslots/hc-scene"; do
    [ -e "$f" ] || { echo "skip: $f not built"; exit 77; }
done
command -v valgrind >/dev/null || { echo "skip: valgrind not installed"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-validate.XXXXXX")
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Both runs use one private copy of the programs: the build tree is shared
# and may be rebuilt (with other figures) between the two runs.
mkdir -p "$tmp/build/bin" "$tmp/build/lib"
cp "$BUILD/bin/heaptag" "$BUILD/bin/hc-serve" "$tmp/build/bin/"
cp "$BUILD/lib/libheaptag.so" "$tmp/build/lib/"
for m in dict slots allslots; do
    mkdir -p "$tmp/build/validate/$m"
    cp "$BUILD/validate/$m/hc-scene" "$tmp/build/validate/$m/"
done
BUILD=$tmp/build

# An ADR stand-in with the markers and text around them that must survive.
printf '# ADR\n\n## Results\n<!-- results:begin -->\nstale\n<!-- results:end -->\n\nAfter.\n' > "$tmp/adr.md"

export BUILD VALIDATE_REQUESTS=2000 VALIDATE_REPS=2 VALIDATE_MASSIF_REQUESTS=10 VALIDATE_ADR=$tmp/adr.md \
    VALIDATE_SWEEP_REQUESTS=200 VALIDATE_PY_REQUESTS=1000
for run in 1 2; do
    rc=0
    VALIDATE_OUT=$tmp/run$run "$root/validate/run-validate.sh" >"$tmp/stdout$run" 2>"$tmp/stderr$run" || rc=$?
    [ $rc = 0 ] || { cat "$tmp/stdout$run" "$tmp/stderr$run"; fail "validation run $run exited $rc"; }
    for f in footprint.txt footprint.md footprint.json footprint.html footprint-churn.html; do
        [ -s "$tmp/run$run/$f" ] || fail "run $run: $f missing"
    done
    grep -q '^Verdict: ' "$tmp/stdout$run" || fail "run $run printed no verdict table"
    [ $run = 1 ] && cp -p "$tmp/adr.md" "$tmp/adr-after-1.md"
done

# Per mode, scene and type: instances, peak instances and bytes per
# instance (object, usable, with payload); and every verdict.
figures() {
    jq -S '{types: (.modes | map_values(map_values(.types | map_values(
              {instances, peak_live_instances, bytes_per_instance, bytes_per_instance_usable,
               bytes_per_instance_with_payload})))),
            cpython: (.cpython.modes | map_values(map_values(.types | map_values(
              {instances, peak_live_instances, bytes_per_instance, bytes_per_instance_with_payload})))),
            sweep: .sweep,
            verdicts: [.verdicts[] | {lang, mode, scene, claim, measured_percent, verdict, holds}],
            problems}' "$1"
}
figures "$tmp/run1/footprint.json" > "$tmp/fig1"
figures "$tmp/run2/footprint.json" > "$tmp/fig2"
diff -u "$tmp/fig1" "$tmp/fig2" || fail "the two runs give different per-instance figures or verdicts"
[ "$(jq '.problems | length' "$tmp/run1/footprint.json")" = 0 ] || fail "checks failed: $(jq -c .problems "$tmp/run1/footprint.json")"
[ "$(jq '[.verdicts[] | select(.stable | not)] | length' "$tmp/run1/footprint.json")" = 0 ] ||
    fail "a verdict changed between repetitions"

# Layout facts: a fixed-slot Response is a type pointer and seven 8-byte
# slots; slots and allslots lay the five hot classes out alike; a dict-backed
# Response costs more than its slots; hc-scene's own account agrees.
j=$tmp/run1/footprint.json
for m in slots allslots; do
    v=$(jq ".modes.$m.keep.types.Response.bytes_per_instance" "$j")
    [ "$v" = 64 ] || fail "$m Response: $v B per instance, expected 8 + 7 x 8 = 64"
done
for t in Response Request Connection Timeout Headers; do
    a=$(jq ".modes.slots.keep.types.$t.bytes_per_instance" "$j")
    b=$(jq ".modes.allslots.keep.types.$t.bytes_per_instance" "$j")
    [ "$a" = "$b" ] || fail "$t: slots $a B, allslots $b B per instance"
done
jq -e '.modes.dict.keep.types.Response.bytes_per_instance > 64' "$j" >/dev/null || fail "dict Response not larger than slots"
[ "$(jq -r '.modes.dict.keep.types.Response.instances' "$j")" = 2000 ] || fail "dict keep: Response instances != 2000"
[ "$(jq -r '.modes.dict.keep.hc_scene.live_responses_peak' "$j")" = 2000 ] || fail "hc-scene kept fewer than 2000"
# massif saw every heap event of its runs: an exact peak, not a sample.
[ "$(jq '[.modes[][] | .massif.every_event_snapshotted] | all' "$j")" = true ] ||
    fail "massif sampled a run: its peak would depend on timing"
# The about form: C's shell saving exceeds "about 40%", CPython's holds;
# the ADR block says so beside the ADR's own estimate.
[ "$(jq -r '.verdicts[] | select(.lang == "C" and .mode == "slots" and .scene == "keep" and .claim == "Response=~40") | .verdict' "$j")" = exceeds ] ||
    fail "C slots Response=~40 is not 'exceeds'"
[ "$(jq -r '.cpython.tracemalloc.slots.difference_pct | fabs < 2' "$j")" = true ] || fail "tracemalloc disagrees"
grep -qE '^\| verdict, about 40% per Response \| 39\.3%: holds \| 7[89]\.[0-9]% exceeds \| 3[0-9]\.[0-9]% holds \|$' "$tmp/adr.md" ||
    fail "the ADR block lacks the side-by-side verdicts"
# No slots is judged against itself: a saving of exactly nothing.
[ "$(jq '[.verdicts[] | select(.mode == "dict") | .measured_percent | fabs] | max' "$j")" = 0 ] ||
    fail "dict against itself measured a saving"

# The ADR block: replaced, surroundings kept, identical after the second run.
grep -q stale "$tmp/adr.md" && fail "the ADR's results block was not replaced"
grep -q '^After\.$' "$tmp/adr.md" || fail "text after the results block lost"
grep -q 'Verdict: "about 40% less memory per instance"' "$tmp/adr.md" || fail "no verdict in the ADR block"
cmp -s "$tmp/adr.md" "$tmp/adr-after-1.md" || fail "the second run changed the ADR"
[ "$(stat -c %Y "$tmp/adr.md")" = "$(stat -c %Y "$tmp/adr-after-1.md")" ] || fail "the second run rewrote the ADR"

# Bad sizes: one line, status 2, nothing run.
for bad in VALIDATE_REQUESTS=abc VALIDATE_REPS=0 VALIDATE_MASSIF_CHURN_REQUESTS=-1 VALIDATE_PATH=bytes; do
    set +e
    env "$bad" VALIDATE_OUT="$tmp/bad" "$root/validate/run-validate.sh" >"$tmp/bad.out" 2>"$tmp/bad.err"
    rc=$?
    set -e
    [ $rc = 2 ] || fail "$bad: exit $rc, expected 2"
    [ "$(wc -l < "$tmp/bad.err")" = 1 ] || fail "$bad: expected one line on stderr, got: $(cat "$tmp/bad.err")"
    [ ! -e "$tmp/bad" ] || fail "$bad: output written"
done
# An ADR without markers: adr_results.py refuses, the file is unchanged.
printf '# no markers\n' > "$tmp/plain.md"
set +e
/usr/bin/python3 "$root/validate/adr_results.py" "$tmp/run1/footprint.md" "$tmp/plain.md" 2>"$tmp/plain.err"
rc=$?
set -e
[ $rc = 2 ] && [ "$(cat "$tmp/plain.md")" = "# no markers" ] || fail "adr_results.py without markers: exit $rc"
echo "ok: two validations agree ($(jq '[.modes[][].types[]] | length' "$j") type rows, $(jq '.verdicts | length' "$j") verdicts)"
