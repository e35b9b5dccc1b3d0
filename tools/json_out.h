/* The one way the heaptag command prints a JSON document (`report --format json`, `diff
 * --format json`): indented, reals with ten significant digits, a final newline. */
#ifndef HEAPTAG_TOOLS_JSON_OUT_H
#define HEAPTAG_TOOLS_JSON_OUT_H

#include <jansson.h>
#include <stdio.h>

/* Write DOC to OUT and release it (NULL, as a failed json_pack gives, is
 * an error).  0, or -1. */
int ht_json_emit(json_t *doc, FILE *out);

#endif
