/* chanfuzz/interrupt.h -- SIGINT and SIGTERM as a request to stop: a long
 * command (`chanfuzz run`, `chanfuzz fuzz`) stops at the next execution,
 * writes what it found so far, and exits 128 + the signal (130, 143), as a
 * shell expects of an interrupted program.
 *
 *     chanfuzz_interrupt_install();
 *     while (more_work() && !chanfuzz_interrupted()) work();
 *     report();
 *     return chanfuzz_interrupted() ? chanfuzz_interrupt_status() : status;
 *
 * Children are stopped through their own process group: a child started
 * with chanfuzz_interrupt_spawn is the leader of a new group, and the
 * handler sends the signal on to that whole group (a libFuzzer -fork
 * parent and its workers alike), so nothing goes on writing after the
 * command has exited. */
#ifndef CHANFUZZ_INTERRUPT_H
#define CHANFUZZ_INTERRUPT_H

#include <stdbool.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Installs the handlers of SIGINT and SIGTERM (without SA_RESTART, so a
 * blocked waitpid returns to its loop). */
void chanfuzz_interrupt_install(void);

/* The signal that asked this process to stop, or 0. */
int chanfuzz_interrupted(void);

/* 128 + chanfuzz_interrupted(): the exit status of an interrupted command. */
int chanfuzz_interrupt_status(void);

/* posix_spawn(argv[0]) as the leader of a new process group, to which
 * every later SIGINT or SIGTERM of this process is sent on until
 * chanfuzz_interrupt_wait reaps it. A child started after an interrupt
 * runs (a corpus merge after the fuzzing stopped); only a further signal
 * stops it. `file_actions` is a const posix_spawn_file_actions_t * (or
 * NULL): void here so that this header does not pull in <spawn.h>, which
 * strict -std=c11 builds cannot compile. Returns posix_spawn's error (0 on
 * success). */
int chanfuzz_interrupt_spawn(pid_t *child, const void *file_actions, char *const argv[]);

/* Waits for the child chanfuzz_interrupt_spawn started; when this process
 * was interrupted meanwhile, kills what is left of its group (a worker the
 * leader did not take down) once the leader is gone. Returns the wait
 * status. */
int chanfuzz_interrupt_wait(pid_t child);

#ifdef __cplusplus
}
#endif

#endif
