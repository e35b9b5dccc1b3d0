/* cmd_attach.h — `heaptag attach PID`: track a process that is already
 * running (docs/attach.md).
 */
#ifndef HEAPTAG_TOOLS_CMD_ATTACH_H
#define HEAPTAG_TOOLS_CMD_ATTACH_H
int cmd_attach(int argc, char **argv);
#endif
