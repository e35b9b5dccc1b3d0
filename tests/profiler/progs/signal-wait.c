/* A program that gets signals.  Keeps one 777-byte "Sig" block live.
 *
 *   signal-wait wait READY_FILE        create READY_FILE, then wait forever
 *   signal-wait usr2 REPORT COPY       raise SIGUSR2, wait (5 s at most) for
 *                                      REPORT to appear, copy it to COPY,
 *                                      allocate a 55-byte "AfterSignal"
 *                                      block, print "continued", exit 0
 *   signal-wait own                    install its own SIGUSR2 handler,
 *                                      raise SIGUSR2, print what the handler
 *                                      saw, exit 0
 */
#include "heaptag.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char copybuf[1 << 20];

static int copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY);
    if (in < 0)
        return -1;
    ssize_t n = read(in, copybuf, sizeof copybuf);
    close(in);
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (n < 0 || out < 0 || write(out, copybuf, (size_t)n) != n)
        return -1;
    return close(out);
}

static volatile sig_atomic_t handled;

static void own_handler(int sig) { handled = sig; }

int main(int argc, char **argv)
{
    HEAPTAG_PUSH("Sig");
    void *p = malloc(777);
    HEAPTAG_POP();
    if (!p)
        return 99;
    if (argc == 3 && strcmp(argv[1], "wait") == 0) {
        int fd = open(argv[2], O_WRONLY | O_CREAT, 0644);
        if (fd < 0)
            return 1;
        close(fd);
        for (;;)
            pause();
    }
    if (argc == 4 && strcmp(argv[1], "usr2") == 0) {
        raise(SIGUSR2);
        for (int i = 0; i < 500 && access(argv[2], F_OK) != 0; i++)
            nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
        if (copy_file(argv[2], argv[3]) != 0) {
            fprintf(stderr, "signal-wait: no report at %s after SIGUSR2\n", argv[2]);
            return 1;
        }
        HEAPTAG_PUSH("AfterSignal");
        void *q = malloc(55);
        HEAPTAG_POP();
        printf("continued %s\n", q ? "ok" : "nomem");
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "own") == 0) {
        signal(SIGUSR2, own_handler);
        raise(SIGUSR2);
        printf("own handler ran: %s\n", handled == SIGUSR2 ? "yes" : "no");
        return 0;
    }
    fprintf(stderr, "usage: signal-wait wait READY | usr2 REPORT COPY | own\n");
    return 2;
}
