/* hc — a curl-like command line over the hc library.
 *
 * For the same URL and options its output matches curl's: the body on stdout,
 * and with -i the response head as received (every head of a -L chain, as
 * curl prints).  Exit statuses follow curl's where the failure is the same
 * (docs/client.md).  Bodies are written as they arrive (the library's body
 * sink), so memory stays bounded however large, or however compressed, a body
 * is.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hc.h"

#define EXIT_USAGE 2

struct options {
    const char *url, *method, *out_path, *cacert, *user_agent;
    int include, head_only, follow, insecure, silent, show_error, fail, compressed, max_redirs;
    double max_time, connect_timeout;
    uint64_t max_filesize;
    char *data;
    size_t data_len;
    int have_data;
    hc_headers *headers;
};

static void usage(FILE *f)
{
    fputs("usage: hc [options] URL\n"
          "  -X, --request METHOD     request method (default GET, POST with -d)\n"
          "  -H, --header 'N: v'      add a request header (repeatable)\n"
          "  -d, --data DATA          request body; @FILE reads it (CR/LF removed); repeatable, "
          "joined by &\n"
          "      --data-binary DATA   request body as is; @FILE reads it unchanged\n"
          "  -i, --include            print the response head before the body\n"
          "  -I, --head               HEAD request, print the head\n"
          "  -L, --location           follow redirects\n"
          "      --max-redirs N       at most N redirects with -L (default 50)\n"
          "  -m, --max-time SECS      limit the whole transfer\n"
          "      --connect-timeout S  limit each connection setup\n"
          "      --cacert FILE        verify the peer against the CAs in FILE\n"
          "  -k, --insecure           do not verify the TLS peer\n"
          "      --compressed         ask for gzip/deflate and decode it\n"
          "  -A, --user-agent UA      User-Agent (default hc/1.0)\n"
          "  -o, --output FILE        write to FILE instead of stdout\n"
          "      --max-filesize BYTES stop with exit 63 when a body is larger (default: no limit)\n"
          "  -f, --fail               exit 22 on HTTP status >= 400, print nothing\n"
          "  -s, --silent             no error message (see -S)\n"
          "  -S, --show-error         error message even with -s\n",
          f);
}

/* curl's exit codes for the same failures. */
static int exit_code(hc_error_kind k)
{
    switch (k) {
    case HC_ERR_INVALID_URL: return 3;
    case HC_ERR_RESOLVE: return 6;
    case HC_ERR_CONNECT: return 7;
    case HC_ERR_TIMEOUT: return 28;
    case HC_ERR_TLS: return 35;
    case HC_ERR_TLS_VERIFY: return 60;
    case HC_ERR_TOO_MANY_REDIRECTS: return 47;
    case HC_ERR_MALFORMED_RESPONSE: return 8;
    case HC_ERR_TRUNCATED: return 18;
    case HC_ERR_EMPTY_REPLY: return 52;
    case HC_ERR_SEND: return 55;
    case HC_ERR_RECV: return 56;
    case HC_ERR_DECODE: return 61;
    case HC_ERR_HTTP_STATUS: return 22;
    case HC_ERR_INVALID_ARGUMENT: return 2;
    case HC_ERR_TOO_LARGE: return 63;
    case HC_ERR_NO_MEMORY: return 27;
    case HC_ERR_WRITE: return 23;
    case HC_ERR_ATTRIBUTE:
    case HC_ERR_TYPE:
    case HC_ERR_JSON: return 1;
    }
    return 1;
}

static int fail_with(const struct options *o, int code, const char *msg)
{
    if (!o->silent || o->show_error)
        fprintf(stderr, "hc: (%d) %s\n", code, msg);
    return code;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (n == cap)
            buf = realloc(buf, cap *= 2);
        size_t got = fread(buf + n, 1, cap - n, f);
        if (got == 0)
            break;
        n += got;
    }
    if (f != stdin)
        fclose(f);
    *len = n;
    return buf;
}

/* -d joins pieces with '&'; -d @file drops CR and LF as curl does;
 * --data-raw takes a leading '@' literally. */
