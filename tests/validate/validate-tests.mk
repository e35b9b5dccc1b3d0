# tests/validate/ — `make validate` reduced in size and run twice: same
# per-instance figures and verdicts, same ADR results block.
TESTS += tests/validate/test-validate-repeat.sh
TEST_DEPS += $(foreach m,$(MODES),$(BUILD)/validate/$(m)/hc-scene)
