/* Signals arriving while threads allocate.
 *
 * Four threads allocate and free ROUNDS times each under "Storm" while an
 * interval timer delivers SIGALRM every 200 us to a handler that does
 * nothing (installed without SA_RESTART, so any system call the tracker
 * makes may fail with EINTR), and the main thread sends the process
 * SIGUSR2 DUMPS times.  Only the allocating threads accept the signals, so
 * each arrives in the middle of allocation.  After each SIGUSR2 the main
 * thread waits for the report to appear under REPORT and renames it to
 * DIR/dump-N.json.  Prints report-check --expect lines for the report at exit.
 *
 *   signal-storm REPORT DIR DUMPS ROUNDS
 */
#include "heaptag.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static atomic_long alarms;
static long rounds;
static atomic_int running;
/* Set by main when every dump is taken: the threads stay (idle, still
 * accepting the signals) until then, so a slow machine gets all its dumps
 * without changing how much the threads allocate. */
static atomic_int dumps_done;
static void pause_ms(long ms);

static void on_alarm(int sig)
{
    (void)sig;
    atomic_fetch_add(&alarms, 1);
}

static void *allocate(void *arg)
{
    unsigned me = (unsigned)(intptr_t)arg;
    void *keep[16] = {0};
    HEAPTAG_PUSH("Storm");
    for (long i = 0; i < rounds; i++) {
        unsigned k = (unsigned)(i * 5 + me) % 16;
        free(keep[k]);
        keep[k] = malloc(16 + (size_t)(i % 512));
        if (!keep[k])
            abort();
        if (i % 7 == 0) {
            void *q = realloc(keep[k], 600);
            if (!q)
                abort();
            keep[k] = q;
        }
    }
    for (int k = 0; k < 16; k++)
        free(keep[k]);
    HEAPTAG_POP();
    while (!atomic_load(&dumps_done))
        pause_ms(1);
    atomic_fetch_sub(&running, 1);
    return NULL;
}

static void pause_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: signal-storm REPORT DIR DUMPS ROUNDS\n");
        return 2;
    }
    const char *report = argv[1], *dir = argv[2];
    int dumps = atoi(argv[3]);
    rounds = atol(argv[4]);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART on purpose */
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 200}, {0, 200}};
    setitimer(ITIMER_REAL, &it, NULL);

    pthread_t th[4];
    atomic_store(&running, 4);
    for (intptr_t i = 0; i < 4; i++)
        if (pthread_create(&th[i], NULL, allocate, (void *)i) != 0)
            return 1;
    /* From here on the main thread takes no signal: they land on the
     * allocating threads. */
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigaddset(&block, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &block, NULL);

    int done = 0, lost = 0;
    char name[4096];
    for (int d = 0; d < dumps; d++) {
        kill(getpid(), SIGUSR2);
        struct stat st;
        int waited = 0;
        while (stat(report, &st) != 0 && waited++ < 5000)
            pause_ms(1);
        snprintf(name, sizeof name, "%s/dump-%d.json", dir, d);
        if (rename(report, name) == 0)
            done++;
        else
            lost++;
    }
    atomic_store(&dumps_done, 1);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    it = (struct itimerval){{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &it, NULL);
    fprintf(stderr, "signal-storm: %d dumps renamed, %d not seen, %ld alarms\n", done, lost,
            (long)atomic_load(&alarms));
    long allocs = 4 * (rounds + (rounds + 6) / 7);
    printf("types.Storm.alloc_calls=%ld\n", allocs);
    printf("types.Storm.free_calls=%ld\n", allocs);
    printf("types.Storm.live_bytes=0\n");
    printf("dumps=%d\n", done);
    return lost ? 1 : 0;
}
