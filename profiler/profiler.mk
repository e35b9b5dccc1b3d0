# libheaptag.so: the preloadable tracker.  Its only dependencies are libc
# (libdl/libpthread are libc on glibc >= 2.34) and libunwind, for stacks.  It is built with
# -ftls-model=initial-exec so no TLS access can call into the allocator, and
# with -fno-builtin-malloc so the compiler never folds our wrappers away.
PROFILER_SRCS := $(wildcard profiler/src/*.c)
PROFILER_OBJS := $(PROFILER_SRCS:profiler/src/%.c=$(BUILD)/obj/profiler/%.o)
PROFILER_CFLAGS := $(CFLAGS_BASE) -fPIC -fvisibility=hidden -ftls-model=initial-exec \
	-fno-builtin-malloc -fno-builtin-free -fno-builtin-calloc -fno-builtin-realloc \
	-fno-stack-protector -Iprofiler/include -Iprofiler/src
LIBHEAPTAG := $(BUILD)/lib/libheaptag.so

$(BUILD)/obj/profiler/%.o: profiler/src/%.c $(wildcard profiler/src/*.h) profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CC) $(PROFILER_CFLAGS) -MMD -c $< -o $@

# An operator new that throws unwinds through our wrapper (cxx_hooks.c).
$(BUILD)/obj/profiler/cxx_hooks.o: PROFILER_CFLAGS += -fexceptions
# The hooks, and the modes' own entry points beside them, run on every
# allocation: a frame pointer there costs four instructions a call, and
# the stack walk (ours or libunwind's) reads their CFI anyway.
$(BUILD)/obj/profiler/alloc_hooks.o: PROFILER_CFLAGS += -fomit-frame-pointer

$(LIBHEAPTAG): $(PROFILER_OBJS)
	@mkdir -p $(dir $@)
	$(CC) -shared -o $@ $^ -Wl,-z,nodelete -Wl,-z,now -Wl,--no-undefined -lunwind -ldl -lpthread

ALL_TARGETS += $(LIBHEAPTAG)

install-profiler: $(LIBHEAPTAG)
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 0755 $(LIBHEAPTAG) $(DESTDIR)$(PREFIX)/lib/libheaptag.so
	install -m 0644 profiler/include/heaptag.h $(DESTDIR)$(PREFIX)/include/heaptag.h
	sed -e 's|@PREFIX@|$(PREFIX)|g' profiler/heaptag.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/heaptag.pc
INSTALL_TARGETS += install-profiler
.PHONY: install-profiler
