/* Shell-style wildcard matching (*, ?, [set], [!set], backslash escapes)
 * for type rules.
 *
 * Not fnmatch(3): glibc's may allocate in multibyte locales, and this
 * runs inside allocation hooks. */
#ifndef HT_GLOB_MATCH_H
#define HT_GLOB_MATCH_H
int glob_match(const char *pattern, const char *text);
#endif
