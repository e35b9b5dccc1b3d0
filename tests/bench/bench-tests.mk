# The tracker benchmark's own test (tests/bench/): the script runs end to
# end at a tiny scale and prints every cell, the sampled bars' layers among
# them.
TESTS += tests/bench/test-tracker-bench.sh
TEST_DEPS += $(BENCH_PROGS) $(LIBHEAPTAG)
