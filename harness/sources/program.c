/* program.c -- the "program" line of a trace file (chanfuzz/tracefile.h):
 * which program a reproducer was recorded from, and where the Go frontend
 * that rebuilds a Go program is. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chanfuzz/tracefile.h"

/* The length of "KIND ID": up to the second space. */
static size_t identity_length(const char *program) {
    const char *space = strchr(program, ' ');
    if (space) space = strchr(space + 1, ' ');
    return space ? (size_t)(space - program) : strlen(program);
}

bool chanfuzz_program_same(const char *a, const char *b) {
    if (!a || !b) return false;
    size_t n = identity_length(a);
    return n == identity_length(b) && memcmp(a, b, n) == 0;
}

bool chanfuzz_program_is_go(const char *program) {
    return program && !strncmp(program, "go ", 3);
}

bool chanfuzz_go_frontend_path(char *out, size_t size) {
    const char *env = getenv("CHANFUZZ_GO_FRONTEND");
    if (env && *env) {
        snprintf(out, size, "%s", env);
        return access(out, X_OK) == 0;
    }
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return false;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash) return false;
    *slash = '\0';
    /* Installed: beside this program. Build tree: harness/cli/chanfuzz and
     * harness/diff/chanfuzz-diff are both two levels below the stage. */
    const char *candidates[] = {"%s/chanfuzz-go", "%s/../../gofront/stage/bin/chanfuzz-go"};
    for (size_t i = 0; i < sizeof candidates / sizeof *candidates; i++) {
        snprintf(out, size, candidates[i], self);
        if (access(out, X_OK) == 0) return true;
    }
    return false;
}
