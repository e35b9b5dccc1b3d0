# heaptag — top-level build.  Non-recursive: each component adds its rules
# from its own fragment (profiler/profiler.mk, tools/tools.mk, …), so one
# `make` sees the whole dependency graph and builds out of tree into build/.
#
#   make            build everything (all client modes)
#   make test       run every test; the last line is "N passed, N failed"
#   make bench      run the benchmarks against their competitors
#   make validate   the ADR-007 validation (reports/footprint.*)
#   make sanitize   the client and heaptag command suites under ASan and UBSan
#   make install PREFIX=/usr/local

BUILD    ?= build
PREFIX   ?= /usr/local
CC       ?= gcc
CXX      ?= g++
MODES    := dict slots allslots
# `make MODE=dict` builds (and tests) one client mode only.
MODE     ?=
ifneq ($(MODE),)
BUILD_MODES := $(MODE)
else
BUILD_MODES := $(MODES)
endif

WARN     := -Wall -Wextra -Werror
OPT      ?= -O2 -g
CFLAGS_BASE := -std=gnu11 $(WARN) $(OPT) -D_GNU_SOURCE -fno-omit-frame-pointer
CXXFLAGS_BASE := -std=gnu++17 $(WARN) $(OPT) -D_GNU_SOURCE
# Extra flags for sanitizer builds: make SAN=asan / SAN=ubsan (client/tools only;
# the preloaded tracker is never built with a sanitizer runtime).
SAN      ?=
ifeq ($(SAN),asan)
SANFLAGS := -fsanitize=address -fno-sanitize-recover=all
else ifeq ($(SAN),ubsan)
SANFLAGS := -fsanitize=undefined -fno-sanitize-recover=all
else
SANFLAGS :=
endif

# A fresh machine needs nothing by hand: every make (but clean) first makes
# sure the Debian packages are there, installing what is missing when root
# (scripts/install-deps.sh; it prints the apt-get line otherwise).  This
# runs at parse time because fragments ask pkg-config for flags.
ifeq ($(filter clean,$(MAKECMDGOALS)),)
ifneq ($(HEAPTAG_DEPS_CHECKED),1)
DEPS_STATUS := $(shell scripts/install-deps.sh --quiet >&2; echo $$?)
ifneq ($(DEPS_STATUS),0)
$(error Debian packages are missing: see the install-deps message above)
endif
export HEAPTAG_DEPS_CHECKED := 1
endif
endif

ALL_TARGETS   :=
TESTS         :=
BENCH_TARGETS :=
INSTALL_TARGETS :=

.PHONY: all test bench validate install clean deps
all: build-all

# Each folder's fragment adds to ALL_TARGETS, TESTS, TEST_DEPS,
# BENCH_TARGETS and INSTALL_TARGETS.  Fragments live beside their sources.
include profiler/profiler.mk
include $(sort $(wildcard python/*.mk profiler/*/*.mk tools/*.mk tools/*/*.mk client/*.mk client/*/*.mk tests/*/*.mk bench/*.mk bench/*/*.mk validate/*.mk))

build-all: $(ALL_TARGETS)
.PHONY: build-all

# Every test is an executable or script listed in TESTS; tests/run-tests.sh
# runs each, keeps its log under build/test-logs/ and prints the summary line.
test: build-all $(TEST_DEPS)
	@BUILD=$(abspath $(BUILD)) MODES="$(BUILD_MODES)" tests/run-tests.sh $(TESTS)

bench: build-all $(BENCH_TARGETS)

deps:
	scripts/install-deps.sh

# The suites under AddressSanitizer and UBSan: the client in every mode, and
# the heaptag command (built into build/tools-<san>/ by the script).
sanitize:
	$(MAKE) SAN=asan client-test
	$(MAKE) SAN=ubsan client-test
	scripts/sanitizer-tests.sh
.PHONY: sanitize

install: build-all $(INSTALL_TARGETS)

clean:
	rm -rf $(BUILD)
