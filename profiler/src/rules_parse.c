/* Parsing type rules files (rules_parse.h). */
#include "rules_parse.h"

static int blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

int rules_parse(char *text, size_t len, struct type_rule *rules, int max, unsigned *bad_line,
                const char **why)
{
    int n = 0;
    unsigned line = 0;
    char *end = text + len;
    for (char *p = text; p < end;) {
        line++;
        char *eol = p;
        while (eol < end && *eol != '\n')
            eol++;
        char *fields[4];
        int nf = 0;
        for (char *q = p; q < eol;) {
            while (q < eol && blank(*q))
                q++;
            if (q >= eol || *q == '#')
                break;
            if (*q == '\0') {
                *bad_line = line;
                *why = "the line contains a NUL byte";
                return -1;
            }
            if (nf == 4)
                break;
            fields[nf++] = q;
            while (q < eol && !blank(*q) && *q != '#')
                q++;
            if (q < eol && *q == '#') {
                *q = 0;
                q = eol;
            } else if (q < eol) {
                *q++ = 0;
            }
        }
        *eol = 0; /* also ends the last field of the line */
        p = eol + 1;
        if (nf == 0)
            continue;
        if (nf < 2 || nf > 3) {
            *bad_line = line;
            *why = nf < 2
                       ? "expected TYPE FUNCTION-GLOB [MODULE-GLOB], found one field"
                       : "expected TYPE FUNCTION-GLOB [MODULE-GLOB], found more than three fields";
            return -1;
        }
        if (n == max) {
            *bad_line = line;
            *why = "too many rules";
            return -1;
        }
        rules[n].type = fields[0];
        rules[n].function = fields[1];
        rules[n].module = nf == 3 ? fields[2] : 0;
        rules[n].line = line;
        n++;
    }
    return n;
}
