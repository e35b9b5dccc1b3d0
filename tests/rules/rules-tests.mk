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
TEST_DEPS += $(RT_BUILD)/glibc-prog
