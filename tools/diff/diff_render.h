/* The output formats of `heaptag diff`. */
#ifndef HEAPTAG_TOOLS_DIFF_RENDER_H
#define HEAPTAG_TOOLS_DIFF_RENDER_H

#include <stddef.h>
#include <stdio.h>

#include "diff/diff_model.h"

void diff_render_table(FILE *out, const struct diff_model *m);
void diff_render_markdown(FILE *out, const struct diff_model *m);
int diff_render_json(FILE *out, const struct diff_model *m);
void diff_render_html(FILE *out, const struct diff_model *m);

/* One claim's verdict as a sentence (no newline), shared by every format:
 * "Response per instance, dict -> slots: claimed 40% saving, measured
 *  39.3% (280 -> 170 B): holds (margin -0.7 pp)". */
const char *diff_claim_subject(const struct diff_model *m, const struct diff_claim *c, char *buf,
                               size_t len);
void diff_claim_sentence(const struct diff_model *m, const struct diff_claim *c, char *buf,
                         size_t len);
/* The rule both claim forms are judged by, in one line. */
const char *diff_claim_rule(const struct diff_model *m, char *buf, size_t len);

#endif
