/* error.h — building Error objects inside the library. */
#ifndef HC_ERROR_H
#define HC_ERROR_H

#include "hc.h"

hc_error *hc_error_new(hc_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Store a new error in *ERR when ERR is not NULL, else drop it. */
void hc_error_set(hc_error **err, hc_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Store E in *ERR, or free it when ERR is NULL. */
void hc_error_pass(hc_error **err, hc_error *e);
void hc_error_set_status(hc_error *e, int status);

#endif
