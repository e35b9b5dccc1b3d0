/* python_hooks.h — `heaptag run --python`: CPython's own allocator
 * (pymalloc) reported to the tracker (docs/python.md).
 */
#ifndef HEAPTAG_TOOLS_PYTHON_HOOKS_H
#define HEAPTAG_TOOLS_PYTHON_HOOKS_H
#include <stddef.h>

/* Put the folder of the CPython hooks (heaptag/python beside TRACKER, the
 * absolute path of libheaptag.so) in front of PYTHONPATH, so the Python
 * started next loads them at start-up.  0, or -1 with a reason in ERR. */
int ht_python_env(const char *tracker, char *err, size_t errlen);
#endif
