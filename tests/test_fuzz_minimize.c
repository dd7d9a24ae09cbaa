/* test_fuzz_minimize.c -- `chanfuzz fuzz` shrinks a bucket's reproducer in
 * process (harness/fuzz/fuzz_buckets.c): the result is smaller, gives the
 * same crash state when judged again, and is the same bytes every time. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_buckets.h"

#define INPUT_BYTES 64

static bool crashes(const chanfuzz_target *t, go_semantics s, const uint8_t *data, size_t size,
                    char *crash_state) {
    chanfuzz_findings *f = chanfuzz_fuzz_judge(t, data, size, s, NULL, NULL, NULL, NULL);
    cr_assert_not_null(f);
    const chanfuzz_finding *primary = chanfuzz_fuzz_primary(t, f);
    if (primary) snprintf(crash_state, CHANFUZZ_CRASH_STATE_MAX, "%s", primary->crash_state);
    chanfuzz_findings_free(f);
    return primary != NULL;
}

/* A 64-byte input that gives check_then_close's panic: the first of a
 * seeded sequence that does. */
static void crashing_input(const chanfuzz_target *t, go_semantics s, uint8_t *data,
                           char *crash_state) {
    uint64_t state = 1;
    for (int attempt = 0; attempt < 10000; attempt++) {
        for (size_t i = 0; i < INPUT_BYTES; i++) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            data[i] = (uint8_t)(state >> 56);
        }
        if (crashes(t, s, data, INPUT_BYTES, crash_state)) return;
    }
    cr_assert_fail("no crashing 64-byte input in 10,000 tries");
}

/* Buckets the one crash file in a fresh folder and minimizes it; returns
 * the bucket list (caller frees) and the folder. */
static chanfuzz_buckets minimized(const chanfuzz_target *t, go_semantics s, const uint8_t *data,
                                  char *folder) {
    strcpy(folder, "/tmp/chanfuzz-minimize-XXXXXX");
    cr_assert_not_null(mkdtemp(folder));
    char path[128];
    snprintf(path, sizeof path, "%s/crash-input", folder);
    FILE *out = fopen(path, "wb");
    cr_assert_not_null(out);
    cr_assert_eq(fwrite(data, 1, INPUT_BYTES, out), INPUT_BYTES);
    fclose(out);
    chanfuzz_buckets buckets = {0};
    cr_assert(chanfuzz_buckets_collect(&buckets, t, s, folder));
    cr_assert_eq(buckets.count, 1);
    chanfuzz_buckets_minimize(&buckets, 0, s, 10);
    return buckets;
}

static void remove_folder(const char *folder, const chanfuzz_buckets *buckets) {
    char path[128];
    snprintf(path, sizeof path, "%s/crash-input", folder);
    unlink(path);
    unlink(buckets->items[0].reproducer);
    rmdir(folder);
}

Test(minimize, a_reproducer_shrinks_and_still_gives_its_crash_state) {
    chanfuzz_target t;
    cr_assert(chanfuzz_fuzz_target_from_name("fuzz_check_then_close_buggy", &t));
    go_semantics s = chanfuzz_fuzz_semantics_for(&t);
    uint8_t data[INPUT_BYTES];
    char crash_state[CHANFUZZ_CRASH_STATE_MAX], again[CHANFUZZ_CRASH_STATE_MAX];
    crashing_input(&t, s, data, crash_state);

    char folder[64], other[64];
    chanfuzz_buckets first = minimized(&t, s, data, folder);
    const chanfuzz_bucket *b = &first.items[0];
    cr_expect_str_eq(b->crash_state, crash_state);
    cr_expect(strstr(b->reproducer, "/minimized-") != NULL, "kept %s", b->reproducer);
    cr_expect_lt(b->reproducer_size, INPUT_BYTES);
    size_t size;
    uint8_t *small = chanfuzz_read_whole(b->reproducer, &size);
    cr_assert_not_null(small);
    cr_assert_eq(size, b->reproducer_size);
    cr_assert(crashes(&t, s, small, size, again));
    cr_expect_str_eq(again, crash_state);

    /* Deterministic: the same input shrinks to the same bytes. */
    chanfuzz_buckets second = minimized(&t, s, data, other);
    size_t size2;
    uint8_t *small2 = chanfuzz_read_whole(second.items[0].reproducer, &size2);
    cr_assert_not_null(small2);
    cr_expect(size2 == size && memcmp(small, small2, size) == 0, "two shrinks differ");
    cr_log_info("64 bytes -> %zu bytes: %s", size, crash_state);

    free(small);
    free(small2);
    remove_folder(folder, &first);
    remove_folder(other, &second);
    chanfuzz_buckets_free(&first);
    chanfuzz_buckets_free(&second);
}
