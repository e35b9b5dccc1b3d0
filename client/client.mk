# client/ — the reference HTTP client, built once per object-layout mode.
#
#   make MODE=slots          build/slots/{lib/libhc.a,bin/hc,bin/hc-load}
#   make                     every mode of $(BUILD_MODES)
#   make SAN=asan MODE=slots build/slots-asan/... (sanitizer builds never
#                            overwrite the normal ones)
#
# The mode only changes which types are fixed-slot structs (src/types.c);
# every source file is compiled per mode so nothing is shared by accident.

CLIENT_SRCS := $(wildcard client/src/*.c)
CLIENT_HDRS := $(wildcard client/src/*.h) client/include/hc.h profiler/include/heaptag.h
CLIENT_LIBS := -lssl -lcrypto -lz -ljansson -lpthread -lm
CLIENT_SAN_SUFFIX := $(if $(SAN),-$(SAN))

# client_dir(mode): the build folder of one mode.
client_dir = $(BUILD)/$(1)$(CLIENT_SAN_SUFFIX)
client_mode_flag = -DHC_MODE_$(shell echo $(1) | tr a-z A-Z)
CLIENT_CFLAGS = $(CFLAGS_BASE) $(SANFLAGS) -Iclient/include -Iclient/src -Iprofiler/include

define CLIENT_MODE_RULES
$(call client_dir,$(1))/obj/client/%.o: client/src/%.c $(CLIENT_HDRS)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CLIENT_CFLAGS) $(call client_mode_flag,$(1)) -c $$< -o $$@

$(call client_dir,$(1))/obj/client/cmd/%.o: client/cmd/%.c $(CLIENT_HDRS) $(wildcard client/cmd/*.h)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CLIENT_CFLAGS) -Iclient/cmd -c $$< -o $$@

$(call client_dir,$(1))/lib/libhc.a: $(patsubst client/src/%.c,$(call client_dir,$(1))/obj/client/%.o,$(CLIENT_SRCS))
	@mkdir -p $$(dir $$@)
	rm -f $$@
	ar rcs $$@ $$^

$(call client_dir,$(1))/bin/hc: $(call client_dir,$(1))/obj/client/cmd/hc.o $(call client_dir,$(1))/lib/libhc.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS_BASE) $$(SANFLAGS) -o $$@ $$^ $$(CLIENT_LIBS)

$(call client_dir,$(1))/bin/hc-load: $(call client_dir,$(1))/obj/client/cmd/hc-load.o $(call client_dir,$(1))/lib/libhc.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS_BASE) $$(SANFLAGS) -o $$@ $$^ $$(CLIENT_LIBS)

CLIENT_TARGETS += $(call client_dir,$(1))/lib/libhc.a
CLIENT_TARGETS += $(if $(wildcard client/cmd/hc.c),$(call client_dir,$(1))/bin/hc)
CLIENT_TARGETS += $(if $(wildcard client/cmd/hc-load.c),$(call client_dir,$(1))/bin/hc-load)
endef

CLIENT_TARGETS :=
$(foreach m,$(BUILD_MODES),$(eval $(call CLIENT_MODE_RULES,$(m))))
ALL_TARGETS += $(CLIENT_TARGETS)

client: $(CLIENT_TARGETS)
.PHONY: client
