# tests/validate/ — `make validate` reduced in size and run twice: same
# per-instance figures and verdicts, same ADR results block; the about form
# of `heaptag diff --claim` on the client's real reports; the Python
# binding; the body-size sweep's chart in headless Chromium.
TESTS += tests/validate/test-validate-repeat.sh tests/validate/test-claim-about.sh \
	tests/validate/test-py-binding.sh tests/validate/test-sweep-screenshot.sh
TEST_DEPS += $(foreach m,$(MODES),$(BUILD)/validate/$(m)/hc-scene)
