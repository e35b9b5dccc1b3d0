# Tests of call stacks in the heaptag command: symbolization, per-site
# figures, folded stacks, massif output and type rules (tests/stacks/).
# The programs are built without sanitizers (they run under LD_PRELOAD),
# with -rdynamic (rules see exported symbols only), without sibling calls
# (a tail call would take its caller off the stack) and with the builtins
# that would let the compiler merge or drop allocations turned off.
ST_BUILD := $(BUILD)/tests/stacks
ST_CFLAGS := $(CFLAGS_BASE) -Iprofiler/include -rdynamic -fno-optimize-sibling-calls \
	-fno-builtin-malloc -fno-builtin-free -fno-builtin-calloc -fno-builtin-realloc

$(ST_BUILD)/stacks-prog-fp: tests/stacks/stacks_prog.c profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CC) $(ST_CFLAGS) -fno-omit-frame-pointer -o $@ $<

$(ST_BUILD)/stacks-prog-nofp: tests/stacks/stacks_prog.c profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CC) $(ST_CFLAGS) -fomit-frame-pointer -o $@ $<

$(ST_BUILD)/stacks-prog-tagged: tests/stacks/stacks_prog.c profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CC) $(ST_CFLAGS) -DTAGGED -o $@ $<

$(ST_BUILD)/stacks-cxx: tests/stacks/stacks_cxx.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS_BASE) -fno-omit-frame-pointer -fno-optimize-sibling-calls -fno-builtin \
		-fno-allocation-dce -o $@ $<

# Hard frames for test-unwind-check.sh, with and without frame pointers.
$(ST_BUILD)/unwind-prog-fp: tests/stacks/unwind_prog.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -fno-builtin-malloc -fno-builtin-free -O0 -fno-omit-frame-pointer \
		-pthread -o $@ $< -ldl

$(ST_BUILD)/unwind-prog-nofp: tests/stacks/unwind_prog.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -fno-builtin-malloc -fno-builtin-free -O2 -fomit-frame-pointer \
		-pthread -o $@ $< -ldl

$(ST_BUILD)/unwind-mod-fp.so: tests/stacks/unwind_mod.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -O0 -fno-omit-frame-pointer -fPIC -shared -o $@ $<

$(ST_BUILD)/unwind-mod-nofp.so: tests/stacks/unwind_mod.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -O2 -fomit-frame-pointer -fPIC -shared -o $@ $<

# test-unwind-check.sh also validates its reports with the profiler
# suite's report-check.
TEST_DEPS += $(ST_BUILD)/unwind-prog-fp $(ST_BUILD)/unwind-prog-nofp \
	$(ST_BUILD)/unwind-mod-fp.so $(ST_BUILD)/unwind-mod-nofp.so $(PT_CHECK)
TEST_DEPS += $(HEAPTAG_BIN) $(ST_BUILD)/stacks-prog-fp $(ST_BUILD)/stacks-prog-nofp \
	$(ST_BUILD)/stacks-prog-tagged $(ST_BUILD)/stacks-cxx
TESTS += tests/stacks/test-sites.sh tests/stacks/test-formats.sh tests/stacks/test-rules.sh \
	tests/stacks/test-cxx.sh tests/stacks/test-system-programs.sh tests/stacks/test-unwind-check.sh
