/* sampling_note.c — what every output of a sampled report says about it
 * (sampling_note.h).
 */
#include "report/sampling_note.h"

#include <jansson.h>

#include "units.h"

void *ht_sampling_json(const struct ht_report *r)
{
    json_t *s = json_object_get(r->json, "sampling");
    return json_is_object(s) ? json_incref(s) : NULL;
}

int ht_peak_samples(const struct ht_report *r, long long *n)
{
    json_t *v = json_object_get(json_object_get(r->json, "sampling"), "peak_samples");
    if (!json_is_integer(v))
        return 0;
    *n = (long long)json_integer_value(v);
    return 1;
}

void ht_sampling_note(FILE *out, const struct ht_report *r, int markdown)
{
    json_t *s = json_object_get(r->json, "sampling");
    if (!json_is_object(s))
        return;
    char b[4][32];
    json_int_t mean = json_integer_value(json_object_get(s, "mean_bytes"));
    fprintf(out,
            "%sSAMPLED: one sample per %s allocated on average; every figure but instances "
            "is an estimate, peaks biased upwards.  95%% bounds (+-):%s\n",
            markdown ? "\n" : "", ht_human_bytes((double)mean, b[0], sizeof b[0]),
            markdown ? "\n" : "");
    if (markdown)
        fputs("| type | samples | live bytes | bytes allocated | alloc calls "
              "|\n|---|--:|--:|--:|--:|\n",
              out);
    json_t *t;
    size_t i;
    json_array_foreach(json_object_get(s, "types"), i, t)
    {
        json_int_t live = json_integer_value(json_object_get(t, "live_bytes"));
        json_int_t alloc = json_integer_value(json_object_get(t, "bytes_requested"));
        json_int_t calls = json_integer_value(json_object_get(t, "alloc_calls"));
        json_int_t n = json_integer_value(json_object_get(t, "samples"));
        const char *name = json_string_value(json_object_get(t, "name"));
        if (markdown)
            fprintf(out, "| %s | %lld | %lld | %lld | %lld |\n", name, (long long)n,
                    (long long)live, (long long)alloc, (long long)calls);
        else
            fprintf(out, "  %-24s %6lld samples  live +-%-11s allocated +-%-11s calls +-%lld\n",
                    name, (long long)n, ht_human_bytes((double)live, b[1], sizeof b[1]),
                    ht_human_bytes((double)alloc, b[2], sizeof b[2]), (long long)calls);
    }
    /* What the process's peak rests on (reports since round four): a peak
     * of few samples is the maximum of a few fluctuating counts and can
     * read several times too high (ADR-0010). */
    long long n;
    if (ht_peak_samples(r, &n)) {
        fprintf(out, "%speak: an estimate resting on %lld live sample%s%s\n",
                markdown ? "\n" : "  ", n, n == 1 ? "" : "s",
                n < HT_PEAK_SAMPLES_TRUSTED
                    ? " (too few to trust: it can read several times too high; a smaller "
                      "HEAPTAG_SAMPLE takes more)"
                    : "");
    }
}
