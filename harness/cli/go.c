/* go.c -- `chanfuzz go ...`: the Go frontend is its own program,
 * chanfuzz-go (gofront/), found beside this one: in the same directory
 * when installed, or in the build tree's gofront/stage/bin. It translates
 * Go tests, builds a runner and runs it, with this command line's flags. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static bool frontend_path(char *out, size_t size) {
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return false;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash) return false;
    *slash = '\0';
    const char *candidates[] = {"%s/chanfuzz-go", "%s/../../gofront/stage/bin/chanfuzz-go"};
    for (size_t i = 0; i < sizeof candidates / sizeof *candidates; i++) {
        snprintf(out, size, candidates[i], self);
        if (access(out, X_OK) == 0) return true;
    }
    return false;
}

int cli_go(int argc, char **argv) {
    char path[PATH_MAX + 64];
    if (!frontend_path(path, sizeof path))
        return cli_fail("go", "chanfuzz-go is not installed beside chanfuzz (build it: it needs "
                              "golang-go and golang-golang-x-tools-dev, see gofront/README.md)");
    argv[0] = path;
    execv(path, argv);
    return cli_fail("go", "%s: %s", path, strerror(errno));
}

const char *cli_replay_command(const chanfuzz_scenario *scenario) {
    return scenario->program && !strncmp(scenario->program, "go ", 3) ? "chanfuzz go replay"
                                                                       : "chanfuzz replay";
}
