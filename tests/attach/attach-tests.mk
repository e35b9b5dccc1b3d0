# `heaptag attach` (tools/attach/, profiler/src/attach.c): a running
# hc-serve under traffic, and each refusal.
AT_BUILD := $(BUILD)/tests/attach
$(AT_BUILD)/static-wait: tests/attach/static_wait.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -static -o $@ $<

TESTS += tests/attach/test-attach.sh
TEST_DEPS += $(AT_BUILD)/static-wait $(HEAPTAG_BIN) $(LIBHEAPTAG) $(HCSERVE)
