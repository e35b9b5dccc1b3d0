#!/bin/bash
# heaptag's cost against heaptrack and valgrind massif on malloc-heavy workloads
# (bench/*.c).
#
# Each workload runs uninstrumented, under a preloaded library that only forwards the
# calls (floor: what any LD_PRELOAD tracker pays before it counts anything;
# bench/forward_only.c), under the same plus the byte countdown that any sampler must
# keep on every malloc (count: bench/countdown_only.c), under heaptag's sampled mode
# with a mean so large (1 TiB) that no sample is taken (hooks: its countdown and free
# filter, nothing else), under heaptag (LD_PRELOAD),
# under heaptag with call stacks 32 deep (stacks), sampled, under heaptrack (recording
# only; it always unwinds), under massif, and, where Debian's libjemalloc2 and
# libgoogle-perftools4 are installed, under the two samplers that live inside an
# allocator, each with and without sampling at the same 512 KiB mean (jemalloc and
# jeprof: jemalloc's prof; tcmalloc and tcsample: gperftools' heap sampling), all in
# the same session and interleaved
# round by round, so that machine load drifting over the run hits every tool alike;
# each cell is the median of the rounds.
# The sampled bars are judged on paired ratios: each round's sampled time over the
# same round's uninstrumented time, the two run back to back (the uninstrumented run
# between the sampled and the count runs, sides swapping each round), then the median.
# Massif, 20-50x slower, runs in the first BENCH_MASSIF_REPS rounds only (default 1): at
# that slowdown noise does not change its row.
#
#   bench/run-tracker-bench.sh BUILD_DIR
#   env: BENCH_REPS (default 3), BENCH_MASSIF_REPS (default 1),
#        BENCH_FAST_REPS (default 11: rounds of the cheap cells, none, floor,
#        count, hooks, heaptag, sampled and the allocators' samplers, whose
#        bars are a few percent wide),
#        BENCH_SCALE (default 1; 0.25 etc. for a quick run),
#        BENCH_ONLY (workload names to run, e.g. "churn_small indep_churn2"),
#        BENCH_OUT (where the table goes; default BUILD_DIR/bench/tracker.txt)
#
# Prints the table and writes it to BENCH_OUT.
set -u
build=${1:?usage: run-tracker-bench.sh BUILD_DIR}
build=$(cd "$build" && pwd)
bin="$build/bench/bin"
lib="$build/lib/libheaptag.so"
floor_lib="$build/bench/lib/libforward_only.so"
count_lib="$build/bench/lib/libcountdown_only.so"
out=${BENCH_OUT:-$build/bench/tracker.txt}
reps=${BENCH_REPS:-3}
massif_reps=${BENCH_MASSIF_REPS:-1}
fast_reps=${BENCH_FAST_REPS:-11}
[ "$fast_reps" -lt "$reps" ] && fast_reps=$reps
scale=${BENCH_SCALE:-1}
runner="$bin/bench_runner"
for f in "$runner" "$lib" "$floor_lib" "$count_lib"; do
    [ -e "$f" ] || { echo "run-tracker-bench: missing $f" >&2; exit 2; }
done
work=$(mktemp -d "$build/bench/run.XXXXXX")
trap 'rm -rf "$work"' EXIT

sz() { awk -v n="$1" -v s="$scale" 'BEGIN { v = int(n * s); print (v < 1 ? 1 : v) }'; }
# name and arguments; sized for ~0.3-0.6 s uninstrumented on an idle core
workloads=(
    "churn_small $(sz 8000000)"
    "churn_threads $(sz 2000000)"
    "realloc_grow $(sz 100)"
    "tree_build $(sz 1000000) 1"
    "indep_churn1 $(sz 10000000)"
    "indep_churn2 $(sz 5000000)"
    "indep_churn4 $(sz 2500000)"
)
if [ -n "${BENCH_ONLY:-}" ]; then
    kept=()
    for w in "${workloads[@]}"; do
        case " $BENCH_ONLY " in *" ${w%% *} "*) kept+=("$w") ;; esac
    done
    workloads=("${kept[@]}")
fi

