/* A stand-in for libheaptag.so in the `heaptag run` tests.
 *
 * fake_tracker.c — a stand-in for libheaptag.so in the `heaptag run`
 * tests: it writes a small, valid report at exit() where HEAPTAG_OUT says
 * (%p, %e, %%), with the real pid, like the tracker does, so the run tests
 * exercise heaptag's side (finding, renaming, summarising the report and
 * mirroring the exit) independently of the tracker under development.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void expand(const char *tpl, char *out, size_t len)
{
    size_t n = 0;
    for (const char *p = tpl; *p && n + 32 < len; p++) {
        if (p[0] == '%' && p[1] == 'p') {
            n += (size_t)snprintf(out + n, len - n, "%d", (int)getpid());
            p++;
        } else if (p[0] == '%' && p[1] == 'e') {
            n += (size_t)snprintf(out + n, len - n, "%.16s", program_invocation_short_name);
            p++;
        } else if (p[0] == '%' && p[1] == '%') {
            out[n++] = '%';
            p++;
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
}

__attribute__((destructor)) static void write_report(void)
{
    const char *tpl = getenv("HEAPTAG_OUT");
    char path[4096], tmp[4200];
    expand(tpl && *tpl ? tpl : "heaptag.%e.%p.json", path, sizeof path);
    snprintf(tmp, sizeof tmp, "%s.fake-tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return;
    fprintf(
        f,
        "{\"format\":\"heaptag-report\",\"version\":1,\"program\":\"%s\","
        "\"pid\":%d,\"ppid\":%d,\"reason\":\"exit\",\"duration_ms\":1,\"allocator\":\"fake\","
        "\"totals\":{\"alloc_calls\":3,\"free_calls\":1,\"bytes_requested\":300,\"live_bytes\":200,"
        "\"peak_live_bytes\":300,\"live_usable_bytes\":216,\"peak_live_usable_bytes\":328,"
        "\"live_blocks\":2,\"peak_live_blocks\":3,\"realloc_calls\":0,\"failed_calls\":0,"
        "\"foreign_free_calls\":0},\"tracker\":{\"overhead_bytes\":4096,\"peak_overhead_bytes\":"
        "8192},"
        "\"types\":[{\"name\":\"Response\",\"instances\":2,\"live_instances\":2,\"peak_live_"
        "instances\":2,"
        "\"alloc_calls\":2,\"free_calls\":0,\"bytes_requested\":200,\"live_bytes\":200,"
        "\"peak_live_bytes\":200,\"live_usable_bytes\":216,\"peak_live_usable_bytes\":216,\"live_"
        "blocks\":2},"
        "{\"name\":\"untagged\",\"instances\":0,\"live_instances\":0,\"peak_live_instances\":0,"
        "\"alloc_calls\":1,\"free_calls\":1,\"bytes_requested\":100,\"live_bytes\":0,"
        "\"peak_live_bytes\":100,\"live_usable_bytes\":0,\"peak_live_usable_bytes\":112,\"live_"
        "blocks\":0}]}\n",
        program_invocation_short_name, (int)getpid(), (int)getppid());
    if (fclose(f) == 0)
        rename(tmp, path);
}
