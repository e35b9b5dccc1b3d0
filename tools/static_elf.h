/* static_elf.h — is a program statically linked?
 *
 * LD_PRELOAD cannot load the tracker into such a program, which then leaves
 * no report; heaptag run says so instead of guessing. */
#ifndef HEAPTAG_TOOLS_STATIC_ELF_H
#define HEAPTAG_TOOLS_STATIC_ELF_H

/* PROGRAM as execvp would find it: 1 statically linked ELF (no program
 * interpreter), 0 dynamically linked, -1 not found or not a readable
 * 64-bit ELF file. */
int ht_program_is_static(const char *program);

#endif
