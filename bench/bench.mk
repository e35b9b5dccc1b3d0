# `make bench` → bench-tracker: heaptag against heaptrack and valgrind
# massif on malloc-heavy workloads (bench/run-tracker-bench.sh); the table
# goes to build/bench/tracker.txt.  bench/client/ has its own fragment.
BENCH_BIN := $(BUILD)/bench/bin
BENCH_WORKLOADS := churn_small churn_threads realloc_grow tree_build
BENCH_INDEP := $(BENCH_BIN)/indep_churn1 $(BENCH_BIN)/indep_churn2 $(BENCH_BIN)/indep_churn4
BENCH_PROGS := $(BENCH_WORKLOADS:%=$(BENCH_BIN)/%) $(BENCH_INDEP) $(BENCH_BIN)/bench_runner \
	$(BUILD)/bench/lib/libforward_only.so $(BUILD)/bench/lib/libcountdown_only.so

# No sanitizers: these measure speed, and must stay plain -O2 code.
$(BENCH_BIN)/%: bench/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -pthread -o $@ $<

# Independent per-thread churn, one binary per default thread count.
$(BENCH_BIN)/indep_churn%: bench/indep_churn.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -pthread -DTHREADS=$* -o $@ $<

# The floor of any preloaded tracker: forwards the calls, counts nothing
# (bench/forward_only.c).  -fno-plt: one indirect jump to glibc, as heaptag's
# own hooks make.
$(BUILD)/bench/lib/libforward_only.so: bench/forward_only.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -fPIC -shared -fno-plt -o $@ $<

# ... plus the byte countdown any sampler needs (bench/countdown_only.c).
$(BUILD)/bench/lib/libcountdown_only.so: bench/countdown_only.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -fPIC -shared -fno-plt -o $@ $<

bench-tracker: $(BENCH_PROGS) $(LIBHEAPTAG)
	bench/run-tracker-bench.sh $(BUILD)

ALL_TARGETS += $(BENCH_PROGS)
BENCH_TARGETS += bench-tracker
.PHONY: bench-tracker
