# Sampled mode, pprof output and periodic snapshots (tests/sampling/).
SA_BUILD := $(BUILD)/tests/sampling
$(SA_BUILD)/synth: tests/sampling/synth.c profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iprofiler/include -fno-builtin-malloc -fno-builtin-free -o $@ $<

$(SA_BUILD)/sig-alloc: tests/sampling/sig_alloc.c profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iprofiler/include -fno-builtin-malloc -fno-builtin-free -o $@ $<

$(SA_BUILD)/realloc-fail: tests/sampling/realloc_fail.c profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iprofiler/include -fno-builtin-malloc -fno-builtin-free -fno-builtin-realloc -o $@ $<

$(SA_BUILD)/peak-sites: tests/sampling/peak_sites.c profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iprofiler/include -fno-builtin-malloc -fno-builtin-free -o $@ $<

$(SA_BUILD)/peak-samples: tests/sampling/peak_samples.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -fno-builtin-malloc -fno-builtin-free -o $@ $<

# Lazily bound; bound at start with its GOT then read-only (full RELRO); and
# one that takes malloc's and free's addresses (GLOB_DAT entries, no PLT).
$(SA_BUILD)/plt-binding-lazy: tests/sampling/plt_binding.c profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iprofiler/include -fno-builtin-malloc -fno-builtin-free -fno-builtin-realloc \
		-Wl,-z,lazy -o $@ $<

$(SA_BUILD)/plt-binding-now: tests/sampling/plt_binding.c profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iprofiler/include -fno-builtin-malloc -fno-builtin-free -fno-builtin-realloc \
		-Wl,-z,now -Wl,-z,relro -o $@ $<

$(SA_BUILD)/plt-binding-addr: tests/sampling/plt_binding.c profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iprofiler/include -fno-builtin-malloc -fno-builtin-free -fno-builtin-realloc \
		-DTAKE_ADDRESS -o $@ $<

TEST_DEPS += $(HEAPTAG_BIN) $(LIBHEAPTAG) $(SA_BUILD)/synth $(SA_BUILD)/sig-alloc $(SA_BUILD)/realloc-fail \
	$(SA_BUILD)/peak-sites $(SA_BUILD)/peak-samples $(SA_BUILD)/plt-binding-lazy $(SA_BUILD)/plt-binding-now \
	$(SA_BUILD)/plt-binding-addr
TESTS += tests/sampling/test-estimates.sh tests/sampling/test-pprof.sh \
	tests/sampling/test-keep-scene.sh tests/sampling/test-bad-env.sh tests/sampling/test-snapshots.sh \
	tests/sampling/test-realloc-fail.sh tests/sampling/test-peak-sites.sh \
	tests/sampling/test-peak-samples.sh tests/sampling/test-plt-binding.sh

# The sampled-block table on its own, against a reference (cmocka).
$(SA_BUILD)/test_sample_table: tests/sampling/test_sample_table.c profiler/src/sample_table.c \
		profiler/src/os_mem.c profiler/src/sample_table.h profiler/src/sampling.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iprofiler/src -o $@ tests/sampling/test_sample_table.c \
		profiler/src/sample_table.c profiler/src/os_mem.c $(shell pkg-config --libs cmocka)
TEST_DEPS += $(SA_BUILD)/test_sample_table
TESTS += $(SA_BUILD)/test_sample_table
