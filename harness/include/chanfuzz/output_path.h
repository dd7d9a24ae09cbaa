/* chanfuzz/output_path.h -- an output is refused before any work, with one
 * reason, when it could only end badly: an empty path (which "DIR/NAME"
 * would turn into "/NAME", at the root), a path naming one of the
 * command's inputs (writing it would destroy what is being read), or a
 * place that cannot be written (found out by making a file there, which
 * is what counts, not by the permission bits: root passes those).
 *
 *     char why[600];
 *     if (chanfuzz_output_file_refused(out, inputs, 1, why, sizeof why))
 *         return cli_fail("convert", "-o %s", why);
 */
#ifndef CHANFUZZ_OUTPUT_PATH_H
#define CHANFUZZ_OUTPUT_PATH_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* May a file be written at `path` by a command reading the `input_count`
 * files of `inputs` (NULL entries are skipped)? True, with the reason in
 * `why` ("'x.trace' is the input: ..."), when it may not. An input is the
 * same file when both exist and share st_dev and st_ino (a hard link, a
 * symbolic link, "./x"), or when they spell the same path. */
bool chanfuzz_output_file_refused(const char *path, const char *const *inputs,
                                  size_t input_count, char *why, size_t why_size);

/* May files be written under the folder `dir` (made, with its parents,
 * when missing)? True, with the reason, when not. */
bool chanfuzz_output_dir_refused(const char *dir, char *why, size_t why_size);

#ifdef __cplusplus
}
#endif

#endif
