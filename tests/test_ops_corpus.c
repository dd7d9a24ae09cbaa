/* test_ops_corpus.c -- corpus/fuzz_ops/ is the seed programs of
 * harness/ops/seeds/ in bytes: each file is exactly the encoding of its
 * text (regenerate with `chanfuzz ops encode SEED.ops -o corpus/fuzz_ops/
 * SEED`), runs consistently, and together they use every operation and
 * every select case. */
#include <criterion/criterion.h>
#include <glob.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>

#include <chanfuzz/ops.h>

#define SEEDS CHANFUZZ_SOURCE_DIR "/harness/ops/seeds"
#define CORPUS CHANFUZZ_SOURCE_DIR "/corpus/fuzz_ops"

static size_t read_all(const char *path, void *buffer, size_t max) {
    FILE *in = fopen(path, "rb");
    cr_assert_not_null(in, "cannot read %s", path);
    size_t size = fread(buffer, 1, max, in);
    fclose(in);
    return size;
}

Test(ops_corpus, every_seed_has_its_encoding_in_the_corpus) {
    glob_t seeds;
    cr_assert_eq(glob(SEEDS "/*.ops", 0, NULL, &seeds), 0);
    for (size_t i = 0; i < seeds.gl_pathc; i++) {
        char text[8192], error[512], name[256], corpus_path[512];
        size_t size = read_all(seeds.gl_pathv[i], text, sizeof text);
        chanfuzz_program p;
        cr_assert(chanfuzz_ops_parse(text, size, seeds.gl_pathv[i], &p, error, sizeof error), "%s",
                  error);
        snprintf(name, sizeof name, "%s", basename(seeds.gl_pathv[i]));
        name[strlen(name) - strlen(".ops")] = '\0';
        snprintf(corpus_path, sizeof corpus_path, "%s/%s", CORPUS, name);
        uint8_t expected[2048], found[2048];
        size_t expected_size = chanfuzz_ops_encode(&p, expected, sizeof expected);
        size_t found_size = read_all(corpus_path, found, sizeof found);
        cr_expect(found_size == expected_size && memcmp(found, expected, found_size) == 0,
                  "%s is not the encoding of %s: regenerate it", corpus_path,
                  seeds.gl_pathv[i]);
    }
    globfree(&seeds);
}

Test(ops_corpus, every_file_decodes_whole_and_runs_consistently) {
    glob_t files;
    cr_assert_eq(glob(CORPUS "/*", 0, NULL, &files), 0);
    cr_expect_geq(files.gl_pathc, 20);
    unsigned op_kinds = 0, case_kinds = 0;
    for (size_t i = 0; i < files.gl_pathc; i++) {
        uint8_t data[2048];
        size_t size = read_all(files.gl_pathv[i], data, sizeof data);
        chanfuzz_program p;
        cr_expect_eq(chanfuzz_ops_decode(data, size, &p), size, "%s: all program",
                     files.gl_pathv[i]);
        char why[256];
        cr_assert(chanfuzz_ops_program_valid(&p, why, sizeof why), "%s: %s", files.gl_pathv[i],
                  why);
        for (unsigned b = 0; b < p.body_count; b++)
            for (unsigned k = 0; k < p.bodies[b].count; k++) {
                const chanfuzz_op *op = &p.bodies[b].ops[k];
                op_kinds |= 1u << op->kind;
                if (op->kind == CHANFUZZ_OP_SELECT)
                    for (unsigned c = 0; c < op->count; c++) case_kinds |= 1u << op->cases[c].kind;
            }
        chanfuzz_ops_check_result r;
        chanfuzz_ops_check_input(data, size, NULL, &r);
        cr_expect(r.consistent, "%s: %s", files.gl_pathv[i], r.problem);
    }
    globfree(&files);
    for (unsigned k = 0; k < CHANFUZZ_OP_KIND_COUNT; k++)
        cr_expect(op_kinds & 1u << k, "no seed uses %s", chanfuzz_op_name(k));
    cr_expect_eq(case_kinds, (1u << CHANFUZZ_CASE_KIND_COUNT) - 1, "every select case kind");
}
