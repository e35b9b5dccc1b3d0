/* parser.h — HTTP/1.x response parsing with a pure interface: bytes in,
 * spans (offsets into those bytes) out.
 *
 * No allocation, no I/O, no global state, so each function can be fed
 * arbitrary input by a fuzzer.
 */
#ifndef HC_PARSER_H
#define HC_PARSER_H

#include <stddef.h>
#include <stdint.h>

#define HC_PARSE_OK 0
#define HC_PARSE_ERROR (-1)
#define HC_PARSE_INCOMPLETE (-2)

/* The most header fields a head may hold whatever the limits say. */
#define HC_HEAD_MAX_FIELDS 256

struct hc_limits {
    size_t max_status_line; /* bytes, line ending excluded */
    size_t max_header_line; /* one field line */
    size_t max_head;        /* whole head (or trailer section) */
    size_t max_fields;      /* <= HC_HEAD_MAX_FIELDS */
    size_t max_chunk_line;  /* chunk-size line with extensions */
    uint64_t max_chunk_size;
    uint64_t max_body;  /* after decoding, for every framing */
    size_t max_interim; /* 1xx heads before the final one */
};

extern const struct hc_limits hc_default_limits;

struct hc_span {
    size_t off, len;
};

struct hc_field {
    struct hc_span name, value; /* value without surrounding whitespace */
};

struct hc_head {
    int version_minor;          /* HTTP/1.<minor> */
    int status;                 /* 100..999 */
    struct hc_span status_line; /* line ending excluded */
    struct hc_span reason;
    size_t nfields;
    struct hc_field fields[HC_HEAD_MAX_FIELDS];
    size_t head_len; /* bytes up to and including the blank line */
};

/* Parse a response head at the start of BUF.  HC_PARSE_OK with *OUT filled,
 * HC_PARSE_INCOMPLETE when more bytes are needed (and no limit is passed
 * yet), HC_PARSE_ERROR with *WHY naming the fault. */
int hc_parse_response_head(const char *buf, size_t len, const struct hc_limits *lim,
                           struct hc_head *out, const char **why);

/* Parse a block of field lines ending with an empty line (the trailer
 * section after a chunked body).  Fields are stored in FIELDS (room for
 * lim->max_fields), their number in *NFIELDS, the bytes used in *USED. */
int hc_parse_fields(const char *buf, size_t len, const struct hc_limits *lim,
                    struct hc_field *fields, size_t *nfields, size_t *used, const char **why);

#endif
