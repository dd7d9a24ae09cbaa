/* defer_log.h -- what deferred calls did, for the defer, recover and Goexit
 * tests: each step appends its tag to `order`; recover_into_log is a
 * deferred function that calls recover() directly and keeps what it got.
 * Each Test is a process of its own, so these start clean; tests that run
 * several executions call reset(). */
#ifndef CF_TEST_DEFER_LOG_H
#define CF_TEST_DEFER_LOG_H

extern char order[256];
extern const char *recovered[4];
extern int recover_calls;

void reset(void);
void mark(void *tag);
void recover_into_log(void *arg);

#endif
