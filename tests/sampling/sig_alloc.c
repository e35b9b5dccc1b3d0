/* A signal handler calls into the tracker while the program allocates.
 *
 * A program whose signal handler calls into the tracker (heaptag_retag
 * of a sampled block, which takes the sampler's lock) while its main loop
 * allocates and frees under a 20 kHz interval timer: in sampled mode with
 * a mean of 1 byte every block is sampled, so a signal often lands while
 * the thread holds that lock.  It must finish (no self-deadlock).  The
 * handler does not call malloc itself: glibc's malloc is not reentrant,
 * and a crash there would say nothing about heaptag. */
#include <heaptag.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static volatile sig_atomic_t handled;
static void *block;

static void on_alarm(int sig)
{
    (void)sig;
    heaptag_retag(block, (handled & 1) ? "SigA" : "SigB");
    handled++;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    block = malloc(100);
    heaptag_retag(block, "SigA"); /* both names registered before the timer */
    heaptag_retag(block, "SigB");
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 50}, {0, 50}};
    setitimer(ITIMER_REAL, &it, NULL);
    void *ring[256] = {0};
    for (long i = 0; i < 3000000; i++) {
        unsigned k = (unsigned)i & 255;
        free(ring[k]);
        ring[k] = malloc(16 + (i & 127));
        if (i % 1000 == 0)
            ring[k] = realloc(ring[k], 300);
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    for (int k = 0; k < 256; k++)
        free(ring[k]);
    free(block);
    printf("done %d\n", handled > 0);
    return 0;
}
