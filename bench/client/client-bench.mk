# The client benchmark: hc-load (each mode) against curl-load (libcurl) on
# the same loopback server in the same run.  `make bench-client`.
CURL_LOAD := $(BUILD)/bin/curl-load

$(CURL_LOAD): bench/client/curl-load.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(SANFLAGS) $(shell pkg-config --cflags libcurl) -o $@ $< $(shell pkg-config --libs libcurl)

ALL_TARGETS += $(CURL_LOAD)

bench-client: $(CURL_LOAD) $(HCSERVE)
	BUILD=$(abspath $(BUILD)) MODES="$(BUILD_MODES)" bench/client/bench-client.sh
.PHONY: bench-client
BENCH_TARGETS += bench-client
