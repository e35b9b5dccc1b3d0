/* page_assets.c — page.js and page.css, built into the binary as they are.
 *
 * Each is followed by a NUL.  Built in as they are, the page's script and
 * style are edited as ordinary files and no generator is needed.  The paths
 * are relative to the top of the tree, where make runs the compiler;
 * html.mk makes this object depend on both files.
 */
#include "html/page.h"

__asm__(".section .rodata\n"
        ".global ht_page_js\n"
        ".type ht_page_js, @object\n"
        "ht_page_js:\n"
        ".incbin \"tools/html/page.js\"\n"
        ".byte 0\n"
        ".global ht_page_css\n"
        ".type ht_page_css, @object\n"
        "ht_page_css:\n"
        ".incbin \"tools/html/page.css\"\n"
        ".byte 0\n"
        ".previous\n");
