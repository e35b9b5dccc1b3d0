# Integration tests against real servers on loopback (hc-serve, nginx,
# httpbin): hc-serve's own endpoints with curl, and build/<mode>/bin/hc
# compared with curl for every mode in $(BUILD_MODES).
HTTP_TESTS := tests/http/test-hc-serve.sh tests/http/test-fixtures.sh \
	tests/http/test-hc-vs-curl-hc-serve.sh tests/http/test-hc-vs-curl-nginx.sh \
	tests/http/test-hc-vs-curl-httpbin.sh tests/http/test-hc-hostile.sh \
	tests/http/test-hc-bodies.sh
TESTS += $(wildcard $(HTTP_TESTS))
TEST_DEPS += $(HCSERVE)
