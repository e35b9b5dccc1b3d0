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
#   make deps       install the Debian packages (scripts/install-deps.sh)
#   make format     apply .clang-format to every C source; format-check: fail on a difference
#   make lint       the ten longest functions (fail at 100 lines), the files' opening comments

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

# A fresh machine needs nothing by hand, and no make installs anything while
# it reads this file: the Debian packages are a target.  $(DEPS_STAMP) runs
# scripts/install-deps.sh (which installs what is missing when root, and
# prints the apt-get line otherwise) once, and again when that script
# changes.  Every file target depends on the stamp through .EXTRA_PREREQS
# (a hidden prerequisite: it is not in $$^), so the packages are there
# before the first compile; pkg-config is asked for flags only when a
# recipe runs (recursively expanded variables).  `make -n` prints the
# install step without running it.
DEPS_STAMP := $(BUILD)/.deps-stamp
.EXTRA_PREREQS := $(DEPS_STAMP)
# pkgconf(ARGS): pkg-config's answer, read when the recipe using it runs.
pkgconf = $(shell pkg-config $(1) 2>/dev/null)

ALL_TARGETS   :=
TESTS         :=
BENCH_TARGETS :=
INSTALL_TARGETS :=

.PHONY: all test bench validate install clean deps
all: build-all

# Each folder's fragment adds to ALL_TARGETS, TESTS, TEST_DEPS,
# BENCH_TARGETS and INSTALL_TARGETS.  Fragments live beside their sources.
include profiler/profiler.mk
include $(sort $(wildcard profiler/*/*.mk python/*.mk python/*/*.mk tools/*.mk tools/*/*.mk client/*.mk client/*/*.mk tests/*/*.mk bench/*.mk bench/*/*.mk validate/*.mk))

build-all: $(ALL_TARGETS)
.PHONY: build-all

# Every test is an executable or script listed in TESTS; tests/run-tests.sh
# runs each, keeps its log under build/test-logs/ and prints the summary line.
test: build-all $(TEST_DEPS)
	@BUILD=$(abspath $(BUILD)) MODES="$(BUILD_MODES)" tests/run-tests.sh $(TESTS)

bench: build-all $(BENCH_TARGETS)

$(DEPS_STAMP): scripts/install-deps.sh
	scripts/install-deps.sh --quiet
	@mkdir -p $(dir $@) && touch $@

# `make deps` always asks (and renews the stamp).
deps:
	scripts/install-deps.sh
	@mkdir -p $(dir $(DEPS_STAMP)) && touch $(DEPS_STAMP)

# The suites under AddressSanitizer and UBSan: the client in every mode, and
# the heaptag command (built into build/tools-<san>/ by the script).
sanitize:
	$(MAKE) SAN=asan client-test
	$(MAKE) SAN=ubsan client-test
	scripts/sanitizer-tests.sh
.PHONY: sanitize

install: build-all $(INSTALL_TARGETS)

# The house style (.clang-format, scripts/format.sh) and the lint
# (scripts/lint.sh: function lengths by ctags, opening comments).
format: $(DEPS_STAMP)
	scripts/format.sh
format-check: $(DEPS_STAMP)
	scripts/format.sh --check
lint: $(DEPS_STAMP)
	scripts/lint.sh
.PHONY: format format-check lint

clean:
	rm -rf $(BUILD)

# Files that must not wait for the packages: the stamp and what it is made
# from, the makefiles themselves (make remakes those before anything else,
# even under -n), and the targets that install or remove nothing.
$(DEPS_STAMP) scripts/install-deps.sh $(MAKEFILE_LIST) deps clean: .EXTRA_PREREQS :=
