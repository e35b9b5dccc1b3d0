/* Running a command for `heaptag massif`, once under massif and once under heaptag.
 *
 * Running a command for `heaptag massif`: once under valgrind's massif and
 * once with libheaptag.so preloaded, each with its output captured in a
 * log file so the comparison table is not interleaved with the program's
 * own chatter.
*/
#ifndef HEAPTAG_MASSIF_RUN_H
#define HEAPTAG_MASSIF_RUN_H

#include <stddef.h>
#include <sys/types.h>

/* The full path of valgrind on $PATH, or NULL (malloc'd). */
char *massif_find_valgrind(void);

/* Run argv under `valgrind --tool=massif` writing out_file; program and
 * valgrind output go to log_file.  Returns 0 when the command ran and
 * exited 0, else -1 with a one-line reason in err. */
int massif_run_valgrind(const char *valgrind, char *const argv[], const char *out_file,
                        const char *log_file, char *err, size_t errlen);

/* Run argv with lib prepended to LD_PRELOAD and HEAPTAG_OUT set to
 * report_dir/heaptag.%p.json; output to log_file.  On success returns 0
 * and the path of the report of the process we started (not of any child
 * it forked) in report_path.  Else -1 with a one-line reason in err. */
int massif_run_heaptag(const char *lib, char *const argv[], const char *report_dir,
                       const char *log_file, char *report_path, size_t report_path_len, char *err,
                       size_t errlen);

#endif
