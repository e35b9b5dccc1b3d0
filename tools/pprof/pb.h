/* pb.h — the few protobuf wire-format primitives profile.proto needs
 * (varints, packed varints, length-delimited fields).
 *
 * They are appended to a growable buffer.  A nested message is built in a
 * buffer of its own and then added as a length-delimited field.
 */
#ifndef HEAPTAG_TOOLS_PB_H
#define HEAPTAG_TOOLS_PB_H

#include <stddef.h>
#include <stdint.h>

struct pb {
    uint8_t *data;
    size_t len, cap;
    int oom; /* set on allocation failure; later writes are dropped */
};

void pb_free(struct pb *b);
void pb_reset(struct pb *b);
/* Field NUM as a varint (wire type 0); zero values are written too. */
void pb_uint(struct pb *b, unsigned num, uint64_t v);
void pb_int(struct pb *b, unsigned num, int64_t v);
/* Field NUM, length-delimited (wire type 2): bytes, strings, messages. */
void pb_bytes(struct pb *b, unsigned num, const void *data, size_t len);
void pb_msg(struct pb *b, unsigned num, const struct pb *msg);
/* A packed repeated varint field. */
void pb_packed(struct pb *b, unsigned num, const uint64_t *v, size_t n);

#endif
