/* A library late_main dlopens after the attach: are its mallocs tracked?
 *
 * A library late_main dlopens after the attach (tests/attach/test-attach.sh):
 * its malloc calls go through its own GOT, which only the tracker's dlopen
 * hook can have redirected. */
#include <heaptag.h>
#include <stdlib.h>

void *late_alloc(size_t n)
{
    HEAPTAG_PUSH("Late");
    void *p = malloc(n);
    HEAPTAG_POP();
    return p;
}
