# Tests of `heaptag massif` (tools/massif/): the massif.out parser on real
# and corrupted files (cmocka), the command line's error handling, and an
# end-to-end run where massif's and heaptag's peaks must agree exactly.
MASSIF_TEST_DIR := $(BUILD)/tests/massif

# -O0 -fno-inline: every allocating function keeps its frame, so massif's
# tree names grow_buffer/build_list/make_table as the test expects.
$(MASSIF_TEST_DIR)/massif_peak_prog: tests/massif/massif_peak_prog.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) -O0 -g -fno-inline -D_GNU_SOURCE -o $@ $<

$(MASSIF_TEST_DIR)/test_massif_parse: tests/massif/test_massif_parse.c \
		tools/massif/massif_parse.c \
		tools/massif/massif_parse.h tools/infile.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(SANFLAGS) -Itools \
		-DFIXTURE_DIR='"$(abspath tests/massif/fixtures)"' \
		-o $@ tests/massif/test_massif_parse.c tools/massif/massif_parse.c \
		tools/infile.c $(shell pkg-config --libs cmocka)

TESTS += $(MASSIF_TEST_DIR)/test_massif_parse tests/massif/massif-cli.sh tests/massif/massif-e2e.sh
TEST_DEPS += $(MASSIF_TEST_DIR)/test_massif_parse $(MASSIF_TEST_DIR)/massif_peak_prog \
	$(BUILD)/bin/heaptag $(BUILD)/lib/libheaptag.so
