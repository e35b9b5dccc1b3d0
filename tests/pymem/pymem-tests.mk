# CPython with pymalloc on, under `heaptag run --python` (python/heaptag_pymem/).
TESTS += tests/pymem/test-pymem.sh
TEST_DEPS += $(HEAPTAG_BIN) $(LIBHEAPTAG) $(PYMEM_EXT) $(PYMEM_DIR)/sitecustomize.py
