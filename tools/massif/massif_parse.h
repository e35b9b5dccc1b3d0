/* A parser for the text files valgrind's massif writes (massif.out.PID).
 *
 * The parser is a pure function over a buffer: it reads nothing else, keeps
 * no global state and never trusts the input (it is fuzzed).  Anything that
 * does not match the format massif writes is rejected with a one-line
 * message naming the line, rather than half-understood.
 *
 * The format, as valgrind 3.x writes it:
 *
 *   desc: <options>
 *   cmd: <command line>
 *   time_unit: i|ms|B
 *   #-----------
 *   snapshot=0
 *   #-----------
 *   time=<n>
 *   mem_heap_B=<n>
 *   mem_heap_extra_B=<n>
 *   mem_stacks_B=<n>
 *   heap_tree=empty|detailed|peak
 *   [tree lines, only for detailed and peak]
 *   ...
 *
 * A tree line is "<depth spaces>n<children>: <bytes> <label>", children
 * following their parent one space deeper.  The root's label is
 * "(heap allocation functions) ..."; others are "0xADDR: fn (file:line)",
 * "0xADDR: fn (in /lib/object.so)" or "in N places, below massif's
 * threshold (...)".
 */
#ifndef HEAPTAG_MASSIF_PARSE_H
#define HEAPTAG_MASSIF_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* One node of a snapshot's allocation tree, stored flat in file order
** (pre-order) so that no walk needs recursion however deep the tree. */
struct massif_node {
    uint64_t bytes;      /* heap bytes allocated beneath this point */
    uint64_t addr;       /* code address; 0 for the root and summaries */
    int depth;           /* 0 for the root */
    int parent;          /* index of the parent node, -1 for the root */
    int nchildren;       /* as declared by "nK:" (verified) */
    int below_threshold; /* the "in N places, below threshold" summary */
    char *fn;            /* function name ("???" when unknown); for the
                           ** root and summaries, the whole label */
    char *where;         /* "file:line", "in /lib/x.so", or "" */
};

enum massif_tree_kind { MASSIF_TREE_EMPTY, MASSIF_TREE_DETAILED, MASSIF_TREE_PEAK };

struct massif_snapshot {
    int index;
    uint64_t time;
    uint64_t heap;       /* mem_heap_B: bytes the program asked for */
    uint64_t heap_extra; /* mem_heap_extra_B: massif's estimate of
                           ** allocator headers and rounding */
    uint64_t stacks;     /* mem_stacks_B (0 unless --stacks=yes) */
    enum massif_tree_kind tree_kind;
    int nnodes; /* 0 for an empty tree */
    struct massif_node *nodes;
};

struct massif_profile {
    char *desc;
    char *cmd;
    char *time_unit;
    int nsnapshots;
    struct massif_snapshot *snapshots;
    int peak_snapshot; /* index of the heap_tree=peak snapshot, or -1 */
    int max_snapshot;  /* index of the snapshot with the largest
                           ** mem_heap_B (the first if tied), -1 if none */
};

/* Parse len bytes of buf.  On success fill *out and return 0; the caller
** frees it with massif_profile_free().  On failure return -1, leave *out
** empty (safe to free) and write a one-line reason, without a newline,
** into err (errlen bytes, always NUL-terminated when errlen > 0). */
int massif_parse(const char *buf, size_t len, struct massif_profile *out, char *err, size_t errlen);

void massif_profile_free(struct massif_profile *p);

/* The heap total the profile peaked at: the largest mem_heap_B of any
** snapshot.  With --peak-inaccuracy=0 it is the peak snapshot's own. */
uint64_t massif_peak_heap(const struct massif_profile *p);

/* Functions that called the allocator directly at the peak (the root's
** children in the peak snapshot's tree, or the largest detailed snapshot's
** when the file has no peak tree), merged by function name and sorted by
** bytes, largest first, ties by name.  The summary of sites below massif's
** threshold is reported as one entry named "(below threshold)". */
struct massif_fn_total {
    const char *fn;    /* borrowed from the profile */
    const char *where; /* the first site's location */
    uint64_t bytes;
};

/* Set *out to a malloc'd array of the entries (the caller frees it) and
** return how many there are; return -1 (and set *out to NULL) if the
** profile has no tree to read or memory runs out.  When tree_heap is not
** NULL it receives the heap total of the snapshot the tree came from. */
int massif_peak_functions(const struct massif_profile *p, struct massif_fn_total **out,
                          uint64_t *tree_heap);

/* Read a whole file into a malloc'd buffer (NUL-terminated; *len excludes
** the NUL).  Returns NULL with errno set on failure. */
char *massif_read_file(const char *path, size_t *len);

#endif
