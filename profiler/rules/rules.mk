# The rule packs (profiler/rules/*.rules, docs/rules.md) install as data:
#   $(PREFIX)/share/heaptag/rules/{cpython,glibc,hc-client}.rules
RULE_PACKS := $(wildcard profiler/rules/*.rules)

install-rules: $(RULE_PACKS)
	install -d $(DESTDIR)$(PREFIX)/share/heaptag/rules
	install -m 0644 $(RULE_PACKS) $(DESTDIR)$(PREFIX)/share/heaptag/rules/
INSTALL_TARGETS += install-rules
.PHONY: install-rules
