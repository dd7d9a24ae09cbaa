/* atomic_file.c -- temporary beside the destination, fsync, rename or link
 * (chanfuzz/atomic_file.h). */
#include "chanfuzz/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkstemp makes the file 0600; a reproducer or a SARIF log is shared like
 * any file the user makes, so it gets 0666 less the umask, as fopen's
 * would. Read once: umask(2) can only be read by setting it. */
static mode_t file_mode(void) {
    static mode_t mode;
    static bool known;
    if (!known) {
        mode_t mask = umask(022);
        umask(mask);
        mode = 0666 & ~mask;
        known = true;
    }
    return mode;
}

static void end(chanfuzz_atomic_file *f) {
    free(f->path);
    free(f->temporary);
    *f = (chanfuzz_atomic_file){0};
}

bool chanfuzz_atomic_open(chanfuzz_atomic_file *f, const char *path) {
    *f = (chanfuzz_atomic_file){0};
    if (!path[0]) {
        errno = ENOENT;
        return false;
    }
    const char *slash = strrchr(path, '/');
    int dir_length = slash ? (int)(slash - path + 1) : 0;
    const char *name = slash ? slash + 1 : path;
    if (!name[0]) {
        errno = EISDIR;
        return false;
    }
    size_t size = strlen(path) + 16;
    f->path = strdup(path);
    f->temporary = malloc(size);
    if (!f->path || !f->temporary) {
        end(f);
        errno = ENOMEM;
        return false;
    }
    snprintf(f->temporary, size, "%.*s.%s.tmp-XXXXXX", dir_length, path, name);
    int fd = mkstemp(f->temporary);
    if (fd < 0) {
        int saved = errno;
        end(f);
        errno = saved;
        return false;
    }
    if (fchmod(fd, file_mode()) != 0 || !(f->stream = fdopen(fd, "w"))) {
        int saved = errno;
        close(fd);
        unlink(f->temporary);
        end(f);
        errno = saved;
        return false;
    }
    return true;
}

/* Flushes, fsyncs and closes the stream: the data is on disk before a
 * name points at it, so a crash after the rename cannot leave an empty
 * file under the destination's name. */
static bool finish_stream(chanfuzz_atomic_file *f) {
    bool ok = fflush(f->stream) == 0 && !ferror(f->stream) && fsync(fileno(f->stream)) == 0;
    int saved = errno;
    if (fclose(f->stream) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    f->stream = NULL;
    errno = saved;
    return ok;
}

static bool fail_and_end(chanfuzz_atomic_file *f) {
    int saved = errno;
    unlink(f->temporary);
    end(f);
    errno = saved;
    return false;
}

bool chanfuzz_atomic_commit(chanfuzz_atomic_file *f) {
    if (!finish_stream(f) || rename(f->temporary, f->path) != 0) return fail_and_end(f);
    end(f);
    return true;
}

bool chanfuzz_atomic_commit_new(chanfuzz_atomic_file *f) {
    if (!finish_stream(f) || link(f->temporary, f->path) != 0) return fail_and_end(f);
    unlink(f->temporary);
    end(f);
    return true;
}

void chanfuzz_atomic_abandon(chanfuzz_atomic_file *f) {
    if (!f->temporary) return;
    if (f->stream) fclose(f->stream);
    unlink(f->temporary);
    end(f);
}

static bool write_all(chanfuzz_atomic_file *f, const void *data, size_t size) {
    return size == 0 || fwrite(data, 1, size, f->stream) == size;
}

bool chanfuzz_atomic_write(const char *path, const void *data, size_t size) {
    chanfuzz_atomic_file f;
    if (!chanfuzz_atomic_open(&f, path)) return false;
    if (!write_all(&f, data, size)) {
        int saved = errno;
        chanfuzz_atomic_abandon(&f);
        errno = saved ? saved : EIO;
        return false;
    }
    return chanfuzz_atomic_commit(&f);
}

/* Does the file at path hold exactly these bytes? */
static bool holds(const char *path, const void *data, size_t size) {
    FILE *in = fopen(path, "rb");
    if (!in) return false;
    const unsigned char *want = data;
    unsigned char buffer[4096];
    size_t at = 0, got;
    bool same = true;
    while (same && (got = fread(buffer, 1, sizeof buffer, in)) > 0) {
        same = at + got <= size && !memcmp(buffer, want + at, got);
        at += got;
    }
    same = same && !ferror(in) && at == size;
    fclose(in);
    return same;
}

/* Creates path with the bytes unless it exists: NEW, SAME (it held them),
 * or FAILED with errno EEXIST (it holds other bytes) or another error. */
static chanfuzz_create_outcome create_at(const char *path, const void *data, size_t size) {
    chanfuzz_atomic_file f;
    if (!chanfuzz_atomic_open(&f, path)) return CHANFUZZ_CREATE_FAILED;
    if (!write_all(&f, data, size)) {
        chanfuzz_atomic_abandon(&f);
        errno = EIO;
        return CHANFUZZ_CREATE_FAILED;
    }
    if (chanfuzz_atomic_commit_new(&f)) return CHANFUZZ_CREATE_NEW;
    if (errno != EEXIST) return CHANFUZZ_CREATE_FAILED;
    if (holds(path, data, size)) return CHANFUZZ_CREATE_SAME;
    errno = EEXIST;
    return CHANFUZZ_CREATE_FAILED;
}

/* FNV-1a, 64 bits: the name of a content, not a defence against anyone. */
static uint64_t content_hash(const void *data, size_t size) {
    const unsigned char *bytes = data;
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < size; i++) {
        h ^= bytes[i];
        h *= 0x100000001b3u;
    }
    return h;
}

chanfuzz_create_outcome chanfuzz_atomic_create(const char *stem, const char *ext,
                                               const void *data, size_t size, char *out_path,
                                               size_t out_size) {
    if (snprintf(out_path, out_size, "%s%s", stem, ext) >= (int)out_size) {
        errno = ENAMETOOLONG;
        return CHANFUZZ_CREATE_FAILED;
    }
    chanfuzz_create_outcome outcome = create_at(out_path, data, size);
    if (outcome != CHANFUZZ_CREATE_FAILED || errno != EEXIST) return outcome;
    if (snprintf(out_path, out_size, "%s-%016" PRIx64 "%s", stem, content_hash(data, size),
                 ext) >= (int)out_size) {
        errno = ENAMETOOLONG;
        return CHANFUZZ_CREATE_FAILED;
    }
    /* Equal names mean equal bytes, so an existing file there is this
     * content already (create_at checks rather than trusts the hash). */
    outcome = create_at(out_path, data, size);
    return outcome == CHANFUZZ_CREATE_FAILED ? outcome : CHANFUZZ_CREATE_BESIDE;
}
