/* libFuzzer target: the report reader (tools/report/report.c), which loads a file:
 * the input goes to a memfd and the reader opens it by /proc path. */
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("report", 0);
        if (fd < 0)
            abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    char err[512];
    err[0] = '\0';
    struct ht_report *r = ht_report_load(path, err, sizeof err);
    if (r) {
        ht_report_sort(r, HT_SORT_PEAK);
        ht_report_sort(r, HT_SORT_NAME);
        for (size_t i = 0; i < r->ntypes; i++)
            (void)ht_type_bytes_per_instance(&r->types[i]);
        ht_report_free(r);
    } else if (err[0] == '\0') {
        abort(); /* a rejection always says why */
    }
    return 0;
}
