/* diff_input.c -- the programs `chanfuzz diff FILE|DIR...` compares: text
 * programs (*.ops) and raw fuzz_ops inputs (anything else; the schedule
 * bytes after the program are ignored: Go cannot follow them). A
 * directory contributes its regular files, sorted by name, dot files
 * aside. Bad input is one line naming the file (and position). */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diff_input.h"

#define MAX_PROGRAM_FILE (1u << 20)

static bool ends_with(const char *text, const char *suffix) {
    size_t n = strlen(text), m = strlen(suffix);
    return n >= m && !strcmp(text + n - m, suffix);
}

static bool push(diff_inputs *in, const chanfuzz_program *p, const char *name) {
    if (in->count == in->capacity) {
        size_t capacity = in->capacity ? 2 * in->capacity : 64;
        chanfuzz_program *programs = realloc(in->programs, capacity * sizeof *programs);
        char **names = realloc(in->names, capacity * sizeof *names);
        if (programs) in->programs = programs;
        if (names) in->names = names;
        if (!programs || !names) return false;
        in->capacity = capacity;
    }
    in->programs[in->count] = *p;
    in->names[in->count] = strdup(name);
    if (!in->names[in->count]) return false;
    in->count++;
    return true;
}

static bool load_file(diff_inputs *in, const char *path, char *error, size_t error_size) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(error, error_size, "%s: cannot read: %s", path, strerror(errno));
        return false;
    }
    char *data = malloc(MAX_PROGRAM_FILE + 1);
    size_t size = data ? fread(data, 1, MAX_PROGRAM_FILE + 1, f) : 0;
    bool failed = !data || ferror(f);
    fclose(f);
    if (failed || size > MAX_PROGRAM_FILE) {
        snprintf(error, error_size, "%s: cannot read: %s", path, failed ? "read error" : "larger than 1 MiB");
        free(data);
        return false;
    }
    chanfuzz_program p;
    bool ok = true;
    if (ends_with(path, ".ops")) ok = chanfuzz_ops_parse(data, size, path, &p, error, error_size);
    else chanfuzz_ops_decode((const uint8_t *)data, size, &p);
    free(data);
    if (ok && !push(in, &p, path)) {
        snprintf(error, error_size, "%s: out of memory", path);
        ok = false;
    }
    return ok;
}

static int by_string(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool load_dir(diff_inputs *in, const char *path, char *error, size_t error_size) {
    DIR *dir = opendir(path);
    if (!dir) {
        snprintf(error, error_size, "%s: cannot open: %s", path, strerror(errno));
        return false;
    }
    char **names = NULL;
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        if (entry->d_name[0] == '.') continue;
        char **grown = realloc(names, (count + 1) * sizeof *names);
        if (!grown) break;
        names = grown;
        size_t length = strlen(path) + strlen(entry->d_name) + 2;
        names[count] = malloc(length);
        if (!names[count]) break;
        snprintf(names[count++], length, "%s/%s", path, entry->d_name);
    }
    closedir(dir);
    qsort(names, count, sizeof *names, by_string);
    bool ok = true;
    for (size_t i = 0; i < count; i++) {
        struct stat st;
        if (ok && stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
            ok = load_file(in, names[i], error, error_size);
        free(names[i]);
    }
    free(names);
    return ok;
}

bool diff_inputs_load(diff_inputs *in, const char *path, char *error, size_t error_size) {
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(error, error_size, "%s: cannot read: %s", path, strerror(errno));
        return false;
    }
    return S_ISDIR(st.st_mode) ? load_dir(in, path, error, error_size)
                               : load_file(in, path, error, error_size);
}

bool diff_inputs_add(diff_inputs *in, const chanfuzz_program *p, const char *name) {
    return push(in, p, name);
}

void diff_inputs_free(diff_inputs *in) {
    for (size_t i = 0; i < in->count; i++) free(in->names[i]);
    free(in->names);
    free(in->programs);
    memset(in, 0, sizeof *in);
}
