/* symbols.c -- the program's own data, as the collector sees it: which
 * ranges of its writable segments to scan, and the names of the C
 * globals and statics found there (scan.h).
 *
 * Scanning all of the main program's writable segments would be simple and
 * too slow: clang links the sanitizer runtimes (and libFuzzer) into the
 * executable, and their tables fill ~10 MB of .bss in an ASan build -- a
 * few milliseconds per collection, at the end of every execution. So only
 * the sections a C variable can live in are scanned (.data, .bss and the
 * like: not the GOT, .dynamic, the init arrays or RELRO data, which the
 * program cannot store into, nor .chanfuzz_not_scanned, where
 * GO_NOT_SCANNED puts the project's own tables), and the sanitizers' and
 * libFuzzer's own objects are cut out of them; what remains is the scenario's, the
 * harness's and the runtime's data, a few hundred bytes to ~100 KiB (ASan's
 * instrumented globals carry redzones). The symbol table also names roots:
 * a channel kept in a static reads `data "registry"` in a holder chain.
 *
 * Read once per process from /proc/self/exe's .symtab (the layout of the
 * executable does not change; nothing here belongs to an execution). A
 * stripped program has no .symtab: then every writable byte is scanned,
 * and roots are named by offset.
 */
#define _GNU_SOURCE
#include "scan.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

typedef struct data_symbol {
    uintptr_t start, end;        /* run-time addresses */
    const char *name;            /* in program.names */
} data_symbol;

static struct {
    bool loaded;
    uintptr_t base;              /* load address (0 unless PIE) */
    data_symbol *symbols;        /* the program's own, sorted by start */
    size_t symbol_count;
    char *names;
    cf_data_range *ranges;       /* what to scan, sorted */
    size_t range_count;
} program;

/* Objects of the sanitizer runtimes and libFuzzer, linked into the
 * executable by clang: internal tables, never model objects. */
static bool belongs_to_a_tool(const char *name) {
    static const char *const marks[] = {"__sanitizer", "__asan", "__lsan", "__ubsan",
                                        "__interception", "__sancov", "_ZN6fuzzer",
                                        "__unnamed_" /* instrumentation metadata */};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (strstr(name, marks[i])) return true;
    return false;
}

