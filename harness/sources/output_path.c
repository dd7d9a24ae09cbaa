/* output_path.c -- outputs refused before any work (chanfuzz/output_path.h). */
#include "chanfuzz/output_path.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Can a file be made in dir? Makes one and removes it. */
static bool probe(const char *dir, int *error) {
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/.chanfuzz-probe-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0) {
        *error = errno;
        return false;
    }
    close(fd);
    unlink(path);
    return true;
}

/* The folder a path's file goes in: "." for a bare name. */
static void parent_of(const char *path, char *out, size_t size) {
    const char *slash = strrchr(path, '/');
    if (!slash) snprintf(out, size, ".");
    else if (slash == path) snprintf(out, size, "/");
    else snprintf(out, size, "%.*s", (int)(slash - path), path);
}

/* The same path spelled twice: "./a//b" and "a/b". Only a spelling check;
 * st_ino decides when both exist. */
static void tidy(const char *path, char *out, size_t size) {
    size_t n = 0;
    const char *p = path;
    while (p[0] == '.' && p[1] == '/') p += 2;
    for (; *p && n + 1 < size; p++) {
        if (*p == '/' && n && out[n - 1] == '/') continue;
        if (*p == '/' && p[1] == '.' && p[2] == '/') {
            p++;
            continue;
        }
        out[n++] = *p;
    }
    out[n] = '\0';
}

static bool same_file(const char *a, const char *b) {
    struct stat x, y;
    if (stat(a, &x) == 0 && stat(b, &y) == 0) return x.st_dev == y.st_dev && x.st_ino == y.st_ino;
    char ta[PATH_MAX], tb[PATH_MAX];
    tidy(a, ta, sizeof ta);
    tidy(b, tb, sizeof tb);
    return !strcmp(ta, tb);
}

bool chanfuzz_output_file_refused(const char *path, const char *const *inputs,
                                  size_t input_count, char *why, size_t why_size) {
    if (!path[0]) {
        snprintf(why, why_size, "'': an empty path names no file");
        return true;
    }
    for (size_t i = 0; i < input_count; i++)
        if (inputs[i] && same_file(path, inputs[i])) {
            snprintf(why, why_size, "'%s' is the input %s: writing it would destroy what is "
                                    "being read (choose another name)", path, inputs[i]);
            return true;
        }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(why, why_size, "'%s' is a directory, not a file", path);
        return true;
    }
    char dir[PATH_MAX];
    parent_of(path, dir, sizeof dir);
    int error;
    if (!probe(dir, &error)) {
        snprintf(why, why_size, "'%s': cannot write in %s: %s", path, dir, strerror(error));
        return true;
    }
    return false;
}

bool chanfuzz_output_dir_refused(const char *dir, char *why, size_t why_size) {
    if (!dir[0]) {
        snprintf(why, why_size, "'': an empty path names no folder (give '.' for this one)");
        return true;
    }
    /* The nearest folder that exists is where the first mkdir happens. */
    char at[PATH_MAX];
    snprintf(at, sizeof at, "%s", dir);
    struct stat st;
    while (stat(at, &st) != 0) {
        if (errno != ENOENT) {
            snprintf(why, why_size, "'%s': %s: %s", dir, at, strerror(errno));
            return true;
        }
        char parent[PATH_MAX];
        parent_of(at, parent, sizeof parent);
        if (!strcmp(parent, at)) break;
        snprintf(at, sizeof at, "%s", parent);
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(why, why_size, "'%s': %s is not a folder", dir, at);
        return true;
    }
    int error;
    if (!probe(at, &error)) {
        snprintf(why, why_size, "'%s': cannot write in %s: %s", dir, at, strerror(error));
        return true;
    }
    return false;
}
