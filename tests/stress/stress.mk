# Stress and hostile-input tests of the tracker and the heaptag command
# (tests/stress/t-*.sh).  The programs run under LD_PRELOAD, so they are
# built without sanitizers and with -fno-builtin-* (the compiler must not
# drop or merge the allocation calls whose counts the tests assert).
STRESS_BUILD := $(BUILD)/tests/stress
STRESS_CFLAGS := $(CFLAGS_BASE) -Iprofiler/include -pthread \
	-fno-builtin-malloc -fno-builtin-free -fno-builtin-calloc -fno-builtin-realloc
STRESS_PROGS := $(addprefix $(STRESS_BUILD)/,threads64 fork-threads spawn-chain signal-storm oom)

$(STRESS_PROGS): $(STRESS_BUILD)/%: tests/stress/progs/%.c profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CC) $(STRESS_CFLAGS) -o $@ $<

TEST_DEPS += $(STRESS_PROGS) $(BUILD)/tests/profiler/report-check $(LIBHEAPTAG) $(HEAPTAG_BIN)
TESTS += tests/stress/t-threads.sh tests/stress/t-fork.sh tests/stress/t-spawn.sh \
	tests/stress/t-signals.sh tests/stress/t-oom.sh tests/stress/t-hostile-tracker.sh \
	tests/stress/t-hostile-tools.sh

stress-progs: $(STRESS_PROGS)
.PHONY: stress-progs
