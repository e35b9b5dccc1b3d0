# Tests of the rule packs (profiler/rules/): each pack on the program it
# is written for, untagged, against an independent measure of the same
# types (tests/rules/).
TESTS += tests/rules/test-cpython.sh
TEST_DEPS += $(HEAPTAG_BIN) $(LIBHEAPTAG)

# A program without tagging that calls into the parts of glibc that
# allocate for themselves (tests/rules/glibc_prog.c).
RT_BUILD := $(BUILD)/tests/rules
$(RT_BUILD)/glibc-prog: tests/rules/glibc_prog.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -o $@ $<

TESTS += tests/rules/test-glibc.sh
TESTS += tests/rules/test-client.sh
TEST_DEPS += $(RT_BUILD)/glibc-prog

# The reference client built without tagging (-DHEAPTAG_DISABLE: not even
# the weak-symbol checks remain), from the client's own sources and flags,
# one folder per mode: build/rules-untagged/<mode>/bin/hc-load.  Types come
# from profiler/rules/hc-client.rules instead.
# -fno-optimize-sibling-calls: a tail call (hc_headers_new ending in
# ho_new) would take the function that names the type off the stack.
RT_UNTAGGED = $(BUILD)/rules-untagged/$(1)
RT_UNTAGGED_CFLAGS = $(CLIENT_CFLAGS) -DHEAPTAG_DISABLE -fno-optimize-sibling-calls
define RT_UNTAGGED_RULES
$(call RT_UNTAGGED,$(1))/obj/%.o: client/src/%.c $(CLIENT_HDRS)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(RT_UNTAGGED_CFLAGS) $(call client_mode_flag,$(1)) -c $$< -o $$@

$(call RT_UNTAGGED,$(1))/obj/cmd/hc-load.o: client/cmd/hc-load.c $(CLIENT_HDRS)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(RT_UNTAGGED_CFLAGS) -Iclient/cmd -c $$< -o $$@

$(call RT_UNTAGGED,$(1))/bin/hc-load: $(call RT_UNTAGGED,$(1))/obj/cmd/hc-load.o \
		$(patsubst client/src/%.c,$(call RT_UNTAGGED,$(1))/obj/%.o,$(CLIENT_SRCS))
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS_BASE) -o $$@ $$^ $$(CLIENT_LIBS)

TEST_DEPS += $(call RT_UNTAGGED,$(1))/bin/hc-load
endef
$(foreach m,$(BUILD_MODES),$(eval $(call RT_UNTAGGED_RULES,$(m))))