# sampled: HEAPTAG_SAMPLE at the default mean (512 KiB), stacks 32 deep
tools=(none floor count hooks heaptag stacks sampled)
# The cheap cells, run in BENCH_FAST_REPS rounds (below).
fast_tools="none floor count hooks heaptag sampled jemalloc jeprof tcmalloc tcsample"
have_heaptrack=0 have_massif=0
if command -v heaptrack >/dev/null; then tools+=(heaptrack); have_heaptrack=1; fi
if command -v valgrind >/dev/null; then tools+=(massif); have_massif=1; fi
# The samplers inside an allocator, run in pairs: the allocator, then the same with
# sampling (sides swapping each round), so that each pair's ratio is back to back.
lib_path() { /sbin/ldconfig -p 2>/dev/null | awk -v n="$1" '$1 == n { print $NF; exit }'; }
je_lib=$(lib_path libjemalloc.so.2) tc_lib=$(lib_path libtcmalloc.so.4)
alloc_pairs=()
[ -n "$je_lib" ] && { tools+=(jemalloc jeprof); alloc_pairs+=("jemalloc jeprof"); }
[ -n "$tc_lib" ] && { tools+=(tcmalloc tcsample); alloc_pairs+=("tcmalloc tcsample"); }

# run_one TOOL WORKLOAD-ARGS...: append "workload tool wall rss" to data
run_one() {
    local tool=$1; shift
    local name=$1; shift
    local prog="$bin/$name" res
    case $tool in
    none)      res=$("$runner" -- "$prog" "$@") ;;
    floor)     res=$("$runner" -- env LD_PRELOAD="$floor_lib" "$prog" "$@") ;;
    count)     res=$("$runner" -- env LD_PRELOAD="$count_lib" "$prog" "$@") ;;
    heaptag)   res=$("$runner" -- env LD_PRELOAD="$lib" HEAPTAG_OUT="$work/heaptag.json" \
                   HEAPTAG_QUIET=1 "$prog" "$@") ;;
    stacks)    res=$("$runner" -- env LD_PRELOAD="$lib" HEAPTAG_OUT="$work/heaptag.json" \
                   HEAPTAG_STACKS=32 HEAPTAG_QUIET=1 "$prog" "$@") ;;
    sampled)   res=$("$runner" -- env LD_PRELOAD="$lib" HEAPTAG_OUT="$work/heaptag.json" \
                   HEAPTAG_SAMPLE=512KiB HEAPTAG_STACKS=32 HEAPTAG_QUIET=1 "$prog" "$@") ;;
    hooks)     res=$("$runner" -- env LD_PRELOAD="$lib" HEAPTAG_OUT="$work/heaptag.json" \
                   HEAPTAG_SAMPLE=1TiB HEAPTAG_STACKS=32 HEAPTAG_QUIET=1 "$prog" "$@") ;;
    heaptrack) res=$("$runner" -- heaptrack -o "$work/heaptrack.$name" "$prog" "$@")
               rm -f "$work"/heaptrack."$name"* ;;
    massif)    res=$("$runner" -- valgrind --tool=massif --massif-out-file="$work/massif.out" \
                   "$prog" "$@") ;;
    jemalloc)  res=$("$runner" -- env LD_PRELOAD="$je_lib" MALLOC_CONF= "$prog" "$@") ;;
    jeprof)    res=$("$runner" -- env LD_PRELOAD="$je_lib" MALLOC_CONF=prof:true,lg_prof_sample:19 \
                   "$prog" "$@") ;;
    tcmalloc)  res=$("$runner" -- env LD_PRELOAD="$tc_lib" TCMALLOC_SAMPLE_PARAMETER=0 "$prog" "$@") ;;
    tcsample)  res=$("$runner" -- env LD_PRELOAD="$tc_lib" TCMALLOC_SAMPLE_PARAMETER=524288 \
                   "$prog" "$@") ;;
    esac
    set -- $res
    if [ "${3:-1}" != 0 ]; then
        echo "run-tracker-bench: $name under $tool failed (exit ${3:-?})" >&2
        exit 1
    fi
    echo "$name $tool $1 $2 $rep" >>"$work/data"
    echo "$name $tool ${4:-0} $rep" >>"$work/cpu"
    # The tracker's own bookkeeping (resident bytes of its maps and tables),
    # from the report: what heaptag adds per live block.
    if [ "$tool" = heaptag ] || [ "$tool" = stacks ] || [ "$tool" = sampled ]; then
        /usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))
print(sys.argv[2], sys.argv[3], r["tracker"]["overhead_bytes"], r["totals"]["peak_live_blocks"])' \
            "$work/heaptag.json" "$name" "$tool" >>"$work/overhead"
    fi
}

