/* hc-serve: a small deterministic HTTP/1.1 server for loopback tests,
 * demos and benchmarks.  Single-threaded, epoll-driven, level-triggered.
 *
 *   hc-serve [--bind 127.0.0.1] [--port N] [--port-file F] [--max-seconds S]
 *
 * Port 0 (the default) picks a free port.  Once listening it prints
 * "listening on ADDR:PORT" and writes PORT to the port file (atomically, so
 * a script polling for the file never reads half a number).  It exits 0 on
 * SIGTERM or SIGINT and after --max-seconds (default 600, 0 = no limit), the
 * bound that keeps a forgotten test server from lingering.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"

#define LISTEN_BACKLOG 1024
#define ACCEPT_PAUSE_MS 100

struct server {
    int epfd;
    int lfd;
    int sigfd;
    struct conn **conns; /* indexed by fd */
    int maxfd;
    int *live; /* fds with a connection, compact */
    int nlive;
    bool listen_paused;
    int64_t listen_resume_at;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void usage_error(const char *msg)
{
    fprintf(stderr,
            "hc-serve: %s (usage: hc-serve [--bind ADDR] [--port N] [--port-file F] [--max-seconds "
            "S])\n",
            msg);
    exit(2);
}

static long parse_long_opt(const char *s, long max, const char *what)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > max) {
        char msg[128];
        snprintf(msg, sizeof msg, "bad %s '%.40s'", what, s);
        usage_error(msg);
    }
    return v;
}

static int open_listener(const char *bind_addr, int port, int *actual_port, char *shown,
                         size_t shown_sz)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, bind_addr, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        sl = sizeof *v4;
    } else if (inet_pton(AF_INET6, bind_addr, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        sl = sizeof *v6;
    } else {
        usage_error("--bind needs a numeric IPv4 or IPv6 address");
    }
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        perror("hc-serve: socket");
        exit(1);
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&ss, sl) < 0) {
        fprintf(stderr, "hc-serve: cannot bind %s:%d: %s\n", bind_addr, port, strerror(errno));
        exit(1);
    }
    if (listen(fd, LISTEN_BACKLOG) < 0) {
        perror("hc-serve: listen");
        exit(1);
    }
    sl = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    int actual = ntohs(ss.ss_family == AF_INET ? v4->sin_port : v6->sin6_port);
    if (ss.ss_family == AF_INET)
        snprintf(shown, shown_sz, "%s:%d", bind_addr, actual);
    else
        snprintf(shown, shown_sz, "[%s]:%d", bind_addr, actual);
    *actual_port = actual;
    return fd;
}

static void write_port_file(const char *path, int port)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof tmp)
        usage_error("--port-file path too long");
    FILE *f = fopen(tmp, "w");
    if (!f || fprintf(f, "%d\n", port) < 0 || fclose(f) != 0 || rename(tmp, path) != 0) {
        fprintf(stderr, "hc-serve: cannot write port file %s: %s\n", path, strerror(errno));
        unlink(tmp);
        exit(1);
    }
}

static void set_interest(struct server *s, int fd, uint32_t ev, uint32_t *current, bool add)
{
    struct epoll_event e = {.events = ev, .data.fd = fd};
    if (!add && ev == *current)
        return;
    if (epoll_ctl(s->epfd, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &e) < 0) {
        perror("hc-serve: epoll_ctl");
        exit(1);
    }
    *current = ev;
}

static void drop_conn(struct server *s, struct conn *c)
{
    int fd = c->fd;
    s->conns[fd] = NULL;
    for (int i = 0; i < s->nlive; i++) {
        if (s->live[i] == fd) {
            s->live[i] = s->live[--s->nlive];
            break;
        }
    }
    conn_free(c);
}

/* After any activity: drop dead connections, else refresh epoll interest. */
static void settle(struct server *s, struct conn *c)
{
    if (c->dead) {
        drop_conn(s, c);
        return;
    }
    set_interest(s, c->fd, conn_wanted_events(c), &c->events, false);
}

static void accept_all(struct server *s, int64_t now)
{
    for (;;) {
        int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                /* Out of descriptors: stop accepting for a moment rather
                   than spin on a listener that stays readable. */
                epoll_ctl(s->epfd, EPOLL_CTL_DEL, s->lfd, NULL);
                s->listen_paused = true;
                s->listen_resume_at = now + ACCEPT_PAUSE_MS;
            }
            return;
        }
        if (fd >= s->maxfd) {
            close(fd);
            continue;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct conn *c = conn_new(fd);
        s->conns[fd] = c;
        s->live[s->nlive++] = fd;
        set_interest(s, fd, EPOLLIN | EPOLLRDHUP, &c->events, true);
    }
}

