#include <stdio.h>
#include <stdlib.h>
#include "ops.h"
int main(int argc, char **argv)
{
    int a = argc > 1 ? atoi(argv[1]) : 1, b = argc > 2 ? atoi(argv[2]) : 1;
    printf("%d + %d = %d, %d * %d = %d\n", a, b, add(a, b), a, b, mul(a, b));
    return 0;
}
