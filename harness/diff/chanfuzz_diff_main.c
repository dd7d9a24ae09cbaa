/* chanfuzz_diff_main.c -- `chanfuzz-diff`: `chanfuzz diff` on its own, for
 * builds whose chanfuzz CLI does not dispatch `diff` yet. */
#include "diff_api.h"

int main(int argc, char **argv) {
    argv[0] = "diff";
    return chanfuzz_diff_command(argc, argv);
}
