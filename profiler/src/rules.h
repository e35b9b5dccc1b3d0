/* Type rules loaded from HEAPTAG_RULES (format: rules_parse.h). */
#ifndef HT_RULES_H
#define HT_RULES_H
#include "ht_common.h"

/* Load the rules file; on error, one warning line and no rules. */
void rules_load(const char *path);
/* The type of the innermost frame matching a rule, or HT_TYPE_UNTAGGED. */
uint32_t rules_type_for(const uintptr_t *frames, uint32_t depth);
/* Number of rules loaded. */
int rules_count(void);
#endif
