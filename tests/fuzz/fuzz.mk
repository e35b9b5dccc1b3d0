# libFuzzer targets (clang, libclang-rt-14-dev) for every parser that reads
# untrusted bytes: the HTTP response head and field parsers, the chunked
# decoder, the URL parser, the report reader, the massif.out parser and the
# rules parser.  Each links the parser's own source, built with ASan and
# UBSan.  `make test` runs each for a few seconds (tests/fuzz/run-fuzz.sh);
# `make fuzz` runs each for FUZZ_SECONDS (default 120) and prints the
# executions reached.  Crash reproducers are kept in
# tests/fuzz/regressions/<target>/ and replayed by every run.
FUZZ_BUILD := $(BUILD)/tests/fuzz
FUZZ_CC := clang
FUZZ_FLAGS := -std=gnu11 -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -Wall -Wextra -Werror
FUZZ_TARGETS := http_head chunked url report massif rules
FUZZ_BINS := $(addprefix $(FUZZ_BUILD)/fuzz_,$(FUZZ_TARGETS))
FUZZ_SECONDS ?= 120

fuzz_srcs_http_head := client/src/parser.c
fuzz_srcs_chunked := client/src/chunked.c client/src/parser.c
fuzz_srcs_url := client/src/url.c client/src/xalloc.c
fuzz_srcs_report := tools/report/report.c tools/infile.c
fuzz_srcs_massif := tools/massif/massif_parse.c tools/infile.c
fuzz_srcs_rules := profiler/src/rules_parse.c
fuzz_inc_http_head := -Iclient/src
fuzz_inc_chunked := -Iclient/src
fuzz_inc_url := -Iclient/src
fuzz_inc_report = -Itools $(call pkgconf,--cflags jansson)
fuzz_inc_massif := -Itools
fuzz_inc_rules := -Iprofiler/src
fuzz_libs_report = $(call pkgconf,--libs jansson)

.SECONDEXPANSION:
$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $$(fuzz_srcs_$$*)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(fuzz_inc_$*) -o $@ $< $(fuzz_srcs_$*) $(fuzz_libs_$*)

TEST_DEPS += $(FUZZ_BINS)
TESTS += tests/fuzz/run-fuzz.sh tests/fuzz/cli-paths.sh

# cli-paths.sh: the heaptag command against every kind of path (symlinks,
# FIFOs, devices, directories) in every place it reads or writes one.
fuzz: $(FUZZ_BINS) $(HEAPTAG_BIN)
	BUILD=$(abspath $(BUILD)) FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run-fuzz.sh
	BUILD=$(abspath $(BUILD)) tests/fuzz/cli-paths.sh
fuzz-targets: $(FUZZ_BINS)
.PHONY: fuzz fuzz-targets