static int add_data(struct options *o, const char *arg, int binary, int raw)
{
    char *piece;
    size_t len;
    if (arg[0] == '@' && !raw) {
        piece = read_file(arg + 1, &len);
        if (!piece) {
            fprintf(stderr, "hc: cannot read %s: %s\n", arg + 1, strerror(errno));
            return -1;
        }
        if (!binary) {
            size_t w = 0;
            for (size_t r = 0; r < len; r++)
                if (piece[r] != '\r' && piece[r] != '\n')
                    piece[w++] = piece[r];
            len = w;
        }
    } else {
        len = strlen(arg);
        piece = malloc(len + 1);
        memcpy(piece, arg, len);
    }
    o->data = realloc(o->data, o->data_len + len + 2);
    if (o->have_data)
        o->data[o->data_len++] = '&';
    memcpy(o->data + o->data_len, piece, len);
    o->data_len += len;
    o->have_data = 1;
    free(piece);
    return 0;
}

static int parse_number(const char *opt, const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v < 0) {
        fprintf(stderr, "hc: option %s: expected a non-negative number, got '%s'\n", opt, s);
        return -1;
    }
    *out = v;
    return 0;
}

/* Short options that take a value, and long ones. */
static const char short_with_value[] = "XHdmAo";
static int long_takes_value(const char *a)
{
    static const char *const names[] = {"--request",     "--header",          "--data",
                                        "--data-binary", "--data-raw",        "--max-redirs",
                                        "--max-time",    "--connect-timeout", "--cacert",
                                        "--user-agent",  "--output",          "--max-filesize"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(a, names[i]) == 0)
            return 1;
    return 0;
}

/* curl's short option syntax: "-sS" is "-s -S", "-sSo FILE" ends with an
 * option taking the next argument, "-ofile" and "-sSofile" attach the
 * value.  Expanded into one option per argument for parse_args. */
static char **expand_short(int argc, char **argv, int *outc)
{
    char **out = calloc((size_t)argc * 2 + 1, sizeof *out);
    int n = 0;
    if (!out)
        return NULL;
    out[n++] = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == '-' || a[1] == '\0') {
            out[n++] = argv[i];
            if (long_takes_value(a) && i + 1 < argc)
                out[n++] = argv[++i];
            continue;
        }
        for (const char *p = a + 1; *p; p++) {
            /* "-c" for each letter, in static storage: nothing to free. */
            static char one[256][3];
            char *opt = one[(unsigned char)*p];
            opt[0] = '-', opt[1] = *p, opt[2] = '\0';
            char **grown = realloc(out, sizeof *out * ((size_t)n + (size_t)argc * 2 + 4));
            if (!grown) {
                free(out);
                return NULL;
            }
            out = grown;
            out[n++] = opt;
            if (strchr(short_with_value, *p)) {
                if (p[1])
                    out[n++] = (char *)p + 1;
                else if (i + 1 < argc)
                    out[n++] = argv[++i];
                break;
            }
        }
    }
    out[n] = NULL;
    *outc = n;
    return out;
}

/* -H 'Name: value': the value without the blanks after the colon. */
static int add_header(struct options *o, const char *val)
{
    const char *colon = strchr(val, ':');
    if (!colon) {
        fprintf(stderr, "hc: option -H: header '%s' has no colon\n", val);
        return -1;
    }
    char name[256];
    size_t nl = (size_t)(colon - val);
    if (nl >= sizeof name) {
        fprintf(stderr, "hc: option -H: header name too long\n");
        return -1;
    }
    memcpy(name, val, nl);
    name[nl] = '\0';
    const char *v = colon + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    hc_error *e = NULL;
    if (hc_headers_add(o->headers, name, v, &e) != 0) {
        fprintf(stderr, "hc: option -H: %s\n", hc_error_message(e));
        hc_error_free(e);
        return -1;
    }
    return 0;
}

