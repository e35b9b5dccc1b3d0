/* A small program with known output: one line on stdout, one on stderr, one live 321-byte
 * "Plain" block, and the exit status given as its argument (default 0). */
#include "heaptag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    HEAPTAG_PUSH("Plain");
    char *p = malloc(321);
    HEAPTAG_POP();
    if (!p)
        return 99;
    snprintf(p, 321, "plain: hello from %s", argc > 2 ? argv[2] : "plain");
    puts(p);
    fprintf(stderr, "plain: a line on stderr\n");
    return argc > 1 ? atoi(argv[1]) : 0;
}
