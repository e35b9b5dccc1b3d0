/* snapshot_dir.h — `heaptag report DIR`: the latest of the numbered
 * snapshots (snapshot-NNNNNN.json) that HEAPTAG_INTERVAL writes there.
 */
#ifndef HEAPTAG_TOOLS_SNAPSHOT_DIR_H
#define HEAPTAG_TOOLS_SNAPSHOT_DIR_H

#include <stddef.h>

/* PATH itself when it is not a directory; else the path of its
 * highest-numbered snapshot in BUF.  NULL with a reason in ERR when the
 * directory holds none. */
const char *ht_snapshot_resolve(const char *path, char *buf, size_t len, char *err, size_t errlen);

#endif
