/* main.c -- `chanfuzz`: dispatch to the subcommands, usage and version.
 *
 * The command line is a contract (harness/cli/README.md): scripts depend
 * on its names, flags, exit statuses and JSON fields. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifdef CHANFUZZ_CLI_HAS_OPS
#include <chanfuzz/ops.h>
#endif
#ifdef CHANFUZZ_CLI_HAS_FUZZ
int chanfuzz_fuzz_command(int argc, char **argv);
int chanfuzz_diff_command(int argc, char **argv);
#endif

#ifndef CHANFUZZ_VERSION
#define CHANFUZZ_VERSION "unknown"
#endif

static const char usage_text[] =
    "usage: chanfuzz COMMAND [ARGS]\n"
    "\n"
    "Scenarios are named NAME (both variants), NAME:buggy, NAME:fixed, all, or tag:TAG.\n"
    "Every command that runs the model takes --go-semantics 1.22|1.23 (default 1.23).\n"
    "\n"
    "commands:\n"
    "  list [SCENARIO] [--json]            scenarios, variants, tags, expected verdicts\n"
    "  run SCENARIO [--mode random|pct|exhaustive] [--budget N] [--time S] [--seed S]\n"
    "      [--rate N] [--bound K] [--json] [--sarif FILE] [--html FILE] [--out DIR]\n"
    "      [--ignore RULE]...\n"
    "                                      explore schedules, judge every execution,\n"
    "                                      write a reproducer per distinct finding\n"
    "  replay FILE [--scenario NAME:VARIANT] [--trace-json OUT] [--json] [--sarif FILE]\n"
    "      [--html FILE]\n"
    "                                      every decision and event, then the report\n"
    "  convert FILE [--scenario NAME:VARIANT] -o OUT\n"
    "                                      raw fuzz input -> trace file, or trace -> raw\n"
    "  minimize FILE [--scenario NAME:VARIANT] [-o OUT]\n"
    "                                      fewest decisions, then fewest preemptions,\n"
    "                                      keeping the same crash state\n"
    "  corpus check DIR                    replay every file against its expected verdict\n"
    "  report [OUT_DIR|FINDINGS.json ...] [-o report.html]\n"
    "                                      one HTML page: findings table, timelines, witness\n"
    "                                      graphs, figures (also --html FILE on run, replay)\n"
    "  fuzz SCENARIO --time S [--jobs N]   run the libFuzzer targets (when built)\n"
    "  ops print|encode|run ...            fuzz_ops programs (when built)\n"
    "  diff FILE|DIR | --random N --seed S compare fuzz_ops programs with Go\n"
    "  go test|replay|list|translate ...   real Go tests on the model (gofront/README.md)\n"
    "  help, --help, --version\n"
    "\n"
    "exit status:\n"
    "  run       0 every variant got its expected verdict (buggy found, fixed clean),\n"
    "            1 some variant did not (MISSED, FALSE ALARM, UNEXPECTED), 2 usage/input error\n"
    "  replay    0 clean, 1 findings, 2 input error (unreadable, malformed, diverged)\n"
    "  corpus    0 every file as expected, 1 a file failed or DIVERGED, 2 input error\n"
    "  others    0 done, 2 usage or input error\n"
    "\n"
    "See harness/cli/README.md for the flags, file layouts and JSON fields.\n";

static int usage(FILE *out, int status) {
    fputs(usage_text, out);
    return status;
}

/* `chanfuzz COMMAND --help` or `-h` anywhere among its arguments: the
 * command's usage on stdout, exit 0, as every CLI does. */
static bool asks_help(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return true;
    return false;
}

static const struct {
    const char *command;
    const char *usage;
} command_usages[] = {
    {"list", cli_usage_list},         {"run", cli_usage_run},
    {"replay", cli_usage_replay},     {"convert", cli_usage_convert},
    {"minimize", cli_usage_minimize}, {"corpus", cli_usage_corpus},
};

int main(int argc, char **argv) {
    if (argc < 2) return usage(stdout, 0);
    const char *command = argv[1];
    int sub_argc = argc - 1;
    char **sub_argv = argv + 1;
    if (!strcmp(command, "help") || !strcmp(command, "--help") || !strcmp(command, "-h"))
        return usage(stdout, 0);
    if (!strcmp(command, "--version") || !strcmp(command, "version")) {
        printf("chanfuzz %s\n", CHANFUZZ_VERSION);
        return 0;
    }
    if (asks_help(sub_argc, sub_argv))
        for (size_t i = 0; i < sizeof command_usages / sizeof command_usages[0]; i++)
            if (!strcmp(command, command_usages[i].command)) {
                printf("%s\n", command_usages[i].usage);
                return 0;
            }
    if (!strcmp(command, "list")) return cli_list(sub_argc, sub_argv);
    if (!strcmp(command, "run")) return cli_run(sub_argc, sub_argv);
    if (!strcmp(command, "replay")) return cli_replay(sub_argc, sub_argv);
    if (!strcmp(command, "convert")) return cli_convert(sub_argc, sub_argv);
    if (!strcmp(command, "minimize")) return cli_minimize(sub_argc, sub_argv);
    if (!strcmp(command, "corpus")) return cli_corpus(sub_argc, sub_argv);
    if (!strcmp(command, "report")) return cli_report(sub_argc, sub_argv);
    if (!strcmp(command, "go")) return cli_go(sub_argc, sub_argv);
    if (!strcmp(command, "ops")) {
#ifdef CHANFUZZ_CLI_HAS_OPS
        return chanfuzz_ops_command(sub_argc, sub_argv);
#else
        return cli_fail("ops", "this chanfuzz was built without fuzz_ops (harness/ops)");
#endif
    }
    if (!strcmp(command, "fuzz")) {
#ifdef CHANFUZZ_CLI_HAS_FUZZ
        return chanfuzz_fuzz_command(sub_argc, sub_argv);
#else
        return cli_fail("fuzz", "this chanfuzz was built without the fuzz command "
                              "(harness/fuzz)");
#endif
    }
    if (!strcmp(command, "diff")) {
#ifdef CHANFUZZ_CLI_HAS_DIFF
        return chanfuzz_diff_command(sub_argc, sub_argv);
#else
        return cli_fail("diff", "this chanfuzz was built without harness/diff");
#endif
    }
    return cli_fail(NULL, "unknown command '%s' (chanfuzz help lists them)", command);
}
