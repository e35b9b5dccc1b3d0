/* HTTPS against a loopback TLS server in a thread, with a CA made for this run.
 *
 * test_tls.c — HTTPS against a loopback TLS server in a thread, with a CA
 * and a server certificate (SAN DNS:localhost only) made by the openssl
 * command for this run: verification against a CA file, the system store,
 * host name checking, SNI, verification off, and a plain-HTTP peer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <cmocka.h>
#include <openssl/ssl.h>

#include "hc.h"

static char dir[64];
static char ca_path[128];

struct tls_server {
    SSL_CTX *ctx;
    int lfd, port;
    atomic_int stop;
    pthread_t thread;
    char sni[128];
};

static struct tls_server srv;

static void *tls_main(void *arg)
{
    (void)arg;
    while (!atomic_load(&srv.stop)) {
        struct pollfd p = {.fd = srv.lfd, .events = POLLIN};
        if (poll(&p, 1, 50) <= 0)
            continue;
        int fd = accept(srv.lfd, NULL, NULL);
        if (fd < 0)
            continue;
        struct timeval tv = {2, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        SSL *ssl = SSL_new(srv.ctx);
        SSL_set_fd(ssl, fd);
        if (SSL_accept(ssl) == 1) {
            const char *sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
            snprintf(srv.sni, sizeof srv.sni, "%s", sni ? sni : "");
            char buf[4096];
            size_t len = 0;
            while (len < sizeof buf - 1) {
                int n = SSL_read(ssl, buf + len, (int)(sizeof buf - 1 - len));
                if (n <= 0)
                    break;
                len += (size_t)n;
                buf[len] = '\0';
                if (strstr(buf, "\r\n\r\n"))
                    break;
            }
            const char *resp =
                "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nsecure";
            SSL_write(ssl, resp, (int)strlen(resp));
            SSL_shutdown(ssl);
        }
        SSL_free(ssl);
        close(fd);
    }
    return NULL;
}

static int run(const char *cmd)
{
    char full[1024];
    snprintf(full, sizeof full, "cd %s && %s >/dev/null 2>&1", dir, cmd);
    return system(full);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/hc-tls-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    const char *ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 %s -keyout ca.key -out ca.pem -days 2 -subj /CN=hc-test-ca", ec);
    if (run(cmd) != 0)
        return -1;
    snprintf(cmd, sizeof cmd, "openssl req %s -keyout srv.key -out srv.csr -subj /CN=localhost",
             ec);
    if (run(cmd) != 0 || run("printf 'subjectAltName=DNS:localhost\\n' > ext.cnf") != 0 ||
        run("openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem "
            "-days 2 "
            "-extfile ext.cnf") != 0)
        return -1;
    snprintf(ca_path, sizeof ca_path, "%s/ca.pem", dir);
    char cert[128], key[128];
    snprintf(cert, sizeof cert, "%s/srv.pem", dir);
    snprintf(key, sizeof key, "%s/srv.key", dir);
    srv.ctx = SSL_CTX_new(TLS_server_method());
    if (SSL_CTX_use_certificate_file(srv.ctx, cert, SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_use_PrivateKey_file(srv.ctx, key, SSL_FILETYPE_PEM) != 1)
        return -1;
    srv.lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    if (bind(srv.lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(srv.lfd, 8) != 0 ||
        getsockname(srv.lfd, (struct sockaddr *)&a, &al) != 0)
        return -1;
    srv.port = ntohs(a.sin_port);
    pthread_create(&srv.thread, NULL, tls_main, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    atomic_store(&srv.stop, 1);
    pthread_join(srv.thread, NULL);
    close(srv.lfd);
    SSL_CTX_free(srv.ctx);
    run("rm -f ca.key ca.pem ca.srl srv.key srv.csr srv.pem ext.cnf");
    rmdir(dir);
    return 0;
}

static hc_response *fetch(hc_session *s, const char *host, hc_error **e)
{
    char url[128];
    snprintf(url, sizeof url, "https://%s:%d/x", host, srv.port);
    *e = NULL;
    return hc_session_request(s, "GET", url, NULL, 0, e);
}

static void test_verified_with_ca_file(void **state)
{
    (void)state;
    hc_session *s = hc_session_new();
    hc_error *e;
    assert_int_equal(hc_session_set_ca_file(s, ca_path, &e), 0);
    hc_response *r = fetch(s, "localhost", &e);
    if (!r)
        fail_msg("%s", hc_error_message(e));
    size_t len;
    assert_string_equal(hc_response_body(r, &len), "secure");
    assert_string_equal(srv.sni, "localhost");
    hc_response_free(r);
    /* The certificate names localhost only: 127.0.0.1 must not match. */
    assert_null(fetch(s, "127.0.0.1", &e));
    assert_int_equal(hc_error_get_kind(e), HC_ERR_TLS_VERIFY);
    assert_non_null(strstr(hc_error_message(e), "IP address mismatch"));
    hc_error_free(e);
    hc_session_free(s);
}

static void test_system_store_rejects(void **state)
{
    (void)state;
    hc_session *s = hc_session_new();
    hc_error *e;
    assert_null(fetch(s, "localhost", &e));
    assert_int_equal(hc_error_get_kind(e), HC_ERR_TLS_VERIFY);
    assert_string_equal(
        hc_error_message(e),
        "SSL certificate problem for localhost: unable to get local issuer certificate");
    hc_error_free(e);
    /* asked not to verify: fine, even by IP */
    hc_session_set_verify(s, 0);
    hc_response *r = fetch(s, "127.0.0.1", &e);
    assert_non_null(r);
    assert_int_equal(hc_response_status_code(r), 200);
    assert_string_equal(srv.sni, ""); /* no SNI for an IP literal */
    hc_response_free(r);
    hc_session_free(s);
}

/* A plain HTTP peer that answers as soon as a client connects. */
static void *plain_main(void *arg)
{
    int lfd = *(int *)arg;
    struct pollfd p = {.fd = lfd, .events = POLLIN};
    if (poll(&p, 1, 5000) == 1) {
        int fd = accept(lfd, NULL, NULL);
        const char *resp =
            "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        send(fd, resp, strlen(resp), MSG_NOSIGNAL);
        usleep(200000);
        close(fd);
    }
    return NULL;
}

static void test_not_tls_peer(void **state)
{
    (void)state;
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
    listen(lfd, 1);
    getsockname(lfd, (struct sockaddr *)&a, &al);
    pthread_t t;
    pthread_create(&t, NULL, plain_main, &lfd);
    char url[64];
    snprintf(url, sizeof url, "https://127.0.0.1:%d/", ntohs(a.sin_port));
    hc_session *s = hc_session_new();
    hc_error *e = NULL;
    hc_session_set_timeout(s, hc_timeout_new(2, 2, 5));
    assert_null(hc_session_request(s, "GET", url, NULL, 0, &e));
    assert_int_equal(hc_error_get_kind(e), HC_ERR_TLS);
    assert_non_null(strstr(hc_error_message(e), "TLS handshake with 127.0.0.1 failed: "));
    hc_error_free(e);
    hc_session_free(s);
    pthread_join(t, NULL);
    close(lfd);
    assert_int_equal(hc_live_instances("Connection"), 0);
    assert_int_equal(hc_live_instances("Error"), 0);
}

int main(void)
{
    alarm(120);
    if (system("openssl version >/dev/null 2>&1") != 0) {
        printf("openssl command not found\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verified_with_ca_file),
        cmocka_unit_test(test_system_store_rejects),
        cmocka_unit_test(test_not_tls_peer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
