# validate/ — `make validate`: the ADR-007 footprint validation.
#
#   make validate                  full run (reports/footprint.*, docs/adr/0007 results)
#   make validate VALIDATE_REQUESTS=2000 VALIDATE_REPS=2   a smaller run
#
# hc-scene is built per client mode against that mode's libhc.a, so the
# same source measures the three object layouts.

VALIDATE_SCENE_LIBS := -lssl -lcrypto -lz -ljansson -lpthread -lm

define VALIDATE_MODE_RULES
$(BUILD)/validate/$(1)/hc-scene: validate/hc-scene.c client/include/hc.h $(BUILD)/$(1)/lib/libhc.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS_BASE) -Iclient/include -o $$@ $$< $(BUILD)/$(1)/lib/libhc.a $$(VALIDATE_SCENE_LIBS)

VALIDATE_SCENES += $(BUILD)/validate/$(1)/hc-scene
endef

VALIDATE_SCENES :=
$(foreach m,$(MODES),$(eval $(call VALIDATE_MODE_RULES,$(m))))
ALL_TARGETS += $(VALIDATE_SCENES)

validate: build-all
	BUILD=$(abspath $(BUILD)) validate/run-validate.sh
