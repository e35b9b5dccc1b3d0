# tests/client — the client's unit and loopback tests, built and run once
# per mode of $(BUILD_MODES) against that mode's libhc.a.  Test binaries go
# to build/<mode>[-san]/tests/client/.

CLIENT_TEST_SRCS := $(wildcard tests/client/test_*.c)
CLIENT_TEST_HELPERS := tests/client/canned_server.c
CLIENT_TEST_HDRS := $(wildcard tests/client/*.h)

define CLIENT_TEST_RULES
$(call client_dir,$(1))/tests/client/%: tests/client/%.c $(CLIENT_TEST_HELPERS) $(CLIENT_TEST_HDRS) $(call client_dir,$(1))/lib/libhc.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CLIENT_CFLAGS) $(call client_mode_flag,$(1)) -Itests/client -o $$@ $$< $(CLIENT_TEST_HELPERS) \
		$(call client_dir,$(1))/lib/libhc.a -lcmocka $$(CLIENT_LIBS)

CLIENT_TEST_BINS += $(patsubst tests/client/%.c,$(call client_dir,$(1))/tests/client/%,$(CLIENT_TEST_SRCS))
endef

CLIENT_TEST_BINS :=
$(foreach m,$(BUILD_MODES),$(eval $(call CLIENT_TEST_RULES,$(m))))
TESTS += $(CLIENT_TEST_BINS)
TEST_DEPS += $(CLIENT_TEST_BINS)

client-test: $(CLIENT_TEST_BINS) $(CLIENT_TARGETS)
	@BUILD=$(abspath $(BUILD)) tests/run-tests.sh $(CLIENT_TEST_BINS)
.PHONY: client-test

# Scripts run once for all modes (they loop over $MODES themselves) and use
# build/bin/hc-serve, built by client/server/.
CLIENT_TEST_SCRIPTS := tests/client/test-hc-cli.sh tests/client/test-hc-load-valgrind.sh
ifeq ($(SAN),)
TESTS += $(CLIENT_TEST_SCRIPTS)
endif