static int parse_byte_count(const char *opt, const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    uintmax_t v = strtoumax(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-') {
        fprintf(stderr, "hc: option %s: expected a byte count, got '%s'\n", opt, s);
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

#define IS(short_, long_) (((short_)[0] && strcmp(a, short_) == 0) || strcmp(a, long_) == 0)

/* The options without a value, which set a flag: the flag, or NULL. */
static int *flag_option(struct options *o, const char *a)
{
    const struct {
        const char *short_, *long_;
        int *flag;
    } flags[] = {
        {"-i", "--include", &o->include},     {"-I", "--head", &o->head_only},
        {"-L", "--location", &o->follow},     {"-k", "--insecure", &o->insecure},
        {"", "--compressed", &o->compressed}, {"-f", "--fail", &o->fail},
        {"-s", "--silent", &o->silent},       {"-S", "--show-error", &o->show_error},
    };
    for (size_t k = 0; k < sizeof flags / sizeof *flags; k++)
        if (IS(flags[k].short_, flags[k].long_))
            return flags[k].flag;
    return NULL;
}

static int parse_args(int argc, char **argv, struct options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        int *flag = flag_option(o, a);
#define NEEDS_VALUE()                                                  \
    do {                                                               \
        if (i + 1 >= argc) {                                           \
            fprintf(stderr, "hc: option %s: requires parameter\n", a); \
            return -1;                                                 \
        }                                                              \
        val = argv[++i];                                               \
    } while (0)
        if (flag) {
            *flag = 1;
        } else if (IS("-X", "--request")) {
            NEEDS_VALUE();
            o->method = val;
        } else if (IS("-H", "--header")) {
            NEEDS_VALUE();
            if (add_header(o, val) != 0)
                return -1;
        } else if (IS("-d", "--data") || IS("", "--data-binary") || IS("", "--data-raw")) {
            int binary = strcmp(a, "--data-binary") == 0;
            NEEDS_VALUE();
            if (add_data(o, val, binary, strcmp(a, "--data-raw") == 0) != 0)
                return -1;
        } else if (IS("", "--max-redirs")) {
            double v;
            NEEDS_VALUE();
            if (parse_number(a, val, &v) != 0)
                return -1;
            o->max_redirs = (int)v;
        } else if (IS("-m", "--max-time")) {
            NEEDS_VALUE();
            if (parse_number(a, val, &o->max_time) != 0)
                return -1;
        } else if (IS("", "--connect-timeout")) {
            NEEDS_VALUE();
            if (parse_number(a, val, &o->connect_timeout) != 0)
                return -1;
        } else if (IS("", "--cacert")) {
            NEEDS_VALUE();
            o->cacert = val;
        } else if (IS("-A", "--user-agent")) {
            NEEDS_VALUE();
            o->user_agent = val;
        } else if (IS("", "--max-filesize")) {
            NEEDS_VALUE();
            if (parse_byte_count(a, val, &o->max_filesize) != 0)
                return -1;
        } else if (IS("-o", "--output")) {
            NEEDS_VALUE();
            o->out_path = val;
        } else if (IS("-h", "--help")) {
            usage(stdout);
            exit(0);
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "hc: option %s: is unknown\n", a);
            return -1;
        } else if (o->url) {
            fprintf(stderr, "hc: only one URL is supported\n");
            return -1;
        } else {
            o->url = a;
        }
    }
    if (!o->url) {
        fprintf(stderr, "hc: no URL specified\n");
        return -1;
    }
    return 0;
}

struct output {
    FILE *f;
    int include, failed_write, fail;
};

/* Every head as it arrives, interim 1xx ones too, as curl -i shows them;
 * with -f a failing response prints nothing. */
static void print_head(const hc_response *r, void *ctx)
{
    struct output *out = ctx;
    if (!out->include || (out->fail && hc_response_status_code(r) >= 400))
        return;
    size_t len;
    const void *raw = hc_response_raw(r, &len);
    if (fwrite(raw, 1, len, out->f) != len)
        out->failed_write = 1;
}

/* curl -i prints chunked trailer fields after the body.  The library
 * appends them to the headers, after the fields of the raw head. */
static int write_body(const hc_response *r, const void *data, size_t len, void *ctx)
{
    struct output *out = ctx;
    if (out->fail && hc_response_status_code(r) >= 400)
        return 0;
    if (fwrite(data, 1, len, out->f) != len) {
        out->failed_write = 1;
        return -1;
    }
    return 0;
}

static void print_trailers(const hc_response *r, struct output *out)
{
    size_t rawlen, lines = 0;
    const char *raw = hc_response_raw(r, &rawlen);
    for (size_t i = 0; i < rawlen; i++)
        lines += raw[i] == '\n';
    const hc_headers *h = hc_response_headers(r);
    for (size_t i = lines >= 2 ? lines - 2 : 0; i < hc_headers_count(h); i++)
        if (fprintf(out->f, "%s: %s\r\n", hc_headers_name_at(h, i), hc_headers_value_at(h, i)) < 0)
            out->failed_write = 1;
}

/* The request: the method curl would choose, the -H headers, and the
 * body; NULL with *E set when the URL is refused. */
