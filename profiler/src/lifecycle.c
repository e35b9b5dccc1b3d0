/* Start, fork, signals and exit.
 *
 * The constructor runs after every allocation made by the libraries loaded
 * before us (those went through the hooks already, resolving the next
 * allocator on demand), so it only reads settings, registers the fork
 * handlers and signal handlers, and starts the clock.  The destructor runs
 * from exit() — from main's return or from any thread — after the
 * program's own atexit handlers and destructors, and writes the report. */
#include "elf_symbols.h"
#include "fast_unwind.h"
#include "gate.h"
#include "hot_path.h"
#include "ht_common.h"
#include "lifecycle.h"
#include "next_alloc.h"
#include "overflow_table.h"
#include "plt_bind.h"
#include "preload_order.h"
#include "report.h"
#include "scope_stack.h"
#include "rules.h"
#include "sampling.h"
#include "settings.h"
#include "site_table.h"
#include "snapshot.h"
#include "stack_capture.h"
#include "timeline.h"
#include "type_registry.h"
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/single_threaded.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The pid this image runs as, kept current in fork children: a process
 * whose getpid() differs is a vfork or posix_spawn child sharing our
 * memory, which must not write a report of its parent's counters. */
static pid_t own_pid;
/* Set when our constructor starts. */
static int constructing;
/* Whether the process had other threads when it last forked. */
static int threads_at_fork;

/* Fork: the child must not inherit a spinlock held by a thread that does
 * not exist there, so fork holds every tracker lock across the copy.  No
 * lock is ever held while calling out to code that could wait on fork. */
static void before_fork(void)
{
    threads_at_fork = !__libc_single_threaded;
    elf_symbols_lock_for_fork();
    type_registry_lock_for_fork();
    site_table_lock_for_fork();
    overflow_lock_for_fork();
    sample_lock_for_fork();
}

static void after_fork_in_child(void)
{
    own_pid = getpid();
    report_note_fork_child(threads_at_fork);
    gate_fold_all_after_fork();
    report_drop_held();
    snapshot_after_fork_child();
    sample_unlock_after_fork();
    overflow_unlock_after_fork();
    site_table_unlock_after_fork();
    type_registry_unlock_after_fork();
    elf_symbols_unlock_after_fork();
}

static void after_fork(void)
{
    sample_unlock_after_fork();
    overflow_unlock_after_fork();
    site_table_unlock_after_fork();
    type_registry_unlock_after_fork();
    elf_symbols_unlock_after_fork();
}

/* Signal handlers write a report (report_write is async-signal-safe).
 * SIGUSR2 then does what it would have done without us: installed with
 * SA_RESETHAND, its action is the default again (terminate) by the time we
 * run, and the raise below stays blocked until we return.  If the program
 * replaced our handler and calls it itself (chaining to the previous
 * handler), the action is not the default and the program goes on.  With
 * HEAPTAG_SIGUSR2=continue the handler stays and the program goes on. */
static void dump_for_signal(int sig)
{
    int saved = errno;
    if (sig == SIGUSR2) {
        report_write(NULL, "sigusr2");
        struct sigaction cur;
        if (settings.sigusr2 == SIGUSR2_DUMP_THEN_DEFAULT && sigaction(sig, NULL, &cur) == 0 &&
            cur.sa_handler == SIG_DFL)
            raise(sig);
    } else {
        /* SA_RESETHAND has already restored the default action: raised, the
         * signal kills the process as it would have (once unblocked, when
         * called from the handler). */
        report_write(NULL, sig == SIGTERM ? "sigterm" : "sigint");
        raise(sig);
    }
    errno = saved;
}

/* The handler of SIGUSR2, SIGTERM and SIGINT.  A signal that lands while
 * this thread is inside a gate's slow path (gate.h) finds the figures half
 * moved: the report, and what the signal does after it, wait for the end
 * of that path, a few hundred instructions on (another signal arriving
 * meanwhile is folded into it). */
static void on_report_signal(int sig)
{
    if (gate_busy)
        gate_deferred_signal = sig;
    else
        dump_for_signal(sig);
}

/* After `heaptag attach`, SIGUSR2 is how the user asks for reports: each
 * one writes a report and the program goes on, whatever the start-up
 * setting was. */
void lifecycle_sigusr2_for_attach(void)
{
    struct sigaction cur, sa;
    settings.sigusr2 = SIGUSR2_CONTINUE;
    if (sigaction(SIGUSR2, NULL, &cur) != 0)
        return;
    if (cur.sa_handler != SIG_DFL && cur.sa_handler != on_report_signal)
        return; /* the program's own handler (or SIG_IGN) stays */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_report_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR2, &sa, NULL);
}

