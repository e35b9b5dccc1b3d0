# `make bench` → bench-pymem: CPython with pymalloc on, the tests' 100,000
# instances of a 7-attribute class, with `heaptag run --python` against
# the same script alone (bench/run-pymem-bench.sh); the table goes to
# build/bench/pymem.txt.
bench-pymem: $(HEAPTAG_BIN) $(LIBHEAPTAG) $(PYMEM_EXT) $(PYMEM_DIR)/sitecustomize.py
	bench/run-pymem-bench.sh $(BUILD)

BENCH_TARGETS += bench-pymem
.PHONY: bench-pymem
