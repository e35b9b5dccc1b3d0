/* Reading HEAPTAG_* variables.  getenv does not allocate; the values are
 * copied because a program may change its environment later. */
#include "settings.h"
#include "ht_common.h"
#include "text_buf.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct settings settings = {
    .out_template = "heaptag.%e.%p.json",
    .sigusr2 = SIGUSR2_DUMP_THEN_DEFAULT,
};

/* The stderr the program started with.  A program may close fd 2 and
 * reuse the number for a file of its own; a warning must never land there. */
static dev_t stderr_dev;
static ino_t stderr_ino;
static int stderr_known;

static int stderr_is_original(void)
{
    struct stat st;
    return stderr_known && fstat(2, &st) == 0 && st.st_dev == stderr_dev && st.st_ino == stderr_ino;
}

void ht_warn(const char *first, ...)
{
    if (settings.quiet || !stderr_is_original())
        return;
    char line[1024];
    struct text_buf tb = TEXT_BUF(line, sizeof line - 1);
    tb_str(&tb, "heaptag: ");
    va_list ap;
    va_start(ap, first);
    for (const char *s = first; s; s = va_arg(ap, const char *))
        tb_mem(&tb, s, strnlen(s, 900));
    va_end(ap);
    if (tb.truncated) {
        tb.truncated = 0;
        tb.len = sizeof line - 5;
        tb_str(&tb, "...");
    }
    line[tb.len++] = '\n';
    (void)!write(2, line, tb.len);
}

const char *template_problem(const char *t)
{
    if (!*t)
        return "it is empty";
    if (strlen(t) >= HT_PATH_MAX - 64)
        return "it is too long";
    for (const char *p = t; *p; p++) {
        if (*p != '%')
            continue;
        p++;
        if (*p != 'p' && *p != 'e' && *p != '%')
            return "only %p, %e and %% may follow a %";
    }
    if (t[strlen(t) - 1] == '/')
        return "it names a directory";
    return NULL;
}

/* A 0/1 switch; anything else warns and keeps the default. */
static int read_switch(const char *name, int fallback)
{
    const char *v = getenv(name);
    if (!v)
        return fallback;
    if (strcmp(v, "0") == 0)
        return 0;
    if (strcmp(v, "1") == 0)
        return 1;
    ht_warn("ignoring ", name, "='", v, "' (it takes 0 or 1)", NULL);
    return fallback;
}

void settings_load(void)
{
    struct stat err_st;
    if (fstat(2, &err_st) == 0) {
        stderr_dev = err_st.st_dev;
        stderr_ino = err_st.st_ino;
        stderr_known = 1;
    }
    /* HEAPTAG_QUIET first: it decides whether the other warnings show. */
    const char *q = getenv("HEAPTAG_QUIET");
    settings.quiet = q && strcmp(q, "1") == 0;
    if (q && strcmp(q, "0") != 0 && strcmp(q, "1") != 0)
        ht_warn("ignoring HEAPTAG_QUIET='", q, "' (it takes 0 or 1)", NULL);
    settings.dump_on_signal = read_switch("HEAPTAG_DUMP_ON_SIGNAL", 0);
    settings.unwind_check = read_switch("HEAPTAG_UNWIND_CHECK", 0);
    const char *u2 = getenv("HEAPTAG_SIGUSR2");
    if (u2 && strcmp(u2, "continue") == 0)
        settings.sigusr2 = SIGUSR2_CONTINUE;
    else if (u2 && strcmp(u2, "0") != 0 && strcmp(u2, "1") != 0)
        ht_warn("ignoring HEAPTAG_SIGUSR2='", u2, "' (it takes 0, 1 or continue)", NULL);
    else
        settings.sigusr2 = read_switch("HEAPTAG_SIGUSR2", SIGUSR2_DUMP_THEN_DEFAULT);

    const char *out = getenv("HEAPTAG_OUT");
    if (out) {
        const char *why = template_problem(out);
        if (why)
            ht_warn("ignoring HEAPTAG_OUT='", out, "': ", why, NULL);
        else
            memcpy(settings.out_template, out, strlen(out) + 1);
    }
    const char *run_pid = getenv("HEAPTAG_RUN_PID");
    const char *others = getenv("HEAPTAG_RUN_OTHERS");
    if (run_pid && others && !template_problem(others)) {
        char *end;
        long pid = strtol(run_pid, &end, 10);
        if (*run_pid && !*end && pid > 0) {
            settings.run_pid = pid;
            memcpy(settings.run_others, others, strlen(others) + 1);
        }
    }
    const char *st = getenv("HEAPTAG_STACKS");
    if (st) {
        char *end;
        long d = strtol(st, &end, 10);
        if (*st && !*end && d >= 0 && d <= 128)
            settings.stack_depth = (int)d;
        else
            ht_warn("ignoring HEAPTAG_STACKS='", st, "' (it takes a depth from 0 to 128)", NULL);
    }
    const char *tl = getenv("HEAPTAG_TIMELINE");
    if (tl) {
        if (strcmp(tl, "ms") == 0)
            settings.timeline_ms = 1;
        else if (strcmp(tl, "bytes") != 0)
            ht_warn("ignoring HEAPTAG_TIMELINE='", tl, "' (it takes bytes or ms)", NULL);
    }
    const char *rules = getenv("HEAPTAG_RULES");
    if (rules && *rules)
        settings.rules_path = rules;
    settings.have_start_dir = getcwd(settings.start_dir, sizeof settings.start_dir) != NULL;
}
