# Tests of the run page (`heaptag report --format html`, tools/html/): the
# drawing code on its own (test_svg), the page of real stacks runs in
# headless Chromium, a 100,000-site report, bad input, and chart labels
# measured by Chromium.  The shell tests use the stacks test programs
# (tests/stacks/).
HTML_TEST_DIR := $(BUILD)/tests/html

$(HTML_TEST_DIR)/test_svg: tests/html/test_svg.c tools/html/svg.c tools/html/svg.h tools/units.c tools/units.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(SANFLAGS) -Itools -o $@ tests/html/test_svg.c tools/html/svg.c tools/units.c \
		-lcmocka -lm

TEST_DEPS += $(HEAPTAG_BIN) $(BUILD)/tests/stacks/stacks-prog-tagged $(HTML_TEST_DIR)/test_svg
TESTS += $(HTML_TEST_DIR)/test_svg tests/html/test-page.sh tests/html/test-page-large.sh \
	tests/html/test-page-errors.sh tests/html/test-labels-fit.sh
