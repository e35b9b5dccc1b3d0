#!/bin/bash
# The ADR-007 validation (`make validate`): both scenes, every client mode, heaptag and
# massif.
#
# The ADR-007 validation (`make validate`): run the ADR's two scenes in each
# client mode under heaptag (repeated) and under massif, then write
# reports/footprint.{txt,md,json,html} and the results block of
# docs/adr/0007-slots-for-hot-objects.md, and print the verdict table.
#
# Environment (defaults in brackets):
#   BUILD                     build tree [build/ of this checkout]
#   VALIDATE_REQUESTS         requests in the keep scene [10000, the ADR's]
#   VALIDATE_CHURN_REQUESTS   requests in the churn scene [VALIDATE_REQUESTS]
#   VALIDATE_MASSIF_REQUESTS  requests of the keep scene under massif; 0
#                             skips massif [VALIDATE_REQUESTS: ~3 s per run]
#   VALIDATE_MASSIF_CHURN_REQUESTS  requests of the churn scene under
#                             massif [10: few enough that massif snapshots
#                             every heap event, so its peak is exact; the
#                             churn peak is reached by request 2 and is the
#                             same for any count from there]
#   VALIDATE_REPS             heaptag runs per mode and scene [3]
#   VALIDATE_PATH             what each request fetches [/bytes/128]
#   VALIDATE_SWEEP            body sizes of the keep scene's sweep, each
#                             fetched twice: /bytes/SIZE (hc-serve's minimal
#                             3-field head) and /api/SIZE (a realistic
#                             11-field head) [0 128 1024 8192 65536]
#   VALIDATE_SWEEP_REQUESTS   kept Responses per sweep run [1000]
#   VALIDATE_PY_REQUESTS      requests of the CPython keep scene
#                             [VALIDATE_REQUESTS]
#   VALIDATE_JOBS             sweep and CPython runs at a time [nproc, at
#                             most 4]
#   VALIDATE_OUT              output directory [reports/]
#   VALIDATE_ADR              ADR to rewrite between the results markers;
#                             empty: leave docs alone [docs/adr/0007-...md]
#
# Exit status: 0 done and every check passed; 1 a check failed or a run
# failed (the report, when written, says which); 2 bad environment.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$root/build}
N=${VALIDATE_REQUESTS:-10000}
CHURN=${VALIDATE_CHURN_REQUESTS:-$N}
MASSIF_N=${VALIDATE_MASSIF_REQUESTS:-$N}
MASSIF_CHURN=${VALIDATE_MASSIF_CHURN_REQUESTS:-10}
REPS=${VALIDATE_REPS:-3}
URL_PATH=${VALIDATE_PATH:-/bytes/128}
SWEEP=${VALIDATE_SWEEP:-0 128 1024 8192 65536}
SWEEP_N=${VALIDATE_SWEEP_REQUESTS:-1000}
PY_N=${VALIDATE_PY_REQUESTS:-$N}
# The ADR is about CPython: Debian's interpreter, whatever python3 is first on PATH.
PYTHON=/usr/bin/python3
JOBS=${VALIDATE_JOBS:-$(n=$(nproc 2>/dev/null || echo 1); [ "$n" -gt 4 ] && n=4; echo "$n")}
OUT=${VALIDATE_OUT:-$root/reports}
ADR=${VALIDATE_ADR-$root/docs/adr/0007-slots-for-hot-objects.md}
MODES="dict slots allslots"
SCENES="keep churn"

