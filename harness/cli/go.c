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

int cli_go(int argc, char **argv) {
    char path[PATH_MAX + 64];
    if (!chanfuzz_go_frontend_path(path, sizeof path))
        return cli_fail("go", "chanfuzz-go is not installed beside chanfuzz (build it: it needs "
                              "golang-go and golang-golang-x-tools-dev, see gofront/README.md)");
    argv[0] = path;
    execv(path, argv);
    return cli_fail("go", "%s: %s", path, strerror(errno));
}

const char *cli_replay_command(const chanfuzz_scenario *scenario) {
    return chanfuzz_program_is_go(scenario->program) ? "chanfuzz go replay" : "chanfuzz replay";
}
