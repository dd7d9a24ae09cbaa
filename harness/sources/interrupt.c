/* interrupt.c -- SIGINT and SIGTERM as a request to stop, passed on to the
 * process group of the child being waited for (chanfuzz/interrupt.h). */
/* posix_spawn and its attributes, kill: POSIX, not C11. */
#define _GNU_SOURCE
#include "chanfuzz/interrupt.h"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

/* Written by the handler, read by the loops: sig_atomic_t is what a
 * handler may write. */
static volatile sig_atomic_t caught_signal;
static volatile sig_atomic_t caught_count;
/* The process group the handler sends a signal on to; 0: none. */
static volatile sig_atomic_t child_group;

static void on_signal(int sig) {
    int saved = errno; /* the interrupted code may be reading errno */
    caught_signal = sig;
    caught_count++;
    if (child_group > 0) kill(-(pid_t)child_group, sig);
    errno = saved;
}

void chanfuzz_interrupt_install(void) {
    struct sigaction action = {.sa_handler = on_signal};
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
}

int chanfuzz_interrupted(void) { return caught_signal; }

int chanfuzz_interrupt_status(void) { return 128 + caught_signal; }

int chanfuzz_interrupt_spawn(pid_t *child, const void *file_actions, char *const argv[]) {
    const posix_spawn_file_actions_t *actions = file_actions;
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attributes, 0);
    /* The child must not inherit an ignored SIGINT (a background job's)
     * or our handler's disposition (exec resets that one anyway). */
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    sig_atomic_t before = caught_count;
    int failed = posix_spawn(child, argv[0], actions, &attributes, argv, environ);
    posix_spawnattr_destroy(&attributes);
    if (failed) return failed;
    child_group = *child;
    /* A signal between the spawn and the line above reached only us. */
    if (caught_count != before) kill(-*child, caught_signal);
    return 0;
}

int chanfuzz_interrupt_wait(pid_t child) {
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    child_group = 0;
    /* The group outlives its leader while a worker is in it; its id is not
     * reused until the last one is gone, so this reaches only them. */
    if (caught_signal) kill(-child, SIGKILL);
    return status;
}
