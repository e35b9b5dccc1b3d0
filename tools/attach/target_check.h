/* target_check.h — whether `heaptag attach` may and can load the tracker
 * into a process: each refusal is one line for the user (exit 2).
 */
#ifndef HEAPTAG_TOOLS_TARGET_CHECK_H
#define HEAPTAG_TOOLS_TARGET_CHECK_H
#include <stddef.h>
#include <sys/types.h>

/* 0 if PID exists and this user may ptrace it; else -1 and why in ERR. */
int target_permitted(pid_t pid, char *err, size_t errlen);
/* 1 if PID has libheaptag.so loaded, 0 if not, -1 (and ERR) if unknown. */
int target_tracked(pid_t pid, char *err, size_t errlen);
/* 0 if PID is dynamically linked against glibc (the tracker can be
 * dlopen'ed into it); else -1 and why in ERR. */
int target_loadable(pid_t pid, char *err, size_t errlen);
#endif
