/* The stacks-mode parts of a report (docs/report-format.md:
 *
 * "timeline", "details", "modules", "sites", per-type temporary_calls and size_hist) loaded
 * into plain structs.  ht_report_load() has already checked the rest of the report; this
 * adds the checks that the per-site numbers are consistent on their own.
 */
#ifndef HEAPTAG_TOOLS_STACKS_H
#define HEAPTAG_TOOLS_STACKS_H

#include <stddef.h>
#include <stdint.h>

struct ht_report;

#define HT_SIZE_HIST 24

struct ht_module {
    char *path;
    uint64_t start, end, offset;
};

struct ht_site {
    int64_t id;
    char *type;
    size_t nframes;
    uint64_t *frames; /* return addresses, innermost first */
    int64_t alloc_calls, free_calls, bytes_requested;
    int64_t live_bytes, peak_live_bytes, live_usable_bytes, peak_live_usable_bytes;
    int64_t live_blocks, temporary_calls, live_at_peak;
    int64_t size_hist[HT_SIZE_HIST];
};

struct ht_sample {
    int64_t t_bytes, t_ms, live_bytes, live_usable_bytes, live_blocks;
    int64_t detail; /* index into details, or -1 */
};

struct ht_detail {
    size_t npairs;
    int64_t *pairs; /* site id, live bytes; ... */
};

struct ht_type_extra {
    char *name;
    int64_t temporary_calls;
    int64_t size_hist[HT_SIZE_HIST];
};

struct ht_stacks {
    int depth, rules;
    int unit_ms; /* timeline unit: 0 bytes, 1 ms */
    int64_t interval;
    size_t nmodules, nsites, nsamples, ndetails, ntypes;
    struct ht_module *modules; /* sorted by start */
    struct ht_site *sites;
    struct ht_sample *samples;
    struct ht_detail *details;
    struct ht_type_extra *types;
};

/* The stacks parts of a loaded report (from its parsed document, not the
 * file again).  NULL with a one-line reason in ERR when they are
 * malformed. */
struct ht_stacks *ht_stacks_load(const struct ht_report *r, char *err, size_t errlen);
void ht_stacks_free(struct ht_stacks *s);

const struct ht_site *ht_stacks_site(const struct ht_stacks *s, int64_t id);
const struct ht_type_extra *ht_stacks_type(const struct ht_stacks *s, const char *name);

/* The module a frame address falls into, or NULL. */
const struct ht_module *ht_stacks_module(const struct ht_stacks *s, uint64_t addr);

#endif
