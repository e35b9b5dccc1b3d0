/* Three call sites whose live bytes rise and fall around the process's
 * peak (test-peak-sites.sh).
 *
 * Under HEAPTAG_SAMPLE=1 every block is sampled with weight 1, so each
 * site's live_at_peak is exact: A holds 10,000 bytes, then 5,000; B
 * 4,000; C grows the process past its old peak to 12,000 bytes, where A
 * holds 5,000, B 4,000 and C 3,000.  Later changes (B freed, C one block
 * more) stay under that peak and must not move those figures. */
#include <heaptag.h>
#include <stdlib.h>

static void *blocks[32];
static int n;

static __attribute__((noinline)) void take(const char *type)
{
    heaptag_push(type);
    char *p = malloc(1000);
    heaptag_pop();
    if (!p)
        exit(1);
    p[0] = 1;
    blocks[n++] = p;
}

int main(void)
{
    for (int i = 0; i < 10; i++)
        take("A"); /* blocks 0-9 */
    for (int i = 0; i < 5; i++)
        free(blocks[i]);
    for (int i = 0; i < 4; i++)
        take("B"); /* 10-13: 9,000 live, under the peak */
    for (int i = 0; i < 3; i++)
        take("C"); /* 14-16: 12,000 live, the new peak */
    for (int i = 10; i < 14; i++)
        free(blocks[i]);
    take("C"); /* 9,000 live */
    /* No stdio: its buffer would be one more block, and a new peak. */
    return n == 18 ? 0 : 2;
}
