/* diff_api.h -- `chanfuzz diff`, the differential check against the real
 * Go runtime (harness/diff/README.md). The chanfuzz CLI dispatches `diff`
 * here; chanfuzz-diff is the same command on its own. */
#ifndef CHANFUZZ_DIFF_API_H
#define CHANFUZZ_DIFF_API_H

#ifdef __cplusplus
extern "C" {
#endif

enum {
    DIFF_EXIT_AGREE = 0,      /* every Go outcome is one the model finds */
    DIFF_EXIT_DIVERGENCE = 1, /* some Go outcome is not */
    DIFF_EXIT_USAGE = 2,      /* bad flags or input: one line on stderr */
    DIFF_EXIT_NO_GO = 77,     /* `go` is not installed: CTest's skip */
};

/* argv[0] is "diff"; returns the exit status above. */
int chanfuzz_diff_command(int argc, char **argv);

#ifdef __cplusplus
}
#endif
#endif
