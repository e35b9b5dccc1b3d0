# heaptag against Valgrind DHAT and massif on real programs (python3, perl,
# sort, git, gzip, xz).  `make crosscheck` prints the table alone.
TESTS += tests/crosscheck/crosscheck-test.sh
TEST_DEPS += $(LIBHEAPTAG) $(HEAPTAG_BIN)

crosscheck: $(LIBHEAPTAG) $(HEAPTAG_BIN)
	tests/crosscheck/crosscheck.py $(BUILD)
.PHONY: crosscheck
