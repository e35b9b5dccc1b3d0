# The corpus of real programs run with and without the tracker
# (tests/corpus/run-corpus.sh).  Its own programs — a multithreaded one, one
# that starts children every way, a C++ one — are built like the programs
# heaptag is preloaded into: plain -O2, no sanitizer.
CORPUS_BUILD := $(BUILD)/tests/corpus
CORPUS_PROGS := $(CORPUS_BUILD)/mt-work $(CORPUS_BUILD)/spawner $(CORPUS_BUILD)/cxx-containers

$(CORPUS_BUILD)/%: tests/corpus/progs/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -pthread -o $@ $<

$(CORPUS_BUILD)/cxx-containers: tests/corpus/progs/cxx-containers.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS_BASE) -o $@ $<

TEST_DEPS += $(CORPUS_PROGS) $(BUILD)/tests/profiler/report-check $(LIBHEAPTAG)
TESTS += tests/corpus/run-corpus.sh

corpus: $(CORPUS_PROGS) $(BUILD)/tests/profiler/report-check $(LIBHEAPTAG)
	BUILD=$(abspath $(BUILD)) tests/corpus/run-corpus.sh
.PHONY: corpus
