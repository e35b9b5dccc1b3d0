# Tests of the allocator API (heaptag_block_alloc & co.): a program with its
# own pool allocator, instrumented, and its exact figures.
CT_BUILD := $(BUILD)/tests/custom
$(CT_BUILD)/pool: tests/custom/pool.c profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iprofiler/include -fno-builtin-malloc -fno-builtin-free -o $@ $<

$(CT_BUILD)/pool-threads: tests/custom/pool_threads.c profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iprofiler/include -pthread -fno-builtin-malloc -fno-builtin-free -o $@ $<

TESTS += tests/custom/test-pool.sh
TEST_DEPS += $(CT_BUILD)/pool $(CT_BUILD)/pool-threads $(LIBHEAPTAG) $(BUILD)/tests/profiler/report-check
