/* The tracker's settings, read once from HEAPTAG_* environment variables
 * in the constructor.  A bad value costs one warning line and its default. */
#ifndef HT_SETTINGS_H
#define HT_SETTINGS_H
#include "ht_common.h"

#define HT_PATH_MAX 4096

struct settings {
    char out_template[HT_PATH_MAX]; /* HEAPTAG_OUT */
    char start_dir[HT_PATH_MAX];    /* where relative report paths go */
    int have_start_dir;
    int dump_on_signal;     /* HEAPTAG_DUMP_ON_SIGNAL */
    int sigusr2;            /* HEAPTAG_SIGUSR2: SIGUSR2_* */
    int quiet;              /* HEAPTAG_QUIET */
    int stack_depth;        /* HEAPTAG_STACKS: 0 (off) .. 128 */
    int unwind_check;       /* HEAPTAG_UNWIND_CHECK */
    int timeline_ms;        /* HEAPTAG_TIMELINE=ms (default bytes) */
    const char *rules_path; /* HEAPTAG_RULES, or NULL */
    /* Set by `heaptag run -o`: the pid of its child, and the template
     * every other process of the run writes to. */
    long run_pid;                 /* HEAPTAG_RUN_PID */
    char run_others[HT_PATH_MAX]; /* HEAPTAG_RUN_OTHERS */
};

/* HEAPTAG_SIGUSR2: 0 leaves SIGUSR2 alone; 1 (the default) writes a report
 * and then the signal acts as it would without the tracker (terminates a
 * program that has no handler); continue writes a report and goes on. */
enum { SIGUSR2_OFF = 0, SIGUSR2_DUMP_THEN_DEFAULT = 1, SIGUSR2_CONTINUE = 2 };

extern HT_HIDDEN struct settings settings;

void settings_load(void);
/* "heaptag: " + the strings (a NULL ends the list) + "\n" on stderr in one
 * write(2), unless quiet.  Async-signal-safe. */
void ht_warn(const char *first, ...) __attribute__((sentinel));
/* Check a report path template: NULL if fine, else what is wrong. */
const char *template_problem(const char *t);
#endif
