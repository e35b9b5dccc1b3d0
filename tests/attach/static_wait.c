/* A statically linked program that waits (tests/attach/test-attach.sh:
 * heaptag attach must refuse it). */
#include <unistd.h>

int main(void)
{
    for (int i = 0; i < 600; i++)
        sleep(1);
    return 0;
}
