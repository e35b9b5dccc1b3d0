# `heaptag attach` (tools/attach/, profiler/src/attach.c): a running
# hc-serve under traffic, and each refusal.
AT_BUILD := $(BUILD)/tests/attach
$(AT_BUILD)/static-wait: tests/attach/static_wait.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -static -o $@ $<

TESTS += tests/attach/test-attach.sh
TEST_DEPS += $(AT_BUILD)/static-wait $(HEAPTAG_BIN) $(LIBHEAPTAG) $(HCSERVE)

# late-main dlopens libattach-late.so (by its bare name, through its
# RUNPATH) after the attach.
$(AT_BUILD)/libattach-late.so: tests/attach/late_lib.c profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iprofiler/include -fPIC -shared -fno-builtin-malloc -o $@ $<
$(AT_BUILD)/late-main: tests/attach/late_main.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -o $@ $< -ldl -Wl,--enable-new-dtags -Wl,-rpath,'$$ORIGIN'
TEST_DEPS += $(AT_BUILD)/libattach-late.so $(AT_BUILD)/late-main