echo "tracker benchmark: $reps rounds (massif: $massif_reps; $fast_tools: $fast_reps), scale $scale, $(nproc) cores" >&2
# The cheap cells (uninstrumented, floor, count, exact, sampled) run in more rounds than
# the slow ones: their bars are 5-10% wide, and on a shared machine one
# round's ratio moves by that much.  Every round still runs all of them
# side by side, so drifting load hits each alike.
# round_run REP TOOL WORKLOAD-ARGS...: one run, unless this round skips the tool
round_run() {
    local rep=$1 tool=$2
    shift 2
    [ "$tool" = massif ] && [ "$rep" -gt "$massif_reps" ] && return
    case " $fast_tools " in *" $tool "*) ;; *) [ "$rep" -gt "$reps" ] && return ;; esac
    echo "  round $rep: $1 / $tool" >&2
    run_one "$tool" "$@"
}
# In each round the uninstrumented run comes between the sampled run and the count
# run, back to back with both, which is what their paired ratios assume; the two swap
# sides round by round, so neither always finds the machine as the other left it.
# The hooks run sits on the sampled run's other side, so that sampled over hooks (what
# the samples themselves cost) is a back-to-back pair too.  The floor follows them,
# then the others, then the allocators' pairs.
for ((rep = 1; rep <= fast_reps; rep++)); do
    for w in "${workloads[@]}"; do
        if ((rep % 2)); then first=(hooks sampled none count); else first=(count none sampled hooks); fi
        for tool in "${first[@]}"; do round_run "$rep" "$tool" $w; done
        placed=" ${first[*]} ${alloc_pairs[*]} " # run in their own order, before and after
        for tool in "${tools[@]}"; do
            case $placed in *" $tool "*) continue ;; esac
            round_run "$rep" "$tool" $w
        done
        for pair in "${alloc_pairs[@]}"; do
            read -r alone sampling <<<"$pair"
            if ((rep % 2)); then round_run "$rep" "$alone" $w; round_run "$rep" "$sampling" $w
            else round_run "$rep" "$sampling" $w; round_run "$rep" "$alone" $w; fi
        done
    done
done

