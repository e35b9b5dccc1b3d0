/* libFuzzer target: the type-rules parser (profiler/src/rules_parse.c).
 *
 * It works in place on len + 1 bytes; every field it returns must point into that buffer
 * and be NUL-terminated there.
 */
#include "rules_parse.h"

#include <stdlib.h>
#include <string.h>

static void inside(const char *s, const char *buf, size_t len)
{
    if (s < buf || s > buf + len || !memchr(s, '\0', (size_t)(buf + len + 1 - s)))
        abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char *buf = malloc(size + 1);
    memcpy(buf, data, size);
    buf[size] = '\n'; /* the spare byte the parser may overwrite */
    struct type_rule rules[32];
    unsigned bad_line = 0;
    const char *why = NULL;
    int n = rules_parse(buf, size, rules, 32, &bad_line, &why);
    if (n > 32 || (n < 0 && (!why || bad_line == 0)))
        abort();
    for (int i = 0; i < n; i++) {
        inside(rules[i].type, buf, size);
        inside(rules[i].function, buf, size);
        if (rules[i].module)
            inside(rules[i].module, buf, size);
        if (!rules[i].type[0] || !rules[i].function[0])
            abort();
    }
    free(buf);
    return 0;
}
