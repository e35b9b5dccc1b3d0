# Tests of the run page (`heaptag report --format html`, tools/html/): the
# page of real stacks runs in headless Chromium, a 100,000-site report, and
# bad input.  They use the stacks test programs (tests/stacks/).
TEST_DEPS += $(HEAPTAG_BIN) $(BUILD)/tests/stacks/stacks-prog-tagged
TESTS += tests/html/test-page.sh tests/html/test-page-large.sh tests/html/test-page-errors.sh \
	tests/html/test-labels-fit.sh
