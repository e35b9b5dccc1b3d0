# validate/ — `make validate`: the ADR-007 footprint validation
# (validate/run-validate.sh; its environment variables size the run).
#
#   make validate                                   the full run, ~2 minutes:
#       reports/footprint.{txt,md,json,html}, the results block of
#       docs/adr/0007-slots-for-hot-objects.md, the verdict table on stdout;
#       C in three modes, the same classes in CPython (validate/py_scene.py),
#       a body-size sweep (VALIDATE_SWEEP)
#   make validate VALIDATE_REQUESTS=2000 VALIDATE_ADR=   smaller, docs untouched
#
# hc-scene is compiled once per client mode against that mode's libhc.a, so
# one source drives the three object layouts.  The validation needs all
# three modes, whatever MODE= says.

VALIDATE_SCENE_LIBS := -lssl -lcrypto -lz -ljansson -lpthread -lm

define VALIDATE_MODE_RULES
$(BUILD)/validate/$(1)/hc-scene: validate/hc-scene.c client/include/hc.h $(BUILD)/$(1)/lib/libhc.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS_BASE) -Iclient/include -o $$@ $$< $(BUILD)/$(1)/lib/libhc.a $$(VALIDATE_SCENE_LIBS)
endef

$(foreach m,$(BUILD_MODES),$(eval $(call VALIDATE_MODE_RULES,$(m))))
VALIDATE_SCENES := $(foreach m,$(MODES),$(BUILD)/validate/$(m)/hc-scene)
ALL_TARGETS += $(foreach m,$(BUILD_MODES),$(BUILD)/validate/$(m)/hc-scene)

# Forwarded only when given, so run-validate.sh's defaults stay in one place.
VALIDATE_VARS := VALIDATE_REQUESTS VALIDATE_CHURN_REQUESTS VALIDATE_MASSIF_REQUESTS \
    VALIDATE_MASSIF_CHURN_REQUESTS VALIDATE_REPS VALIDATE_PATH VALIDATE_OUT VALIDATE_ADR \
    VALIDATE_SWEEP VALIDATE_SWEEP_REQUESTS VALIDATE_PY_REQUESTS VALIDATE_JOBS
validate_env = $(foreach v,$(VALIDATE_VARS),$(if $(filter-out undefined,$(origin $(v))),$(v)='$($(v))'))

validate: build-all $(VALIDATE_SCENES)
ifneq ($(MODE),)
	@echo "make validate needs every client mode; run it without MODE=$(MODE)" >&2; exit 2
endif
	@BUILD=$(abspath $(BUILD)) $(validate_env) validate/run-validate.sh
