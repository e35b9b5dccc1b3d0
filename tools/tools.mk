# build/bin/heaptag: the command-line tool.  The command entry points and
# shared CLI helpers sit in tools/, each concern in a folder of its own
# (report/, diff/, stacks/, massif/); every file includes across folders
# from the one root -Itools ("report/report.h"), never with "../".
# A tools/*/*.mk fragment (included before this one) may append to
# TOOLS_CFLAGS and TOOLS_LDLIBS; both are expanded when the recipes run.
HEAPTAG_BIN := $(BUILD)/bin/heaptag

TOOLS_SRCS := $(wildcard tools/*.c tools/*/*.c)
# The rules grammar is the tracker's own parser, compiled in unchanged so
# `heaptag run --rules` accepts exactly what libheaptag.so accepts.
TOOLS_OBJS := $(TOOLS_SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/tools/profiler_rules_parse.o
TOOLS_CFLAGS += $(CFLAGS_BASE) $(SANFLAGS) $(call pkgconf,--cflags jansson libdw) -Itools -Iprofiler/src
# libdw symbolizes call stacks; libstdc++ only for __cxa_demangle.
TOOLS_LDLIBS += $(call pkgconf,--libs jansson libdw) -lstdc++ -lm

$(BUILD)/obj/tools/profiler_rules_parse.o: profiler/src/rules_parse.c
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/tools/%.o: tools/%.c
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) -MMD -MP -c $< -o $@

$(HEAPTAG_BIN): $(TOOLS_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) -o $@ $^ $(TOOLS_LDLIBS)

-include $(TOOLS_OBJS:.o=.d)

ALL_TARGETS += $(HEAPTAG_BIN)

install-tools: $(HEAPTAG_BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(HEAPTAG_BIN) $(DESTDIR)$(PREFIX)/bin/heaptag
INSTALL_TARGETS += install-tools
.PHONY: install-tools
