/* canned_server.c — see canned_server.h. */
#include "canned_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_REQUESTS 64
#define REQ_MAX 65536

#define MAX_CONNS 64

struct cs_server {
    pthread_mutex_t lock; /* guards next and nconn_threads */
    pthread_t conn_threads[MAX_CONNS];
    int nconn_threads;
    const struct cs_step *steps;
    size_t nsteps, next;
    int lfd, port;
    pthread_t thread;
    atomic_int stop;
    atomic_int connections, nrequests;
    char *requests[MAX_REQUESTS];
    char url[4][256];
    int url_slot;
};

/* Sleep MS in small steps so a stop is never kept waiting long. */
static void nap(struct cs_server *s, int ms)
{
    while (ms > 0 && !atomic_load(&s->stop)) {
        struct timespec ts = {0, (ms < 10 ? ms : 10) * 1000000L};
        nanosleep(&ts, NULL);
        ms -= 10;
    }
}

/* Read one request (head + Content-Length body).  0 when the peer closed
 * or the server is stopping, 1 with the request stored. */
static int read_request(struct cs_server *s, int fd)
{
    char *buf = malloc(REQ_MAX + 1);
    size_t len = 0;
    long need = -1;
    while (!atomic_load(&s->stop)) {
        if (need < 0) {
            buf[len] = '\0';
            char *end = strstr(buf, "\r\n\r\n");
            if (end) {
                long body = 0;
                char *cl = strcasestr(buf, "\r\nContent-Length:");
                if (cl && cl < end)
                    body = atol(cl + 17);
                need = (end + 4 - buf) + body;
            }
        }
        if (need >= 0 && (long)len >= need) {
            buf[len] = '\0';
            int i = atomic_fetch_add(&s->nrequests, 1);
            if (i < MAX_REQUESTS)
                s->requests[i] = buf;
            else
                free(buf);
            return 1;
        }
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 50) <= 0)
            continue;
        ssize_t n = recv(fd, buf + len, REQ_MAX - len, 0);
        if (n <= 0 || len + (size_t)n >= REQ_MAX)
            break;
        len += (size_t)n;
    }
    free(buf);
    return 0;
}

static void send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

static void serve_connection(struct cs_server *s, int fd)
{
    for (;;) {
        if (!read_request(s, fd))
            break;
        pthread_mutex_lock(&s->lock);
        const struct cs_step *st = s->next < s->nsteps ? &s->steps[s->next++] : NULL;
        pthread_mutex_unlock(&s->lock);
        if (!st)
            break;
        nap(s, st->delay_ms);
        send_all(fd, st->bytes, st->len ? st->len : strlen(st->bytes));
        if (st->action == CS_KEEP)
            continue;
        if (st->action == CS_RESET) {
            struct linger lg = {1, 0};
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        } else if (st->action == CS_SILENT) {
            nap(s, 60000);
        }
        break;
    }
    close(fd);
}

struct conn_arg {
    struct cs_server *s;
    int fd;
};

static void *conn_main(void *arg)
{
    struct conn_arg *a = arg;
    serve_connection(a->s, a->fd);
    free(a);
    return NULL;
}

/* Each connection gets its own thread, so a client holding a kept-alive
 * connection never blocks the next one. */
static void *server_main(void *arg)
{
    struct cs_server *s = arg;
    while (!atomic_load(&s->stop)) {
        struct pollfd p = {.fd = s->lfd, .events = POLLIN};
        if (poll(&p, 1, 50) <= 0)
            continue;
        int fd = accept(s->lfd, NULL, NULL);
        if (fd < 0)
            continue;
        if (s->nconn_threads >= MAX_CONNS) {
            close(fd);
            continue;
        }
        atomic_fetch_add(&s->connections, 1);
        struct conn_arg *a = malloc(sizeof *a);
        a->s = s;
        a->fd = fd;
        pthread_create(&s->conn_threads[s->nconn_threads++], NULL, conn_main, a);
    }
    for (int i = 0; i < s->nconn_threads; i++)
        pthread_join(s->conn_threads[i], NULL);
    return NULL;
}

struct cs_server *cs_start(const struct cs_step *steps, size_t nsteps)
{
    struct cs_server *s = calloc(1, sizeof *s);
    s->steps = steps;
    s->nsteps = nsteps;
    pthread_mutex_init(&s->lock, NULL);
    s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    if (s->lfd < 0 || bind(s->lfd, (struct sockaddr *)&a, sizeof a) != 0 ||
        listen(s->lfd, 16) != 0 || getsockname(s->lfd, (struct sockaddr *)&a, &al) != 0) {
        perror("canned_server");
        exit(1);
    }
    s->port = ntohs(a.sin_port);
    pthread_create(&s->thread, NULL, server_main, s);
    return s;
}

int cs_port(const struct cs_server *s) { return s->port; }

const char *cs_url(const struct cs_server *cs, const char *path)
{
    struct cs_server *s = (struct cs_server *)cs;
    char *u = s->url[s->url_slot++ % 4];
    snprintf(u, 256, "http://127.0.0.1:%d%s", s->port, path);
    return u;
}

void cs_stop(struct cs_server *s)
{
    atomic_store(&s->stop, 1);
    pthread_join(s->thread, NULL);
    close(s->lfd);
    for (int i = 0; i < MAX_REQUESTS; i++)
        free(s->requests[i]);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

int cs_connections(const struct cs_server *s)
{
    return atomic_load(&((struct cs_server *)s)->connections);
}
int cs_requests(const struct cs_server *s)
{
    return atomic_load(&((struct cs_server *)s)->nrequests);
}

const char *cs_request(const struct cs_server *s, int i)
{
    return i >= 0 && i < MAX_REQUESTS && i < cs_requests(s) ? s->requests[i] : NULL;
}
