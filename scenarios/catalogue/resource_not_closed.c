/* resource_not_closed.c -- catalogue pattern 1: a file left open on an
 * error path.
 *
 * Go, buggy: Close is written once, at the end of the happy path, so the
 * early return on a bad header skips it.
 *
 *   var errBadHeader = errors.New("config: bad header")
 *
 *   func loadConfig(path string) error {
 *       f, err := os.Open(path)
 *       if err != nil {
 *           return err
 *       }
 *       if err := readHeader(f); err != nil {
 *           return err                 // f is never closed
 *       }
 *       apply(f)
 *       return f.Close()
 *   }
 *
 *   func main() {
 *       for _, path := range []string{"a.conf", "b.conf", "c.conf"} {
 *           loadConfig(path)
 *       }
 *   }
 *
 * Go, fixed: Close deferred right after the Open succeeded, so every
 * return after it closes the file.
 *
 *   func loadConfig(path string) error {
 *       f, err := os.Open(path)
 *       if err != nil {
 *           return err
 *       }
 *       defer f.Close()
 *       if err := readHeader(f); err != nil {
 *           return err
 *       }
 *       apply(f)
 *       return nil
 *   }
 *
 * The model's os.Open never fails, so whether it would (a missing file)
 * and whether the header is bad are fuzz-chosen branches: the fuzzer
 * reaches every path, and only "opened, then a bad header" leaks.
 */
#include <chanfuzz/go.h>
#include <chanfuzz/scenario.h>

static const go_error err_not_exist = {"open: no such file or directory"};
static const go_error err_bad_header = {"config: bad header"};

static const char *const config_paths[] = {"a.conf", "b.conf", "c.conf"};

/* os.Open's failure, decided by the input (the file may be missing). */
static const go_error *open_fails(void) { return go_fz_bool() ? &err_not_exist : NULL; }

/* readHeader(f): reads the file; the input decides if the header is bad. */
static const go_error *read_header(go_resource *f) {
    go_resource_use(f);
    return go_fz_bool() ? &err_bad_header : NULL;
}

static void apply(go_resource *f) { go_resource_use(f); }

/* `defer f.Close()`: the deferred call takes the file as its argument. */
static void close_file(void *f) { go_resource_close(f); }

static void load_config_leaky(void *path) {
    if (open_fails()) return;
    go_resource *f = go_open(path);
    if (read_header(f)) return; /* f is never closed */
    apply(f);
    go_resource_close(f);
}

static void load_config_deferred(void *path) {
    if (open_fails()) return;
    go_resource *f = go_open(path);
    go_defer(close_file, f);
    if (read_header(f)) return;
    apply(f);
}

static void load_all(go_func *load_config) {
    for (size_t i = 0; i < sizeof config_paths / sizeof config_paths[0]; i++)
        go_call(load_config, (void *)config_paths[i]);
}

static void resource_not_closed_buggy(void *arg) { load_all(load_config_leaky); }

static void resource_not_closed_fixed(void *arg) { load_all(load_config_deferred); }

CHANFUZZ_SCENARIO(resource_not_closed) = {
    .name = "resource_not_closed",
    .description = "an early return on a bad header skips f.Close(): the file stays open",
    .fix = "defer f.Close() right after os.Open succeeds",
    .tags = "pattern resource defer",
    .file = CHANFUZZ_HERE,
    .buggy = {resource_not_closed_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_RESOURCE_NOT_CLOSED)},
    .fixed = {resource_not_closed_fixed},
};