for v in VALIDATE_REQUESTS:$N VALIDATE_CHURN_REQUESTS:$CHURN VALIDATE_REPS:$REPS \
         VALIDATE_SWEEP_REQUESTS:$SWEEP_N VALIDATE_PY_REQUESTS:$PY_N VALIDATE_JOBS:$JOBS; do
    case ${v#*:} in ''|*[!0-9]*|0) echo "validate: ${v%%:*} must be a positive integer" >&2; exit 2;; esac
done
case $MASSIF_N in ''|*[!0-9]*) echo "validate: VALIDATE_MASSIF_REQUESTS must be an integer" >&2; exit 2;; esac
case $MASSIF_CHURN in ''|*[!0-9]*|0) echo "validate: VALIDATE_MASSIF_CHURN_REQUESTS must be a positive integer" >&2; exit 2;; esac
case $URL_PATH in /*) ;; *) echo "validate: VALIDATE_PATH must start with /" >&2; exit 2;; esac
[ "$(echo $SWEEP | wc -w)" -ge 2 ] || { echo "validate: VALIDATE_SWEEP needs at least two body sizes" >&2; exit 2; }
for b in $SWEEP; do
    case $b in ''|*[!0-9]*) echo "validate: VALIDATE_SWEEP: '$b' is not a byte count" >&2; exit 2;; esac
done

for f in "$BUILD/bin/heaptag" "$BUILD/lib/libheaptag.so" "$BUILD/bin/hc-serve"; do
    [ -e "$f" ] || { echo "validate: $f not built (make build-all)" >&2; exit 2; }
done
for m in $MODES; do
    [ -x "$BUILD/validate/$m/hc-scene" ] || { echo "validate: $BUILD/validate/$m/hc-scene not built" >&2; exit 2; }
done
if [ "$MASSIF_N" != 0 ] && ! command -v valgrind >/dev/null; then
    echo "validate: valgrind not found (scripts/install-deps.sh); VALIDATE_MASSIF_REQUESTS=0 skips massif" >&2
    exit 2
fi

start=$(date +%s%N)
mkdir -p "$OUT"
raw=$OUT/raw
rm -rf "$raw"
mkdir -p "$raw"
state=$(mktemp -d "${TMPDIR:-/tmp}/validate.XXXXXX")
stop_server() {
    # shellcheck disable=SC2046
    kill $(jobs -p) 2>/dev/null || true
    "$root/tests/fixtures/start-hc-serve.sh" --stop "$state/hc-serve" >/dev/null 2>&1 || true
    rm -rf "$state"
}
trap stop_server EXIT
trap 'exit 1' INT TERM
# Work on a private copy of the programs: the build tree is shared, and a
# rebuild in the middle of the runs (a relinked libheaptag.so is briefly
# "too short" to preload) must not change or break what is measured.
mkdir -p "$state/bin" "$state/lib"
cp "$BUILD/bin/heaptag" "$BUILD/bin/hc-serve" "$state/bin/"
cp "$BUILD/lib/libheaptag.so" "$state/lib/"
for m in $MODES; do cp "$BUILD/validate/$m/hc-scene" "$state/bin/hc-scene-$m"; done
cp -r "$root/python" "$state/python"
cp "$root/validate/py_scene.py" "$state/bin/"
heaptag=$state/bin/heaptag
export HEAPTAG_LIB=$state/lib/libheaptag.so
# The server outlives no validation: 10 minutes at most.
HC_SERVE=$state/bin/hc-serve HCSERVE_MAX_SECONDS=600 "$root/tests/fixtures/start-hc-serve.sh" "$state/hc-serve" >/dev/null
. "$state/hc-serve/env"
url=http://127.0.0.1:$HCSERVE_PORT$URL_PATH
base_url=http://127.0.0.1:$HCSERVE_PORT

elapsed() { local ms=$(( ($(date +%s%N) - start) / 1000000 )); printf '%d.%03d' $((ms / 1000)) $((ms % 1000)); }
phase() { printf 'validate: %-44s %8s s\n' "$1" "$(elapsed)" >&2; }

scene_args() { if [ "$1" = keep ]; then echo "-n $N --keep"; else echo "-n $CHURN --churn"; fi; }

# heaptag runs, interleaved by repetition so a disturbance of the machine
# lands on every mode alike.
for rep in $(seq "$REPS"); do
    for m in $MODES; do
        for s in $SCENES; do
            base=$raw/$m-$s-$rep
            # shellcheck disable=SC2046
            if ! "$heaptag" run --quiet -o "$base.json" -- "$state/bin/hc-scene-$m" "$url" \
                    $(scene_args "$s") >"$base.out" 2>"$base.err"; then
                echo "validate: $m $s run $rep failed:" >&2
                cat "$base.err" >&2
                exit 1
            fi
            [ -s "$base.json" ] || { echo "validate: $m $s run $rep left no report:" >&2; cat "$base.err" >&2; exit 1; }
        done
    done
    phase "heaptag runs, repetition $rep of $REPS"
done

# The body-size sweep: the keep scene per mode at each size, once (the
# figures are per instance and repeat to the byte).
# Up to JOBS runs at a time from here on: each is its own process, and what
# is measured (bytes per instance of its own heap) does not depend on the
# others.  A failed run fails the validation at the next wait.
running=0
spawn() {
    "$@" &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then wait -n || exit 1; running=$((running - 1)); fi
}
drain() { while [ "$running" -gt 0 ]; do wait -n || exit 1; running=$((running - 1)); done; }
# heaptag run -o DIR/X.json renames the reports other processes are writing
# into DIR (those of the run's own children), so runs at the same time each
# write into a directory of their own.
htrun() { # BASE PROGRAM ARGS...: BASE.json, BASE.out, BASE.err
    local base=$1; shift
    mkdir -p "$base.d"
    "$heaptag" run --quiet -o "$base.d/report.json" -- "$@" >"$base.out" 2>"$base.err" &&
        mv "$base.d/report.json" "$base.json" && rmdir "$base.d"
}
csweep() { # MODE HEAD:PATH SIZE
    local base=$raw/sweep-${2%%:*}-$1-$3
    htrun "$base" "$state/bin/hc-scene-$1" "$base_url/${2#*:}/$3" -n "$SWEEP_N" --keep ||
        { echo "validate: sweep $1 /${2#*:}/$3 failed:" >&2; cat "$base.err" >&2; exit 1; }
}
HEADS="minimal:bytes realistic:api"
for size in $SWEEP; do
    for head in $HEADS; do
        for m in $MODES; do spawn csweep "$m" "$head" "$size"; done
    done
done
drain
phase "body-size sweep (C), ${SWEEP// /, } B"

# The same classes in CPython: the keep scene under heaptag (repeated),
# once under tracemalloc for the cross-check, and the sweep.
# PYTHONHASHSEED=0: the same string hashes, so the same dict layouts, every run.
pyrun() { # OUT-BASE URL LAYOUT N [--tracemalloc]
    local base=$1 u=$2 l=$3 n=$4; shift 4
    if [ "${1:-}" = --tracemalloc ]; then
        PYTHONHASHSEED=0 PYTHONMALLOC=malloc PYTHONPATH=$state/python \
            "$PYTHON" "$state/bin/py_scene.py" "$u" -n "$n" --layout "$l" --tracemalloc >"$base.out" 2>"$base.err"
    else
        PYTHONHASHSEED=0 PYTHONMALLOC=malloc PYTHONPATH=$state/python \
            htrun "$base" "$PYTHON" "$state/bin/py_scene.py" "$u" -n "$n" --layout "$l"
    fi || { echo "validate: CPython $l ($u) failed:" >&2; cat "$base.err" >&2; exit 1; }
}
for m in $MODES; do spawn pyrun "$raw/py-$m-tracemalloc" "$url" "$m" "$PY_N" --tracemalloc; done
for rep in $(seq "$REPS"); do
    for m in $MODES; do spawn pyrun "$raw/py-$m-keep-$rep" "$url" "$m" "$PY_N"; done
done
for size in $SWEEP; do
    for head in $HEADS; do
        for m in $MODES; do spawn pyrun "$raw/py-sweep-${head%%:*}-$m-$size" "$base_url/${head#*:}/$size" "$m" "$SWEEP_N"; done
    done
done
drain
phase "CPython runs ($($PYTHON -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])'))"

# massif, once per mode and scene, beside a heaptag run of the same size.
massif_flag=()
if [ "$MASSIF_N" != 0 ]; then
    for m in $MODES; do
        for s in $SCENES; do
            if [ "$s" = keep ]; then args="-n $MASSIF_N --keep"; same=$([ "$MASSIF_N" = "$N" ] && echo 1 || echo 0)
            else args="-n $MASSIF_CHURN --churn"; same=$([ "$MASSIF_CHURN" = "$CHURN" ] && echo 1 || echo 0); fi
            base=$raw/$m-$s
            # shellcheck disable=SC2086
            if ! valgrind --tool=massif --pages-as-heap=no --peak-inaccuracy=0 --threshold=0 --max-snapshots=1000 -q \
                    --massif-out-file="$base.massif" "$state/bin/hc-scene-$m" "$url" $args \
                    >"$base-massif.out" 2>"$base-massif.err"; then
                echo "validate: $m $s under massif failed:" >&2
                cat "$base-massif.err" >&2
                exit 1
            fi
            if [ "$same" = 1 ]; then
                cp "$base-1.json" "$base-massif.json"
            else
                # shellcheck disable=SC2086
                "$heaptag" run --quiet -o "$base-massif.json" -- "$state/bin/hc-scene-$m" "$url" $args \
                    >>"$base-massif.out" 2>>"$base-massif.err" || { cat "$base-massif.err" >&2; exit 1; }
            fi
        done
    done
    massif_flag=(--massif-requests "$MASSIF_N" --massif-churn-requests "$MASSIF_CHURN")
    phase "massif runs"
fi

rc=0
/usr/bin/python3 "$root/validate/footprint.py" --raw "$raw" --out "$OUT" --heaptag "$heaptag" \
    --reps "$REPS" --requests "$N" --churn-requests "$CHURN" --url-path "$URL_PATH" \
    --sweep "$SWEEP" --sweep-requests "$SWEEP_N" --py-requests "$PY_N" \
    "${massif_flag[@]}" --seconds "$(elapsed)" || rc=$?
[ "$rc" -le 1 ] || exit "$rc"
phase "reports written to $OUT"

if [ -n "$ADR" ]; then
    /usr/bin/python3 "$root/validate/adr_results.py" "$OUT/footprint.md" "$ADR"
    phase "results block of ${ADR#"$root"/} rewritten"
fi

# The verdict table: footprint.txt up to the full per-type diff tables.
echo
sed '/^heaptag diff, keep scene/,$d' "$OUT/footprint.txt"
echo "full tables: $OUT/footprint.{txt,md,json,html} (churn: footprint-churn.html); raw runs: $raw"
# End with the verdict table itself, where a reader of the last lines looks.
echo
sed -n '/^Verdict: /,/ kept Responses against the ADR/p' "$OUT/footprint.txt" | sed '$d' | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
exit "$rc"
