/* chanfuzz/atomic_file.h -- every file chanfuzz writes, written so that a
 * reader (another run, a replay, an editor, CI collecting artifacts) sees
 * the old file or the new one, never a torn one, and so that a new
 * finding's file never replaces another run's.
 *
 * The idiom: write into a temporary file in the destination's own
 * directory (mkstemp: a unique name, so two writers never share it; the
 * same directory, so the rename cannot cross file systems), fsync it, then
 * rename(2) it over the destination, which replaces it in one step. Until
 * the commit the old file is untouched: a run killed before its end
 * leaves what was there.
 *
 *     chanfuzz_atomic_file f;
 *     if (!chanfuzz_atomic_open(&f, path)) fail(strerror(errno));
 *     write_everything(f.stream);
 *     if (!chanfuzz_atomic_commit(&f)) fail(strerror(errno));
 *
 * A commit or an abandon always ends the file: the temporary is renamed or
 * removed, never left behind (except when the process dies in between: it
 * is a dot-file, ".NAME.tmp-XXXXXX", which corpus walks skip).
 *
 * Sections:
 *   1. Replace     write, then rename over the destination
 *   2. Create      a name nobody else holds: link(2) fails on an existing one
 *   3. Whole files the two for a buffer in memory */
#ifndef CHANFUZZ_ATOMIC_FILE_H
#define CHANFUZZ_ATOMIC_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- 1. Replace ----------------------------------------------------------- */

typedef struct chanfuzz_atomic_file {
    FILE *stream;     /* write the contents here; NULL once ended */
    char *path;       /* the destination, malloc'ed */
    char *temporary;  /* DIR/.NAME.tmp-XXXXXX, malloc'ed */
} chanfuzz_atomic_file;

/* Opens a temporary beside `path` for writing. False with errno set (the
 * directory is missing or not writable, the name too long, no memory). */
bool chanfuzz_atomic_open(chanfuzz_atomic_file *f, const char *path);

/* Flushes and fsyncs the temporary and renames it over the destination.
 * False with errno set when any step failed; the destination is then as
 * it was and the temporary is removed. Ends f either way. */
bool chanfuzz_atomic_commit(chanfuzz_atomic_file *f);

/* Removes the temporary; the destination stays as it was. Ends f. Safe on
 * an ended file. */
void chanfuzz_atomic_abandon(chanfuzz_atomic_file *f);

/* ---- 2. Create -------------------------------------------------------------- */

/* As chanfuzz_atomic_commit, but the destination must not exist: the
 * temporary is hard-linked to it (link(2) refuses an existing name, so of
 * two runs racing for one name exactly one wins), then unlinked. False
 * with errno EEXIST when the name is taken (the file there is untouched).
 * Ends f either way. */
bool chanfuzz_atomic_commit_new(chanfuzz_atomic_file *f);

/* ---- 3. Whole files -------------------------------------------------------------- */

/* Replaces `path` with `size` bytes of `data`, atomically. False with errno. */
bool chanfuzz_atomic_write(const char *path, const void *data, size_t size);

typedef enum chanfuzz_create_outcome {
    CHANFUZZ_CREATE_FAILED = 0,  /* errno says why */
    CHANFUZZ_CREATE_NEW,         /* written at STEM.EXT */
    CHANFUZZ_CREATE_SAME,        /* STEM.EXT already held exactly these bytes */
    CHANFUZZ_CREATE_BESIDE,      /* STEM.EXT holds other bytes (another run's
                                    file of the same finding): kept, and these
                                    written at STEM-<hash of the bytes>.EXT */
} chanfuzz_create_outcome;

/* Writes a new finding's file without ever replacing another one: at
 * STEM+EXT (ext may be ""), unless that name holds other bytes, then at
 * STEM-<16 hex digits of the bytes' hash>+EXT, a name two different
 * contents never share. The name written (or found identical) goes to
 * out_path. */
chanfuzz_create_outcome chanfuzz_atomic_create(const char *stem, const char *ext,
                                               const void *data, size_t size, char *out_path,
                                               size_t out_size);

#ifdef __cplusplus
}
#endif

#endif
