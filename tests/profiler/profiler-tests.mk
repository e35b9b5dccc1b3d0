# Tests of the preloaded tracker (libheaptag.so).  Test programs live in
# tests/profiler/progs/ and compute the figures the tracker must report
# (progs/model.c); report-check validates reports and compares them with
# those figures.  The scripts tests/profiler/t-*.sh are the TESTS entries.
#
# Test programs are never built with sanitizers (they run under LD_PRELOAD)
# and with -fno-builtin-* so the compiler cannot merge or drop the
# allocation calls whose counts the tests assert.

PT_BUILD := $(BUILD)/tests/profiler
PT_CFLAGS := $(CFLAGS_BASE) -Iprofiler/include -Itests/profiler/progs -pthread \
	-fno-builtin-malloc -fno-builtin-free -fno-builtin-calloc -fno-builtin-realloc
PT_CXXFLAGS := $(CXXFLAGS_BASE) -Iprofiler/include -Itests/profiler/progs -pthread \
	-fno-builtin -fno-allocation-dce

PT_CHECK := $(PT_BUILD)/report-check
PT_CHECK_SRCS := tests/profiler/report-check.c tests/profiler/report-validate.c \
	tests/profiler/report-expect.c

$(PT_CHECK): $(PT_CHECK_SRCS) tests/profiler/report-check.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(shell pkg-config --cflags jansson) -o $@ $(PT_CHECK_SRCS) \
		$(shell pkg-config --libs jansson)

$(PT_BUILD)/model.o: tests/profiler/progs/model.c tests/profiler/progs/model.h profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CC) $(PT_CFLAGS) -c $< -o $@

# C test programs: one source each, linked with the model.
PT_C_PROGS := det-types prector threads-exact fork-storm exec-chain foreign-free \
	exit-modes signal-wait plain reentrancy odd-names no-cxx-runtime peak-phases
PT_C_BINS := $(addprefix $(PT_BUILD)/,$(PT_C_PROGS))

$(PT_C_BINS): $(PT_BUILD)/%: tests/profiler/progs/%.c $(PT_BUILD)/model.o \
		tests/profiler/progs/model.h profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CC) $(PT_CFLAGS) -o $@ $< $(PT_BUILD)/model.o $(PT_EXTRA_LIBS) -ldl

# prector links a library whose constructor allocates before libheaptag's.
$(PT_BUILD)/libprector-lib.so: tests/profiler/progs/prector-lib.c profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CC) $(PT_CFLAGS) -fPIC -shared -o $@ $<
$(PT_BUILD)/prector: $(PT_BUILD)/libprector-lib.so
$(PT_BUILD)/prector: PT_EXTRA_LIBS = -L$(PT_BUILD) -lprector-lib -Wl,-rpath,'$$ORIGIN'

# A library dlopen()ed by foreign-free (with RTLD_DEEPBIND, so its malloc is
# libc's own) and by reentrancy (its constructor allocates).
$(PT_BUILD)/libplugin.so: tests/profiler/progs/plugin.c profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CC) $(PT_CFLAGS) -fPIC -shared -o $@ $<

$(PT_BUILD)/cpp-new: tests/profiler/progs/cpp-new.cc $(PT_BUILD)/model.o \
		tests/profiler/progs/model.h profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CXX) $(PT_CXXFLAGS) -o $@ $< $(PT_BUILD)/model.o

TEST_DEPS += $(PT_CHECK) $(PT_C_BINS) $(PT_BUILD)/libprector-lib.so \
	$(PT_BUILD)/libplugin.so $(PT_BUILD)/cpp-new $(LIBHEAPTAG)

TESTS += tests/profiler/t00-report-check.sh tests/profiler/t01-det-types.sh tests/profiler/t02-before-constructor.sh \
	tests/profiler/t03-threads.sh tests/profiler/t04-fork.sh tests/profiler/t05-exec.sh \
	tests/profiler/t06-foreign-free.sh tests/profiler/t07-exit-paths.sh \
	tests/profiler/t08-signals.sh tests/profiler/t09-cplusplus.sh \
	tests/profiler/t10-jemalloc.sh tests/profiler/t11-unchanged-behaviour.sh \
	tests/profiler/t12-bad-env.sh tests/profiler/t13-reentrancy.sh \
	tests/profiler/t14-odd-names.sh tests/profiler/t15-daemon-nginx.sh \
	tests/profiler/t16-peak-phases.sh

# Build only what the tracker tests need: make profiler-tests
profiler-tests: $(PT_CHECK) $(PT_C_BINS) $(PT_BUILD)/libprector-lib.so \
	$(PT_BUILD)/libplugin.so $(PT_BUILD)/cpp-new
.PHONY: profiler-tests

# size_bucket()'s table against its formula (cmocka).
$(PT_BUILD)/test_size_bucket: tests/profiler/test_size_bucket.c profiler/src/stats_hist.c \
		profiler/src/stats_hist.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iprofiler/src -o $@ tests/profiler/test_size_bucket.c \
		profiler/src/stats_hist.c $(shell pkg-config --libs cmocka)
TEST_DEPS += $(PT_BUILD)/test_size_bucket
TESTS += $(PT_BUILD)/test_size_bucket
