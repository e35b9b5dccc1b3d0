/* A heaptag report (docs/report-format.md, version 1) loaded into plain structs, so the
 * subcommands never touch JSON themselves. */
#ifndef HEAPTAG_TOOLS_REPORT_H
#define HEAPTAG_TOOLS_REPORT_H

#include <stddef.h>
#include <stdint.h>

struct ht_totals {
    int64_t alloc_calls, free_calls, bytes_requested;
    int64_t live_bytes, peak_live_bytes;
    int64_t live_usable_bytes, peak_live_usable_bytes;
    int64_t live_blocks, peak_live_blocks;
    int64_t realloc_calls, failed_calls, foreign_free_calls;
};

struct ht_type {
    char *name;
    int64_t instances, live_instances, peak_live_instances;
    int64_t alloc_calls, free_calls, bytes_requested;
    int64_t live_bytes, peak_live_bytes;
    int64_t live_usable_bytes, peak_live_usable_bytes;
    int64_t live_blocks;
};

struct ht_report {
    char *path;
    char *program;
    int64_t pid, ppid;
    char *reason;
    int64_t duration_ms;
    int concurrent; /* written while other threads may have been allocating */
    char *allocator;
    struct ht_totals totals;
    int64_t overhead_bytes, peak_overhead_bytes; /* peak: -1 if not reported */
    size_t ntypes;
    struct ht_type *types;
    void *json;    /* the parsed document (a json_t), for readers of the
			 * extensions (stacks_load.c): a report is parsed once */
    size_t *index; /* open addressing on the name's hash: position in
			 * types + 1, 0 for empty; index_cap a power of two */
    size_t index_cap;
};

/* Load and validate PATH.  On failure returns NULL and writes a one-line
 * reason (no path, no newline) into ERR. */
struct ht_report *ht_report_load(const char *path, char *err, size_t errlen);
void ht_report_free(struct ht_report *r);

/* For the readers of a report (report.c, stacks_load.c): format a one-line
 * reason into ERR and return -1. */
int ht_report_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The type named NAME, or NULL.  Constant time (a hash index that
 * ht_report_sort keeps up to date). */
const struct ht_type *ht_report_find(const struct ht_report *r, const char *name);

/* peak_live_bytes / peak_live_instances, or a negative value for a type
 * without instances (bytes per instance is meaningless there). */
double ht_type_bytes_per_instance(const struct ht_type *t);

enum ht_sort { HT_SORT_PEAK, HT_SORT_LIVE, HT_SORT_NAME };
/* Sort the types in place: by descending peak (or live) bytes, ties by
 * name; or by name. */
void ht_report_sort(struct ht_report *r, enum ht_sort how);
int ht_sort_parse(const char *s, enum ht_sort *out);

#endif
