# Tests of the rule packs (profiler/rules/): each pack on the program it
# is written for, untagged, against an independent measure of the same
# types (tests/rules/).
TESTS += tests/rules/test-cpython.sh
TEST_DEPS += $(HEAPTAG_BIN) $(LIBHEAPTAG)