/* Returns the signal that ended the loop, or 0 when max-seconds ran out. */
static int serve(struct server *s, int64_t deadline)
{
    struct epoll_event evs[256];
    for (;;) {
        int64_t now = now_ms();
        if (deadline && now >= deadline)
            return 0;
        int64_t next = deadline ? deadline : INT64_MAX;
        if (s->listen_paused && s->listen_resume_at < next)
            next = s->listen_resume_at;
        for (int i = 0; i < s->nlive; i++) {
            int64_t t = conn_next_timer(s->conns[s->live[i]]);
            if (t < next)
                next = t;
        }
        int timeout = -1;
        if (next != INT64_MAX)
            timeout = next <= now ? 0 : (int)(next - now > 60000 ? 60000 : next - now);
        int n = epoll_wait(s->epfd, evs, 256, timeout);
        if (n < 0 && errno != EINTR) {
            perror("hc-serve: epoll_wait");
            exit(1);
        }
        now = now_ms();
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == s->sigfd) {
                struct signalfd_siginfo si;
                if (read(s->sigfd, &si, sizeof si) == sizeof si)
                    return (int)si.ssi_signo;
                continue;
            }
            if (fd == s->lfd) {
                accept_all(s, now);
                continue;
            }
            struct conn *c = fd < s->maxfd ? s->conns[fd] : NULL;
            if (!c)
                continue;
            if (evs[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
                conn_read(c, now);
            if (!c->dead)
                conn_step(c, now);
            settle(s, c);
        }
        if (s->listen_paused && now >= s->listen_resume_at) {
            struct epoll_event e = {.events = EPOLLIN, .data.fd = s->lfd};
            epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->lfd, &e);
            s->listen_paused = false;
        }
        for (int i = 0; i < s->nlive; i++) {
            struct conn *c = s->conns[s->live[i]];
            if (conn_next_timer(c) > now)
                continue;
            conn_tick(c, now);
            if (!c->dead)
                conn_step(c, now);
            int before = s->nlive;
            settle(s, c);
            if (s->nlive < before)
                i--; /* the swap-removal moved another fd into slot i */
        }
    }
}

int main(int argc, char **argv)
{
    /* Block the exit signals first thing: from here on they arrive through
       the signalfd and end the loop cleanly, never by default action. */
    signal(SIGPIPE, SIG_IGN);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, NULL);

    const char *bind_addr = "127.0.0.1", *port_file = NULL;
    long port = 0, max_seconds = 600;
    static const struct option opts[] = {
        {"bind", required_argument, NULL, 'b'},
        {"port", required_argument, NULL, 'p'},
        {"port-file", required_argument, NULL, 'f'},
        {"max-seconds", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    opterr = 0;
    for (int ch; (ch = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
        switch (ch) {
        case 'b': bind_addr = optarg; break;
        case 'p': port = parse_long_opt(optarg, 65535, "--port"); break;
        case 'f': port_file = optarg; break;
        case 'm': max_seconds = parse_long_opt(optarg, 100L * 24 * 3600, "--max-seconds"); break;
        case 'h':
            printf("usage: hc-serve [--bind 127.0.0.1] [--port N] [--port-file F] [--max-seconds "
                   "S]\n");
            return 0;
        default: {
            char msg[128];
            snprintf(msg, sizeof msg, "unknown or incomplete option '%.40s'", argv[optind - 1]);
            usage_error(msg);
        }
        }
    }
    if (optind < argc)
        usage_error("unexpected argument");


    /* Many concurrent connections need many descriptors. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max > 65536 ? 65536 : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }

    struct server s = {0};
    s.maxfd = rl.rlim_cur > 65536 ? 65536 : (int)rl.rlim_cur;
    s.conns = calloc((size_t)s.maxfd, sizeof *s.conns);
    s.live = calloc((size_t)s.maxfd, sizeof *s.live);
    if (!s.conns || !s.live)
        abort();

    char shown[128];
    int actual;
    s.lfd = open_listener(bind_addr, (int)port, &actual, shown, sizeof shown);
    s.epfd = epoll_create1(EPOLL_CLOEXEC);
    s.sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (s.epfd < 0 || s.sigfd < 0) {
        perror("hc-serve: epoll/signalfd");
        return 1;
    }
    uint32_t ignored;
    set_interest(&s, s.lfd, EPOLLIN, &ignored, true);
    set_interest(&s, s.sigfd, EPOLLIN, &ignored, true);
    if (port_file)
        write_port_file(port_file, actual);
    printf("listening on %s\n", shown);
    fflush(stdout);

    int64_t deadline = max_seconds ? now_ms() + (int64_t)max_seconds * 1000 : 0;
    int sig = serve(&s, deadline);
    if (sig == 0)
        fprintf(stderr, "hc-serve: --max-seconds %ld reached, exiting\n", max_seconds);
    while (s.nlive > 0) {
        struct conn *c = s.conns[s.live[0]];
        if (!c->dead)
            close(c->fd);
        drop_conn(&s, c);
    }
    close(s.lfd);
    close(s.sigfd);
    close(s.epfd);
    free(s.conns);
    free(s.live);
    return 0;
}
