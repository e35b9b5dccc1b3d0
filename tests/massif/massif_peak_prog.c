/* A program whose heap peak is known exactly, for checking that `heaptag massif` reports
 * the same peak from massif and from heaptag.
 *
 *   massif_peak_prog SCALE
 *
 * It grows a buffer by realloc to SCALE*64 bytes, then builds a list of
 * SCALE 48-byte nodes and a calloc'd table of SCALE*16 bytes: the peak is
 * SCALE*128 requested bytes, reached once and held until the frees.  The
 * realloc growth comes first so that no transient old+new pair during a
 * realloc can ever exceed the final peak.  Afterwards one block of
 * SCALE*100 bytes is allocated alone, below the peak.  It prints nothing:
 * stdio's buffer would be a heap block too.
 *
 * Built with -O0 -fno-inline so each allocating function keeps its frame
 * and appears by name in massif's tree.  The tests in tests/massif name
 * its lines (grow_buffer's realloc is line 34): keep them where they are.
 */
#include <stdlib.h>
#include <string.h>

struct node {
    struct node *next;
    char payload[40];
};

static char *grow_buffer(size_t final)
{
    size_t size = 64;
    char *buf = malloc(size);
    if (buf == NULL)
        exit(1);
    while (size < final) {
        size = size * 2 < final ? size * 2 : final;
        char *nb = realloc(buf, size);
        if (nb == NULL)
            exit(1);
        buf = nb;
    }
    memset(buf, 'x', size);
    return buf;
}

static struct node *build_list(long n)
{
    struct node *head = NULL;
    for (long i = 0; i < n; i++) {
        struct node *nd = malloc(sizeof *nd);
        if (nd == NULL)
            exit(1);
        nd->next = head;
        memset(nd->payload, (int)i, sizeof nd->payload);
        head = nd;
    }
    return head;
}

static long *make_table(long n)
{
    long *t = calloc((size_t)n, 2 * sizeof(long));
    if (t == NULL)
        exit(1);
    return t;
}

static void scratch(long n)
{
    volatile char *p = malloc((size_t)n * 100);
    if (p == NULL)
        exit(1);
    p[0] = 1;
    free((void *)p);
}

int main(int argc, char **argv)
{
    char *end;
    long scale = argc == 2 ? strtol(argv[1], &end, 10) : 0;
    if (argc != 2 || *end || scale < 1 || scale > 10000000)
        return 2;
    char *buf = grow_buffer((size_t)scale * 64);
    struct node *list = build_list(scale);
    long *table = make_table(scale);
    free(table);
    while (list) {
        struct node *next = list->next;
        free(list);
        list = next;
    }
    free(buf);
    scratch(scale);
    return 0;
}
