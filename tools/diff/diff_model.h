/* Two or more reports lined up type by type, with the figures `heaptag diff` prints and the
 * claims it judges.
 *
 * The renderers (diff_text.c, diff_html.c) only format what is computed here, so every
 * output format shows the same numbers.
 */
#ifndef HEAPTAG_TOOLS_DIFF_MODEL_H
#define HEAPTAG_TOOLS_DIFF_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "report/report.h"

struct diff_input {
    char *label;
    const char *path;
    struct ht_report *r;
};

/* One type in one report.  Bytes per instance are < 0 when the type has no
 * instances there (or is absent). */
struct diff_cell {
    int present;
    int has_payload;
    int64_t instances, peak_live_instances;
    int64_t live_bytes, peak_live_bytes, peak_live_usable_bytes;
    int64_t payload_peak_live_bytes, payload_peak_live_usable_bytes;
    double bpi_object, bpi_object_usable;
    double bpi_payload, bpi_payload_usable;
};

struct diff_row {
    const char *name;
    struct diff_cell *cells; /* one per input */
};

enum claim_basis { CLAIM_REQUESTED, CLAIM_USABLE };

struct diff_claim {
    char *spec;       /* as given, for messages */
    const char *type; /* NULL: the whole program's peak */
    int with_payload; /* TYPE+payload */
    int about;        /* TYPE=~PCT: holds only inside PCT +- tolerance */
    double claimed_pct;
    size_t against; /* input index compared with the baseline */
    /* results */
    double before, after; /* bytes (per instance for a type) */
    double measured_pct;  /* saving, baseline -> against */
    double margin_pp;     /* measured - claimed */
    double factor;        /* measured / claimed; 0 when the claim is 0 */
    int side;             /* -1 below the band, 0 inside, +1 above */
    int holds;
};

struct diff_model {
    size_t ninputs;
    struct diff_input *inputs;
    size_t nrows;
    struct diff_row *rows;
    double tolerance_pp;
    enum claim_basis basis;
    size_t nclaims;
    struct diff_claim *claims;
};

/* Build the rows from loaded inputs (inputs[0] is the baseline). */
int diff_model_build(struct diff_model *m);

/* Parse "[LABEL:][TYPE[+payload]=][~]PCT[%]" into one claim per comparison it
 * applies to (LABEL given: that one; else every non-baseline input),
 * appending to m->claims.  -1 with a reason in ERR for a malformed claim or
 * one about a type that cannot be judged (absent or without instances). */
int diff_model_add_claim(struct diff_model *m, const char *spec, char *err, size_t errlen);

/* Judge every claim; returns the number that do not hold.  "PCT" holds
 * when the saving is at least PCT - tolerance; "~PCT" (about PCT) only when
 * it lies within PCT +- tolerance, so a saving twice the claim does not
 * pass for "about" it. */
size_t diff_model_judge(struct diff_model *m);

/* The verdict in one or two words: "holds", "does not hold" (an at-least
 * claim), "exceeds" or "falls short" (an about claim outside its band). */
const char *diff_claim_verdict(const struct diff_claim *c);

void diff_model_free(struct diff_model *m);

/* Percentage change from A to B (negative: B is smaller); 0 when A is 0. */
double diff_pct(double a, double b);

#endif
