/* One block under each of several hostile type names (t14-odd-names.sh).
 *
 * Type names no program should use but any program may: empty, longer
 * than the tracker keeps, not UTF-8, holding control characters and a
 * terminal escape sequence.  Each gets exactly one 10-byte block (kept live)
 * so the test can count the types the report lists for them. */
#include <heaptag.h>
#include <stdlib.h>
#include <string.h>

static void one(const char *name)
{
    HEAPTAG_PUSH(name);
    void *p = malloc(10);
    HEAPTAG_POP();
    if (!p)
        exit(1);
}

int main(void)
{
    static char longest[1000], longer[1000];
    memset(longest, 'L', sizeof longest - 1);
    memset(longer, 'L', sizeof longer - 1);
    longer[600] = 'x'; /* differs only past the kept length: same type */
    /* 253 ASCII bytes then a 3-byte character: cut before the character. */
    static char straddle[300];
    memset(straddle, 'S', 253);
    memcpy(straddle + 253, "\xe2\x82\xac\xe2\x82\xac", 7);
    one("");
    one(longest);
    one(longer);
    one(straddle);
    one("bad\xff\xfeutf8");
    one("half\xe2\x82");
    one("ctl\x01\x1f\x7f\ttab\nnl");
    one("esc\x1b[31mred\x1b[0m\x1b]0;title\x07");
    one("quote\"back\\slash");
    one("caf\xc3\xa9");
    return 0;
}
