/* Stacks that are hard to walk, for test-unwind-check.sh.
 *
 * Every allocation here is made under a frame shape that some unwinder
 * gets wrong.  Run with HEAPTAG_UNWIND_CHECK=1, heaptag walks each stack
 * both its own way and libunwind's, and the report counts the ones that
 * differ.
 *
 *   unwind-prog MODULE.so
 */
#include <alloca.h>
#include <dlfcn.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile int sink;
static void *keep[64];
static int nkeep;

/* Takes the address of a local, so the local must really be there. */
static __attribute__((noinline)) void use(char *p) { sink += p[0]; }

static __attribute__((noinline)) void hold(void *p)
{
    if (nkeep < 64)
        keep[nkeep++] = p;
    else
        free(p);
}

/* A variable-sized frame: its CFA is on rbp. */
static __attribute__((noinline)) void with_alloca(int n)
{
    char *buf = alloca((size_t)n);
    memset(buf, n, (size_t)n);
    use(buf);
    hold(malloc((size_t)n));
    use(buf + n - 1);
}

/* An over-aligned local: the stack is realigned in the prologue (through
 * rbp, or with -fomit-frame-pointer through a DRAP register). */
static __attribute__((noinline)) void over_aligned(int n)
{
    _Alignas(64) char buf[256];
    memset(buf, n, sizeof buf);
    use(buf);
    hold(malloc(64 + (size_t)n));
    use(buf + (n & 255));
}

/* A function that realigns a stack it may be entered on misaligned: gcc
 * keeps its CFA through a DWARF expression (a DRAP register), a frame
 * heaptag's own walk leaves to libunwind. */
static __attribute__((noinline, force_align_arg_pointer)) void realigned(int n)
{
    _Alignas(32) char buf[128];
    memset(buf, n, sizeof buf);
    use(buf);
    hold(malloc(32 + (size_t)n));
    use(buf + 1);
}

static __attribute__((noinline)) void recurse(int depth)
{
    if (depth == 0) {
        hold(malloc(48));
        return;
    }
    recurse(depth - 1);
    sink++;
}

/* A call to a function that does not return, as a function's last
 * instruction: the return address is past the caller's end. */
static jmp_buf escape;
static __attribute__((noinline, noreturn)) void alloc_and_leave(void)
{
    hold(malloc(40));
    longjmp(escape, 1);
}
static __attribute__((noinline)) void ends_in_noreturn(int n)
{
    if (n > 1000)
        sink = n;
    alloc_and_leave();
}
static __attribute__((noinline)) void leave_by_longjmp(int n)
{
    if (setjmp(escape) == 0)
        ends_in_noreturn(n);
}

/* An allocation inside a signal handler: a signal frame on the stack. */
static void on_signal(int sig)
{
    (void)sig;
    free(malloc(24));
}

static void *thread_main(void *arg)
{
    int n = (int)(long)arg;
    for (int i = 0; i < 50; i++) {
        with_alloca(16 + n + i);
        over_aligned(i);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    for (int i = 1; i <= 20; i++) {
        with_alloca(i * 24);
        over_aligned(i);
        realigned(i);
        recurse(i * 3); /* deeper than 32 frames from i = 11 */
        leave_by_longjmp(i);
    }
    signal(SIGUSR1, on_signal);
    for (int i = 0; i < 10; i++)
        raise(SIGUSR1);
    pthread_t t[3];
    for (long i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, thread_main, (void *)i);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    /* A module loaded and unloaded again and again, allocating each time:
     * its code may come back at the same address, under other rules. */
    if (argc > 1) {
        for (int i = 0; i < 5; i++) {
            void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
            if (!h) {
                fprintf(stderr, "unwind-prog: %s\n", dlerror());
                return 1;
            }
            void (*fn)(int) = (void (*)(int))dlsym(h, "module_alloc");
            fn(i);
            dlclose(h);
        }
    }
    for (int i = 0; i < nkeep; i++)
        free(keep[i]);
    printf("done\n");
    return 0;
}
