# Tests of the heaptag command (tools/).  The shell tests find the binary
# and helpers through $BUILD, which tests/run-tests.sh exports.
TOOLS_TEST_DIR := $(BUILD)/tests/tools

$(TOOLS_TEST_DIR)/fake_tracker.so: tests/tools/fake_tracker.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -fPIC -shared -o $@ $<

$(TOOLS_TEST_DIR)/run_child: tests/tools/run_child.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -o $@ $<

$(TOOLS_TEST_DIR)/test_units: tests/tools/test_units.c tools/units.c tools/report/report_locate.c \
		tools/units.h tools/report/report_locate.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(SANFLAGS) -Itools -o $@ tests/tools/test_units.c tools/units.c \
		tools/report/report_locate.c -lcmocka -lm

TEST_DEPS += $(HEAPTAG_BIN) $(TOOLS_TEST_DIR)/fake_tracker.so $(TOOLS_TEST_DIR)/run_child \
	$(TOOLS_TEST_DIR)/test_units
TESTS += $(TOOLS_TEST_DIR)/test_units \
	tests/tools/test-report.sh tests/tools/test-check.sh tests/tools/test-diff.sh \
	tests/tools/test-run.sh tests/tools/test-run-tracker.sh tests/tools/test-html-screenshot.sh \
	tests/tools/test-output-paths.sh tests/tools/test-odd-names.sh tests/tools/test-input-files.sh
