# _heaptag_pymem, the CPython hooks (python/heaptag_pymem/), built for
# Debian's /usr/bin/python3 into $(BUILD)/lib/heaptag/python/ beside its
# sitecustomize.py: `heaptag run --python` puts that folder on PYTHONPATH.
PYMEM_PY := /usr/bin/python3
PYMEM_DIR := $(BUILD)/lib/heaptag/python
PYMEM_SUFFIX := $(shell $(PYMEM_PY) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))' 2>/dev/null)
PYMEM_INC := $(shell $(PYMEM_PY) -c 'import sysconfig; print(sysconfig.get_paths()["include"])' 2>/dev/null)
PYMEM_EXT := $(PYMEM_DIR)/_heaptag_pymem$(PYMEM_SUFFIX)

ifneq ($(PYMEM_SUFFIX),)
$(PYMEM_EXT): python/heaptag_pymem/_heaptag_pymem.c profiler/include/heaptag.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -fPIC -shared -I$(PYMEM_INC) -Iprofiler/include -o $@ $<

$(PYMEM_DIR)/sitecustomize.py: python/heaptag_pymem/sitecustomize.py
	@mkdir -p $(dir $@)
	cp $< $@

ALL_TARGETS += $(PYMEM_EXT) $(PYMEM_DIR)/sitecustomize.py

install-pymem: $(PYMEM_EXT) $(PYMEM_DIR)/sitecustomize.py
	install -d $(DESTDIR)$(PREFIX)/lib/heaptag/python
	install -m 0644 $(PYMEM_EXT) $(PYMEM_DIR)/sitecustomize.py $(DESTDIR)$(PREFIX)/lib/heaptag/python/
INSTALL_TARGETS += install-pymem
.PHONY: install-pymem
endif
