/* flag_once.c -- a value flag given twice is refused: the later one
 * silently winning hid mistakes (`--mode pct ... --mode random` ran a
 * random walk and reported it as asked). */
#include <string.h>

#include "cli.h"

bool cli_repeated_flag(const char *command, int argc, char **argv, int i,
                       const char *const *flags, const char **given, const char *repeatable) {
    const char *arg = argv[i];
    if (repeatable && !strcmp(arg, repeatable)) return false;
    for (size_t k = 0; flags[k]; k++) {
        if (strcmp(arg, flags[k])) continue;
        const char *value = i + 1 < argc ? argv[i + 1] : "";
        if (given[k]) {
            cli_fail(command, "%s given twice ('%s', then '%s'): give it once", arg, given[k],
                     value);
            return true;
        }
        given[k] = value;
        return false;
    }
    return false;
}
