/* A site's frames as a list of functions, inlined calls included, and the weights folded
 * stacks use. */
#include <string.h>

#include "stacks/stacks_out.h"

size_t ht_site_path(struct ht_symbolizer *z, const struct ht_site *site, int skip_wrappers,
                    struct ht_pathframe *out, size_t max)
{
    size_t n = 0;
    int inner = skip_wrappers;
    for (size_t f = 0; f < site->nframes && n < max; f++) {
        const struct ht_frame_info *fi = ht_symbolize(z, site->frames[f]);
        for (int e = 0; e < fi->nentries && n < max; e++) {
            if (inner && ht_is_alloc_wrapper(fi->entries[e].function))
                continue;
            inner = 0;
            out[n++] = (struct ht_pathframe){fi, e};
        }
    }
    /* A stack made only of wrappers still needs a name. */
    if (!n && skip_wrappers)
        return ht_site_path(z, site, 0, out, max);
    return n;
}

int ht_weight_parse(const char *s, enum ht_weight *out)
{
    if (!strcmp(s, "peak"))
        *out = HT_WEIGHT_PEAK;
    else if (!strcmp(s, "live"))
        *out = HT_WEIGHT_LIVE;
    else if (!strcmp(s, "allocated"))
        *out = HT_WEIGHT_ALLOCATED;
    else
        return -1;
    return 0;
}

long long ht_site_weight(const struct ht_site *site, enum ht_weight w)
{
    return w == HT_WEIGHT_PEAK   ? site->live_at_peak
           : w == HT_WEIGHT_LIVE ? site->live_bytes
                                 : site->bytes_requested;
}
