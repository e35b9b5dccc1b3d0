/* launch.h: start a program as heaptag's child, wait for it, and end the way it ended;
 * what `heaptag run` and `heaptag massif` share. */
#ifndef HEAPTAG_TOOLS_LAUNCH_H
#define HEAPTAG_TOOLS_LAUNCH_H

#include <stddef.h>
#include <sys/types.h>

struct ht_launch {
    char *const *argv;       /* the program and its arguments, found on $PATH */
    const char *preload;     /* put in front of the child's LD_PRELOAD; NULL: leave it */
    const char *heaptag_out; /* the child's HEAPTAG_OUT; NULL: leave it */
    const char *log_file;    /* the child's stdout and stderr, stdin /dev/null, SIGPIPE
                              * default; NULL: the child inherits all of them untouched */
    int forward_signals;     /* pass SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2
                              * on to the child while it runs */
    int mark_run_pid;        /* set the child's HEAPTAG_RUN_PID to its own pid, so the
                              * tracker tells the child from the processes it starts */
};

/* What became of a launch. */
struct ht_launched {
    pid_t pid;
    int status;     /* wait status, when the program ran */
    int exec_errno; /* non-zero: the program could not be executed (status is then
                     * the child's 127 for ENOENT, else 126) */
};

/* Run l->argv and wait for it.  0 when a child was started (look at
 * out->exec_errno to know whether the program itself ran), -1 with a
 * one-line reason in ERR when heaptag could not start one. */
int ht_launch(const struct ht_launch *l, struct ht_launched *out, char *err, size_t errlen);

/* libheaptag.so for this heaptag binary: $HEAPTAG_LIB when set, else
 * ../lib/libheaptag.so beside the running binary.  A malloc'd absolute path
 * that is readable, or NULL with errno set and the path tried in TRIED
 * (empty when /proc/self/exe could not be read). */
char *ht_find_tracker(char *tried, size_t triedlen);

/* The exit status of a program that could not be executed: 127 when it was
 * not found, 126 otherwise, as shells report it. */
int ht_exec_failure_status(int exec_errno);

/* End as a child with wait status STATUS ended: its exit status, or death
 * by its signal (without a core dump of our own).  Returns only the exit
 * status to return from main, or 128 + signal if the signal did not kill. */
int ht_exit_like(int status);

#endif
