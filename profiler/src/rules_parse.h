/* Type rules: which type an allocation belongs to, decided from its call
 * stack.  A rules file has one rule per line:
 *
 *     TYPE  FUNCTION-GLOB  [MODULE-GLOB]
 *
 * separated by blanks; '#' starts a comment; blank lines are ignored.  A
 * frame matches when its function name matches FUNCTION-GLOB and, if given,
 * the file name (basename) of its module matches MODULE-GLOB.  The
 * innermost frame that matches any rule decides, and among the rules the
 * first in the file wins for that frame.
 *
 * The parser is shared by the tracker (which must not allocate) and the
 * heaptag command (which rejects a bad file before starting a program):
 * it works on a caller's buffer of len + 1 bytes (the last one may be
 * overwritten), NUL-terminating fields in place. */
#ifndef HT_RULES_PARSE_H
#define HT_RULES_PARSE_H
#include <stddef.h>

struct type_rule {
    const char *type;
    const char *function;
    const char *module; /* NULL: any module */
    unsigned line;
};

/* Parse TEXT (modified in place) into at most MAX rules.  Returns the
 * number of rules, or -1 with *bad_line and *why describing the first
 * error. */
int rules_parse(char *text, size_t len, struct type_rule *rules, int max, unsigned *bad_line,
                const char **why);
#endif
