/* Shell-style wildcard matching for type rules (glob_match.h). */
#include "glob_match.h"

/* Does the set starting after '[' at *pp match c?  Advances *pp past ']'. */
static int set_matches(const char **pp, char c)
{
    const char *p = *pp;
    int negate = (*p == '!' || *p == '^');
    if (negate)
        p++;
    int hit = 0;
    for (int first = 1; *p && (first || *p != ']'); first = 0) {
        char lo = *p++, hi = lo;
        if (*p == '-' && p[1] && p[1] != ']') {
            hi = p[1];
            p += 2;
        }
        if (c >= lo && c <= hi)
            hit = 1;
    }
    *pp = *p == ']' ? p + 1 : p;
    return hit != negate;
}

/* Iterative matcher with one backtrack point per '*', linear in practice. */
int glob_match(const char *p, const char *t)
{
    const char *star_p = 0, *star_t = 0;
    while (*t) {
        if (*p == '*') {
            star_p = ++p;
            star_t = t;
            continue;
        }
        if (*p == '[') {
            const char *q = p + 1;
            if (set_matches(&q, *t)) {
                p = q;
                t++;
                continue;
            }
        } else if (*p == '?' || (*p == '\\' && p[1] == *t) || (*p != '\\' && *p == *t)) {
            p += (*p == '\\') ? 2 : 1;
            t++;
            continue;
        }
        if (!star_p)
            return 0;
        p = star_p;
        t = ++star_t;
    }
    while (*p == '*')
        p++;
    return *p == 0;
}
