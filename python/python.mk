# python/ — the heaptag package for Python (python/heaptag/): the tagging
# API of heaptag.h for Python code, through ctypes (docs/python.md).
#
#   make install PREFIX=/usr/local   also installs the package where
#                                    Debian's python3 looks for it:
#                                    $(PREFIX)/lib/python3.X/dist-packages
#
# PYTHON_PKG_FILES lists what is installed into the package directory;
# a compiled module beside __init__.py (e.g. _pymem) is appended to it by
# the fragment that builds it.
PYTHON_FOR_INSTALL ?= /usr/bin/python3
PYTHON_SITE ?= $(PREFIX)/lib/python$(shell $(PYTHON_FOR_INSTALL) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo 3)/dist-packages
PYTHON_PKG_FILES += $(wildcard python/heaptag/*.py)

install-python: $(PYTHON_PKG_FILES)
	install -d $(DESTDIR)$(PYTHON_SITE)/heaptag
	install -m 0644 $(PYTHON_PKG_FILES) $(DESTDIR)$(PYTHON_SITE)/heaptag/
INSTALL_TARGETS += install-python
.PHONY: install-python
