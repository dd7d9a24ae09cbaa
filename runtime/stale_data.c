/* stale_data.c -- C statics must not outlive their execution.
 *
 * A scenario keeps the objects it shares with goroutines in statics, as a
 * Go program keeps them in globals, and the collector treats every word of
 * the program's data as a root. When an execution is freed, a static that
 * held one of its objects dangles; the allocator then hands the same
 * address to an object of a later execution -- often of another scenario,
 * which never writes that static -- and the dangling word, now pointing
 * at a live object, makes it look reachable. The verdict would then hang
 * on what ran earlier in the process: "leak" after one history, "partial
 * deadlock" after another, and a finding a fuzz target saved would not
 * replay the same in a fresh process.
 *
 * So go_exec_free clears every word of the program's data that holds a
 * handle to one of the execution's objects, before freeing them. That is
 * what a Go program sees anyway: each execution is a fresh program whose
 * globals start as zero values.
 *
 * A handle is exactly an address the API hands out -- the object's own
 * (go_chan *, go_mutex *, ...) or a go_alloc payload -- never any address
 * inside an object. The data scanned includes, in a static build, the C
 * library's: malloc's arena points at the header of the chunk after an
 * object, which lies within the object's last bytes, and clearing that
 * word corrupted the heap. No allocator keeps a pointer to the start of a
 * block it handed out (a go_alloc payload has room enough after it that
 * the next chunk's header never sits at its address: heap.c), so handles
 * are safe to clear; an interior pointer
 * a scenario keeps (&buf[3]) is left stale, and may still keep an object
 * of a later execution alive.
 */
#include <stdbool.h>
#include <stdint.h>

#include "sanitizer.h"
#include "object.h"
#include "scan.h"

static bool is_handle(const cf_object *obj, uintptr_t word) {
    return word == (uintptr_t)obj ||
           (obj->kind == GO_OBJ_HEAP && word == (uintptr_t)cf_heap_payload(obj));
}

/* Uninstrumented, as cf_forget_program_data: the ranges include ASan's
 * redzones around globals, which hold no pointers but are poisoned
 * (reading them is what the collector's own scan does too). */
static CF_NO_ASAN void forget_handle(const cf_tracer *final, uintptr_t *word) {
    int64_t node = cf_index_find(final, *word);
    if (node >= 0 && is_handle(final->by_address[node], *word)) *word = 0;
}

CF_NO_ASAN void cf_forget_program_data(const cf_tracer *final) {
    if (!final || final->object_count == 0) return;
    /* The final collection read every word already: only those that
     * pointed into an object can hold a handle (nothing writes the
     * program's data between the end and go_exec_free). */
    if (final->data_scanned && final->data_hit_count <= CF_DATA_HITS) {
        for (size_t i = 0; i < final->data_hit_count; i++)
            forget_handle(final, (uintptr_t *)final->data_hits[i]);
        return;
    }
    size_t count;
    const cf_data_range *ranges = cf_program_data(&count);
    for (size_t i = 0; i < count; i++) {
        uintptr_t from = (ranges[i].start + sizeof(uintptr_t) - 1) & ~(uintptr_t)(sizeof(uintptr_t) - 1);
        for (uintptr_t at = from; at + sizeof(uintptr_t) <= ranges[i].end; at += sizeof(uintptr_t))
            forget_handle(final, (uintptr_t *)at);
    }
}
