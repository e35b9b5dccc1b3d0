/* The one JSON writer of the heaptag command (json_out.h). */

#include "json_out.h"

int ht_json_emit(json_t *doc, FILE *out)
{
    if (!doc)
        return -1;
    int rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    fputc('\n', out);
    json_decref(doc);
    return rc;
}
