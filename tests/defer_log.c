/* defer_log.c -- see defer_log.h. */
#include "defer_log.h"

#include <chanfuzz/go.h>
#include <string.h>

char order[256];
const char *recovered[4];
int recover_calls;

void reset(void) {
    order[0] = '\0';
    memset(recovered, 0, sizeof recovered);
    recover_calls = 0;
}

void mark(void *tag) { strcat(order, tag); }

void recover_into_log(void *arg) {
    (void)arg;
    recovered[recover_calls++] = go_recover();
}
