# hc-serve: the deterministic loopback HTTP/1.1 server (docs/server.md).
# Built once, not per client mode: it is the peer, not the thing measured.
HCSERVE_SRCS := $(wildcard client/server/*.c)
HCSERVE_OBJS := $(HCSERVE_SRCS:client/server/%.c=$(BUILD)/obj/server/%.o)
HCSERVE := $(BUILD)/bin/hc-serve

$(BUILD)/obj/server/%.o: client/server/%.c $(wildcard client/server/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(SANFLAGS) -MMD -c $< -o $@

$(HCSERVE): $(HCSERVE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(SANFLAGS) -o $@ $^ -lz

ALL_TARGETS += $(HCSERVE)
