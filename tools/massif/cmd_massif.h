/* `heaptag massif`: profile one or two commands under valgrind's massif and under heaptag,
 * and compare peaks (see cmd_massif.c for the usage). */
#ifndef HEAPTAG_CMD_MASSIF_H
#define HEAPTAG_CMD_MASSIF_H

/* argv[0] is "massif".  Returns the process exit status: 0 on success, 2
** for usage errors, a missing valgrind or libheaptag.so, a command that
** fails, or an unreadable massif.out. */
int cmd_massif(int argc, char **argv);

#endif