/* Install a handler only where the program still has the default action:
 * an inherited SIG_IGN (nohup, a shell's background job) must stay. */
static void install(int sig, void (*handler)(int), int flags)
{
    struct sigaction old, sa;
    if (sigaction(sig, NULL, &old) != 0 || old.sa_handler != SIG_DFL)
        return;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = SA_RESTART | flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

/* Runs once, right after the first allocation found the next allocator —
 * before any library constructor may have allocated — so the settings,
 * the clock and call stacks cover those early blocks too (libstdc++'s
 * emergency pool, for one).  Nothing here allocates. */
void tracker_early_init(void)
{
    own_pid = getpid();
    overflow_reserve();
    gate_init();
    settings_load();
    snapshot_settings();
    report_mark_start();
    timeline_init(settings.timeline_ms);
    if (settings.rules_path)
        rules_load(settings.rules_path);
    sample_init(); /* before stacks: sampled mode turns them on */
    stack_capture_init(settings.stack_depth);
    /* A hook ran before our constructor: we were preloaded (a library
     * loaded late is constructed before any call can reach it), so our
     * dlclose is the program's and our own stack walk can start now, for
     * the allocations of other libraries' constructors. */
    if (!constructing && stack_depth)
        fast_unwind_init();
    hot_path_settle(); /* last: it reads what the lines above settled */
}

/* Another allocator in front of us serves the program's malloc: run the
 * program again with us in front (preload_order.c), or say in one line
 * that its allocations are not counted. */
static void handle_bypass(char **argv, char **envp)
{
    const char *why = preload_put_first(argv, envp);
    Dl_info info;
    const char *who = dladdr((void *)next.malloc, &info) && info.dli_fname ? info.dli_fname : NULL;
    if (who)
        ht_warn("malloc is served by ", who, ", not through libheaptag.so (", why,
                "): allocations are not counted; put libheaptag.so first in LD_PRELOAD", NULL);
    else
        ht_warn("cannot tell which allocator serves this program (", why,
                "): allocations are not counted", NULL);
}

/* glibc passes argc, argv and envp to constructors. */
__attribute__((constructor)) static void heaptag_start(int argc, char **argv, char **envp)
{
    int saved = errno;
    (void)argc;
    constructing = 1;
    report_capture_name(argv ? argv[0] : NULL);
    next_alloc_resolve();
    /* Loaded late (heaptag attach, or a program's own dlopen): nothing to
     * re-run, nothing to warn about and no PLT to bind here;
     * heaptag_attach_start redirects the program's calls to us. */
    int late = preload_loaded_late();
    if (next_alloc_bypassed && !late)
        handle_bypass(argv, envp);
    next_alloc_describe();
    if (!late)
        hooks_bind_plt();
    /* Our own stack walk needs to see every dlclose (fast_unwind.c): our
     * dlclose is the program's only when we were preloaded.  Without the
     * walk, libunwind takes every stack. */
    if (!late && stack_depth)
        fast_unwind_init(); /* if tracker_early_init has not */
    /* pthread_atfork may allocate: account it to the tracker, not to the
     * program's untagged memory. */
    scope_push_id(type_intern("heaptag.internal"));
    pthread_atfork(before_fork, after_fork, after_fork_in_child);
    scope_pop();
    gate_run_deferred = dump_for_signal;
    if (settings.sigusr2)
        install(SIGUSR2, on_report_signal,
                settings.sigusr2 == SIGUSR2_DUMP_THEN_DEFAULT ? SA_RESETHAND : 0);
    if (settings.dump_on_signal) {
        install(SIGTERM, on_report_signal, SA_RESETHAND);
        install(SIGINT, on_report_signal, SA_RESETHAND);
    }
    snapshot_start();
    errno = saved;
}

/* _exit and _Exit skip atexit handlers and destructors, and dash ends
 * every shell that way: write the report here, then end as asked.  glibc's
 * exit() reaches its own _exit internally, not through these symbols. */
static _Noreturn void exit_now(int status)
{
    if (getpid() == own_pid) {
        snapshot_stop();
        report_write(NULL, "_exit");
    }
    syscall(SYS_exit_group, status);
    for (;;)
        syscall(SYS_exit, status);
}

HT_EXPORT void _exit(int status) { exit_now(status); }

HT_EXPORT void _Exit(int status) { exit_now(status); }

__attribute__((destructor)) static void heaptag_finish(void)
{
    int saved = errno;
    snapshot_stop();
    report_write(NULL, "exit");
    errno = saved;
}
