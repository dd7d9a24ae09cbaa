/* output_check.c -- the outputs of a command refused before any work
 * (chanfuzz/output_path.h): empty, naming an input, or unwritable. */
#include <string.h>

#include <chanfuzz/output_path.h>

#include "cli.h"

/* A reason names up to two paths. */
enum { CLI_WHY_MAX = 2 * 4096 + 200 };

static int refuse_file(const char *command, const char *flag, const char *path,
                       const char *input) {
    char why[CLI_WHY_MAX];
    const char *inputs[] = {input};
    if (!chanfuzz_output_file_refused(path, inputs, 1, why, sizeof why))
        return CHANFUZZ_EXIT_CLEAN;
    return cli_fail(command, "%s %s", flag, why);
}

int cli_check_outputs(const char *command, const cli_file_args *args) {
    const struct {
        const char *flag, *path;
    } outputs[] = {{"-o", args->output}, {"--trace-json", args->trace_json},
                   {"--sarif", args->sarif}};
    size_t count = sizeof outputs / sizeof outputs[0];
    for (size_t i = 0; i < count; i++) {
        if (!outputs[i].path) continue;
        if (refuse_file(command, outputs[i].flag, outputs[i].path, args->path))
            return CHANFUZZ_EXIT_USAGE;
        for (size_t k = 0; k < i; k++)
            if (outputs[k].path && !strcmp(outputs[k].path, outputs[i].path))
                return cli_fail(command, "%s and %s name one file, '%s'", outputs[k].flag,
                                outputs[i].flag, outputs[i].path);
    }
    return CHANFUZZ_EXIT_CLEAN;
}

int cli_check_output_file(const char *command, const char *flag, const char *path,
                          const char *input) {
    return refuse_file(command, flag, path, input);
}

int cli_check_output_dir(const char *command, const char *flag, const char *dir) {
    char why[CLI_WHY_MAX];
    if (!chanfuzz_output_dir_refused(dir, why, sizeof why)) return CHANFUZZ_EXIT_CLEAN;
    return cli_fail(command, "%s %s", flag, why);
}