static hc_request *make_request(const struct options *o, hc_error **e)
{
    const char *method = o->method      ? o->method
                         : o->head_only ? "HEAD"
                         : o->have_data ? "POST"
                                        : "GET";
    hc_request *req = hc_request_new(method, o->url, e);
    if (!req)
        return NULL;
    for (size_t i = 0; i < hc_headers_count(o->headers); i++)
        hc_headers_add(hc_request_headers(req), hc_headers_name_at(o->headers, i),
                       hc_headers_value_at(o->headers, i), NULL);
    if (o->have_data) {
        hc_request_set_body(req, o->data, o->data_len);
        /* curl's order: the -H headers, Content-Length, then its default
         * Content-Type, so servers that echo headers see the same request. */
        if (!hc_headers_get(o->headers, "Content-Type") &&
            !hc_headers_get(o->headers, "Content-Length")) {
            char n[32];
            snprintf(n, sizeof n, "%zu", o->data_len);
            hc_headers_add(hc_request_headers(req), "Content-Length", n, NULL);
            hc_headers_add(hc_request_headers(req), "Content-Type",
                           "application/x-www-form-urlencoded", NULL);
        }
    }
    return req;
}

static void configure_session(hc_session *s, const struct options *o)
{
    /* curl's defaults: no Accept-Encoding, no decoding unless --compressed. */
    hc_session_set_decode_content(s, o->compressed);
    hc_headers_set(hc_session_headers(s), "User-Agent", o->user_agent ? o->user_agent : "hc/1.0",
                   NULL);
    hc_session_set_follow_redirects(s, o->follow);
    hc_session_set_max_redirects(s, o->max_redirs);
    hc_session_set_timeout(s, hc_timeout_new(o->connect_timeout, 0, o->max_time));
    if (o->insecure)
        hc_session_set_verify(s, 0);
}

int main(int argc, char **argv)
{
    struct options o = {.max_redirs = 50};
    o.headers = hc_headers_new();
    int rc = 0;
    int xargc = 0;
    char **xargv = expand_short(argc, argv, &xargc);
    if (!xargv) {
        fprintf(stderr, "hc: out of memory\n");
        return 27;
    }
    if (parse_args(xargc, xargv, &o) != 0) {
        fprintf(stderr, "hc: try 'hc --help' for more information\n");
        hc_headers_free(o.headers);
        free(o.data);
        free(xargv);
        return EXIT_USAGE;
    }
    hc_session *s = hc_session_new();
    hc_request *req = NULL;
    hc_response *resp = NULL;
    hc_error *e = NULL;
    struct output out = {stdout, o.include || o.head_only, 0, o.fail};
    FILE *outfile = NULL;

    configure_session(s, &o);
    if (o.cacert && hc_session_set_ca_file(s, o.cacert, &e) != 0) {
        rc = fail_with(&o, 77, hc_error_message(e));
        goto done;
    }
    req = make_request(&o, &e);
    if (!req) {
        rc = fail_with(&o, exit_code(hc_error_get_kind(e)), hc_error_message(e));
        goto done;
    }
    if (o.out_path) {
        outfile = fopen(o.out_path, "wb");
        if (!outfile) {
            char msg[512];
            snprintf(msg, sizeof msg, "Failed to open the file %s: %s", o.out_path,
                     strerror(errno));
            rc = fail_with(&o, 23, msg);
            goto done;
        }
        out.f = outfile;
    }
    hc_session_set_head_hook(s, print_head, &out);
    hc_session_set_body_sink(s, write_body, &out);
    hc_session_set_max_body(s, o.max_filesize);
    resp = hc_session_send(s, req, &e);
    if (!resp && out.failed_write) {
        rc = fail_with(&o, 23, "Failure writing output to destination");
        goto done;
    }
    if (!resp) {
        rc = fail_with(&o, exit_code(hc_error_get_kind(e)), hc_error_message(e));
        goto done;
    }
    if (o.fail && hc_response_status_code(resp) >= 400) {
        char msg[300];
        snprintf(msg, sizeof msg, "The requested URL returned error: %d",
                 hc_response_status_code(resp));
        rc = fail_with(&o, 22, msg);
        goto done;
    }
    if (out.include && !o.head_only)
        print_trailers(resp, &out);
    if (fflush(out.f) != 0 || out.failed_write)
        rc = fail_with(&o, 23, "Failure writing output to destination");
done:
    if (outfile && fclose(outfile) != 0 && rc == 0)
        rc = fail_with(&o, 23, "Failure writing output to destination");
    hc_error_free(e);
    hc_response_free(resp);
    hc_request_free(req);
    hc_session_free(s);
    hc_headers_free(o.headers);
    free(o.data);
    free(xargv);
    return rc;
}