mkdir -p "$(dirname "$out")"
{
    echo "heaptag tracker benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(uname -m), $(nproc) cores)"
    echo "rounds: $reps (massif $massif_reps; $fast_tools $fast_reps), median per cell; scale $scale"
    for w in "${workloads[@]}"; do printf '  %s\n' "$w"; done
    echo
    awk -v tools="${tools[*]}" '
    function median(list,   a, n, i, j, t) {
        n = split(list, a, " ")
        for (i = 2; i <= n; i++)
            for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    # the median of round-by-round ratios of TOOL to BASE (default: the uninstrumented run)
    function paired(w, tool, base,   k, list) {
        if (base == "") base = "none"
        list = ""
        for (k = 1; k <= maxround; k++)
            if ((w, tool, k) in tr && (w, base, k) in tr && tr[w, base, k] > 0)
                list = list " " tr[w, tool, k] / tr[w, base, k]
        return list == "" ? "" : median(list)
    }
    # a ratio to three places, or "-" where the cell did not run
    function cell(x) { return x == "" ? "-" : sprintf("%.3f", x) }
    function fastest(w, tool,   a, n, i, m) {
        n = split(t[w, tool], a, " ")
        m = a[1]
        for (i = 2; i <= n; i++) if (a[i] + 0 < m + 0) m = a[i]
        return m
    }
    {
        if (!($1 in seen)) { seen[$1] = 1; order[++nw] = $1 }
        t[$1, $2] = t[$1, $2] " " $3; r[$1, $2] = r[$1, $2] " " $4
        tr[$1, $2, $5] = $3; if ($5 > maxround) maxround = $5
    }
    END {
        nt = split(tools, tl, " ")
        printf "%-14s %-10s %9s %9s %11s %9s\n", "workload", "tool", "time (s)", "x time", "peak RSS MB", "x RSS"
        for (i = 1; i <= nw; i++) {
            w = order[i]
            base_t = median(t[w, "none"]); base_r = median(r[w, "none"])
            for (k = 1; k <= nt; k++) {
                tool = tl[k]
                if (t[w, tool] == "") continue
                mt = median(t[w, tool]); mr = median(r[w, tool])
                mt_[w, tool] = mt; mr_[w, tool] = mr
                printf "%-14s %-10s %9.3f %9.2f %11.1f %9.2f\n", (k == 1 ? w : ""), tool, mt, mt / base_t, mr / 1024, mr / base_r
            }
            mt_[w, "none"] = base_t; mr_[w, "none"] = base_r
        }
        print ""
        print "heaptag extra time as a fraction of heaptrack extra time (target < 0.10):"
        for (i = 1; i <= nw; i++) {
            w = order[i]
            if (mt_[w, "heaptrack"] == "") { printf "  %-14s heaptrack not installed\n", w; continue }
            ht = mt_[w, "heaptag"] - mt_[w, "none"]; hk = mt_[w, "heaptrack"] - mt_[w, "none"]
            printf "  %-14s %+.3f s / %+.3f s = %6.3f  %s\n", w, ht, hk, ht / hk, (ht / hk < 0.10 ? "met" : "MISSED")
        }
        print ""
        print "heaptag with stacks (depth 32): extra time as a fraction of heaptrack extra time (target <= 0.33):"
        for (i = 1; i <= nw; i++) {
            w = order[i]
            if (mt_[w, "heaptrack"] == "") continue
            ht = mt_[w, "stacks"] - mt_[w, "none"]; hk = mt_[w, "heaptrack"] - mt_[w, "none"]
            printf "  %-14s %+.3f s / %+.3f s = %6.3f  %s\n", w, ht, hk, ht / hk, (ht / hk <= 0.33 ? "met" : "MISSED")
        }
        print ""
        print "sampled mode (HEAPTAG_SAMPLE=512KiB, stacks 32): time ratio to uninstrumented,"
        print "the median over the rounds of the paired ratio (a run over the uninstrumented run of"
        print "the same round, run back to back with it); beside it the ratio of the fastest runs, and the same"
        print "paired ratio for the floor (a preloaded library that only forwards the calls), for"
        print "count (the floor plus the byte countdown every sampler keeps on each malloc) and for"
        print "hooks (heaptag sampled with a 1 TiB mean, so no sample is taken: its countdown and its"
        print "free filter alone); samples is sampled over hooks, paired, what the samples cost"
        print "(ADR-0010, \"The floor\"):"
        print "(targets: churn_small <= 1.10, churn_threads <= 1.15, the others <= 1.05)"
        printf "  %-14s %8s %9s %-7s %8s %8s %8s %8s %8s\n", "workload", "sampled", "", "", "fastest", "floor",
            "count", "hooks", "samples"
        for (i = 1; i <= nw; i++) {
            w = order[i]
            if (mt_[w, "sampled"] == "") continue
            x = paired(w, "sampled")
            lim = (w == "churn_small" ? 1.10 : w == "churn_threads" ? 1.15 : 1.05)
            fl = paired(w, "floor"); cn = paired(w, "count"); hk = paired(w, "hooks")
            sm = paired(w, "sampled", "hooks")
            printf "  %-14s %8.3f  (<= %.2f) %-7s %8.3f %8s %8s %8s %8s\n", w, x, lim, (x <= lim ? "met" : "MISSED"),
                fastest(w, "sampled") / fastest(w, "none"), cell(fl), cell(cn), cell(hk), cell(sm)
        }
        print ""
        print "samplers inside an allocator, at the same 512 KiB mean, each over the same allocator"
        print "without sampling (paired, back to back): jemalloc prof (MALLOC_CONF=prof:true,"
        print "lg_prof_sample:19) and gperftools tcmalloc (TCMALLOC_SAMPLE_PARAMETER=524288); heaptag"
        print "sampled over the uninstrumented run beside them, and each allocator alone over it:"
        printf "  %-14s %8s %13s %10s %10s %10s\n", "workload", "heaptag", "jemalloc prof", "tcmalloc", "jemalloc", "tcmalloc"
        printf "  %-14s %8s %13s %10s %10s %10s\n", "", "sampled", "", "sampling", "alone", "alone"
        for (i = 1; i <= nw; i++) {
            w = order[i]
            if (mt_[w, "sampled"] == "") continue
            ja = mt_[w, "jemalloc"] == "" ? "" : mt_[w, "jemalloc"] / mt_[w, "none"]
            ta = mt_[w, "tcmalloc"] == "" ? "" : mt_[w, "tcmalloc"] / mt_[w, "none"]
            printf "  %-14s %8.3f %13s %10s %10s %10s\n", w, paired(w, "sampled"),
                cell(paired(w, "jeprof", "jemalloc")), cell(paired(w, "tcsample", "tcmalloc")), cell(ja), cell(ta)
        }
        print ""
        print "targets:"
        w = "churn_small"
        if (mt_[w, "none"] != "") {
            x = mt_[w, "heaptag"] / mt_[w, "none"]
            printf "  heaptag time ratio on churn_small <= 1.5:  %.2f  %s\n", x, (x <= 1.5 ? "met" : "MISSED")
        }
        # The RSS target is about a large live set (tree_build: 1M blocks);
        # on the small ones the fixed half megabyte of the tracker is the ratio.
        w = "tree_build"
        if (mr_[w, "none"] != "") {
            x = mr_[w, "heaptag"] / mr_[w, "none"]
            printf "  heaptag peak RSS on tree_build <= 1.3x:  %.2f  %s\n", x, (x <= 1.3 ? "met" : "MISSED")
        }
        worst = 0
        for (i = 1; i <= nw; i++) {
            w = order[i]; x = mr_[w, "heaptag"] / mr_[w, "none"]
            if (x > worst) { worst = x; ww = w }
        }
        printf "  (largest RSS ratio: %s %.2f, +%.1f MB over %.1f MB)\n", ww, worst,
            (mr_[ww, "heaptag"] - mr_[ww, "none"]) / 1024, mr_[ww, "none"] / 1024
        print ""
        print "threads (independent churn: per-thread rings, no locks, no cross-thread frees; ADR-0009):"
        printf "  %-44s %7s %-26s %-7s %s\n", "workload / tool", "x time", "bar", "", "heaptrack x time"
        bar("indep_churn2", "heaptag", "independent churn, 2 threads, heaptag exact", 2.0, "<= 2.0")
        if (mt_["indep_churn1", "stacks"] != "") {
            one = mt_["indep_churn1", "stacks"] / mt_["indep_churn1", "none"]
            bar("indep_churn2", "stacks", "independent churn, 2 threads, stacks 32", 1.25 * one,
                sprintf("<= 1.25 x %.2f (1 thread)", one))
        }
        bar("indep_churn4", "heaptag", "independent churn, 4 threads, heaptag exact", 2.5, "<= 2.5")
        bar("churn_small", "heaptag", "churn_small (1 thread), heaptag exact", 1.7, "<= 1.7")
    }
    function bar(w, tool, label, limit, text,   x, hk) {
        if (mt_[w, tool] == "" || mt_[w, "none"] == "") return
        x = mt_[w, tool] / mt_[w, "none"]
        hk = mt_[w, "heaptrack"] != "" ? sprintf("%.2f", mt_[w, "heaptrack"] / mt_[w, "none"]) : "-"
        printf "  %-44s %7.2f %-26s %-7s %s\n", label, x, text, (x <= limit ? "met" : "MISSED"), hk
    }' "$work/data"
    echo
    # The same rounds by CPU time (user + system of the run): on a shared,
    # loaded machine wall time also counts waiting for a core.
    echo "sampled mode by CPU time (median of the same rounds), ratio to uninstrumented:"
    awk '
    function median(list,   a, n, i, j, t) {
        n = split(list, a, " ")
        for (i = 2; i <= n; i++)
            for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    { if (!($1 in seen)) { seen[$1] = 1; order[++nw] = $1 } c[$1, $2] = c[$1, $2] " " $3 }
    END {
        for (i = 1; i <= nw; i++) {
            w = order[i]
            if (c[w, "sampled"] == "") continue
            b = median(c[w, "none"]); x = median(c[w, "sampled"]) / b
            lim = (w == "churn_small" ? 1.10 : w == "churn_threads" ? 1.15 : 1.05)
            printf "  %-14s none %.3f s  sampled %.3f s  %.3f  (<= %.2f) %s   heaptag %.3f\n", w, b,
                   median(c[w, "sampled"]), x, lim, (x <= lim ? "met" : "MISSED"), median(c[w, "heaptag"]) / b
        }
    }' "$work/cpu"
    echo
    echo "tracker bookkeeping at exit (resident bytes of its own maps and tables, last round):"
    awk '{ last[$1 " " $2] = $3 " " $4 } END { for (k in last) { split(last[k], v, " ");
          if (k ~ / sampled$/) # the sampled peak is an estimate, biased high on a small heap (ADR-0010)
              printf "  %-26s %8.1f MB (peak live blocks: an estimate, %d)\n", k, v[1] / 1048576, v[2]
          else
              printf "  %-26s %8.1f MB for a peak of %d live blocks (%.1f bytes per block)\n", k, v[1] / 1048576, v[2], v[2] ? v[1] / v[2] : 0 } }' \
        "$work/overhead" | sort
} | tee "$out"
echo "(written to $out)" >&2