static int by_start(const void *a, const void *b) {
    const data_symbol *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

static void *grow(void *array, size_t *capacity, size_t element) {
    *capacity = *capacity ? *capacity * 2 : 64;
    void *bigger = realloc(array, element * *capacity);
    cf_require(bigger != NULL, "program symbol allocation");
    return bigger;
}

static void add_range(size_t *capacity, uintptr_t start, uintptr_t end) {
    if (end <= start) return;
    if (program.range_count == *capacity)
        program.ranges = grow(program.ranges, capacity, sizeof *program.ranges);
    program.ranges[program.range_count++] = (cf_data_range){start, end};
}

/* May a C variable live in this section? */
static bool holds_variables(const ElfW(Shdr) *section, const char *name) {
    return (section->sh_flags & (SHF_WRITE | SHF_ALLOC)) == (SHF_WRITE | SHF_ALLOC) &&
           !(section->sh_flags & SHF_TLS) &&
           (section->sh_type == SHT_PROGBITS || section->sh_type == SHT_NOBITS) &&
           strncmp(name, ".got", 4) != 0 && strncmp(name, ".data.rel.ro", 12) != 0 &&
           strcmp(name, ".chanfuzz_not_scanned") != 0; /* GO_NOT_SCANNED */
}

/* Reads the executable's sections and data symbols: the sections that may
 * hold variables go to `variables`, the program's own symbols (for names)
 * to `program`, and the tools' are returned, to be cut out of the scan. */
static data_symbol *read_symbols(size_t *tool_count, data_symbol **variables,
                                 size_t *variable_count) {
    *tool_count = 0;
    *variable_count = 0;
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    const unsigned char *file = MAP_FAILED;
    if (fstat(fd, &st) == 0 && (size_t)st.st_size >= sizeof(ElfW(Ehdr)))
        file = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (file == MAP_FAILED) return NULL;
    const ElfW(Ehdr) *header = (const ElfW(Ehdr) *)file;
    const ElfW(Shdr) *sections = (const ElfW(Shdr) *)(file + header->e_shoff);
    data_symbol *tools = NULL;
    size_t tool_capacity = 0, own_capacity = 0, names_size = 0, variable_capacity = 0;
    if (memcmp(header->e_ident, ELFMAG, SELFMAG) != 0 || header->e_shoff == 0 ||
        header->e_shoff + header->e_shnum * sizeof *sections > (size_t)st.st_size ||
        header->e_shstrndx >= header->e_shnum)
        goto done;
    const char *section_names = (const char *)(file + sections[header->e_shstrndx].sh_offset);
    for (unsigned i = 0; i < header->e_shnum; i++) {
        if (!holds_variables(&sections[i], section_names + sections[i].sh_name)) continue;
        if (*variable_count == variable_capacity)
            *variables = grow(*variables, &variable_capacity, sizeof **variables);
        (*variables)[(*variable_count)++] =
            (data_symbol){program.base + sections[i].sh_addr,
                          program.base + sections[i].sh_addr + sections[i].sh_size, NULL};
    }
    for (unsigned i = 0; i < header->e_shnum; i++) {
        if (sections[i].sh_type != SHT_SYMTAB || sections[i].sh_link >= header->e_shnum) continue;
        const ElfW(Sym) *symbols = (const ElfW(Sym) *)(file + sections[i].sh_offset);
        const char *strings = (const char *)(file + sections[sections[i].sh_link].sh_offset);
        size_t count = sections[i].sh_size / sizeof *symbols;
        /* One pass for the names' total size, one to fill. */
        for (size_t k = 0; k < count; k++) names_size += strlen(strings + symbols[k].st_name) + 1;
        program.names = malloc(names_size ? names_size : 1);
        cf_require(program.names != NULL, "program symbol allocation");
        char *next_name = program.names;
        for (size_t k = 0; k < count; k++) {
            const ElfW(Sym) *s = &symbols[k];
            if (ELF64_ST_TYPE(s->st_info) != STT_OBJECT || s->st_size == 0 ||
                s->st_shndx == SHN_UNDEF || s->st_shndx >= header->e_shnum ||
                (sections[s->st_shndx].sh_flags & (SHF_WRITE | SHF_ALLOC)) !=
                    (SHF_WRITE | SHF_ALLOC) ||
                (sections[s->st_shndx].sh_flags & SHF_TLS))
                continue;
            const char *name = strings + s->st_name;
            data_symbol symbol = {program.base + s->st_value,
                                  program.base + s->st_value + s->st_size, NULL};
            if (belongs_to_a_tool(name)) {
                if (*tool_count == tool_capacity)
                    tools = grow(tools, &tool_capacity, sizeof *tools);
                tools[(*tool_count)++] = symbol;
                continue;
            }
            size_t length = strlen(name) + 1;
            memcpy(next_name, name, length);
            symbol.name = next_name;
            next_name += length;
            if (program.symbol_count == own_capacity)
                program.symbols = grow(program.symbols, &own_capacity, sizeof *program.symbols);
            program.symbols[program.symbol_count++] = symbol;
        }
        break;
    }
done:
    munmap((void *)file, (size_t)st.st_size);
    qsort(program.symbols, program.symbol_count, sizeof *program.symbols, by_start);
    qsort(tools, *tool_count, sizeof *tools, by_start);
    qsort(*variables, *variable_count, sizeof **variables, by_start);
    return tools;
}

typedef struct segments {
    uintptr_t start[16], end[16];
    size_t count;
} segments;

/* glibc reports the main program first. */
static int main_program(struct dl_phdr_info *info, size_t size, void *self) {
    segments *out = self;
    (void)size;
    program.base = info->dlpi_addr;
    for (int i = 0; i < info->dlpi_phnum && out->count < 16; i++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        if (segment->p_type != PT_LOAD || !(segment->p_flags & PF_W)) continue;
        out->start[out->count] = info->dlpi_addr + segment->p_vaddr;
        out->end[out->count++] = info->dlpi_addr + segment->p_vaddr + segment->p_memsz;
    }
    return 1;
}

static void load(void) {
    segments writable = {0};
    dl_iterate_phdr(main_program, &writable);
    size_t tool_count, variable_count, capacity = 0;
    data_symbol *variables = NULL;
    data_symbol *tools = read_symbols(&tool_count, &variables, &variable_count);
    if (!variable_count) { /* no section headers: every writable segment */
        for (size_t s = 0; s < writable.count; s++) {
            if (variable_count == capacity)
                variables = grow(variables, &capacity, sizeof *variables);
            variables[variable_count++] = (data_symbol){writable.start[s], writable.end[s], NULL};
        }
        capacity = 0;
    }
    /* Each section minus the tools' symbols (both sorted: one sweep). */
    for (size_t s = 0; s < variable_count; s++) {
        uintptr_t from = variables[s].start;
        for (size_t k = 0; k < tool_count; k++) {
            if (tools[k].end <= from || tools[k].start >= variables[s].end) continue;
            add_range(&capacity, from, tools[k].start);
            if (tools[k].end > from) from = tools[k].end;
        }
        add_range(&capacity, from, variables[s].end);
    }
    free(variables);
    free(tools);
    program.loaded = true;
}

const cf_data_range *cf_program_data(size_t *count) {
    if (!program.loaded) load();
    *count = program.range_count;
    return program.ranges;
}

void cf_data_root_name(const void *slot, char *out, size_t size) {
    if (!program.loaded) load();
    uintptr_t a = (uintptr_t)slot;
    size_t lo = 0, hi = program.symbol_count;
    while (lo < hi) { /* the first symbol starting after a */
        size_t mid = lo + (hi - lo) / 2;
        if (program.symbols[mid].start <= a) lo = mid + 1; else hi = mid;
    }
    if (lo > 0 && a < program.symbols[lo - 1].end) {
        const data_symbol *s = &program.symbols[lo - 1];
        if (a == s->start)
            snprintf(out, size, "%s", s->name);
        else
            snprintf(out, size, "%s+0x%zx", s->name, (size_t)(a - s->start));
        return;
    }
    snprintf(out, size, "data+0x%zx", (size_t)(a - program.base));
}
