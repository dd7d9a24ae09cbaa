/* fuzz_bytes.c -- libFuzzer's input as a decision source.
 *
 * Layout, as FuzzedDataProvider's: scenario data (DATA) is read from the
 * front of the input, forwards; every other decision from the tail,
 * backwards. A mutation of the data leaves the schedule bytes where they
 * were, and the other way round, as long as the ends do not meet. They
 * meet in the middle: once every byte is consumed, both sides answer 0.
 *
 * Total semantics: any byte string is an input, and running dry is the
 * plain case (no preemption, first in queue, first ready case, hand-off,
 * smallest datum), so libFuzzer's minimizer, which shortens inputs, also
 * shortens schedules.
 *
 * PREEMPT (one tail byte): preempt only when the byte's low three bits are
 * 001. It is by far the most frequent decision -- one per scheduling point
 * with anyone else runnable -- so its cost and its default matter most:
 *  - one byte, not one bit: libFuzzer mutates bytes (insert, erase, change,
 *    copy), and a byte per decision keeps one decision per mutation unit;
 *  - 1 in 8 of random bytes preempts. PCT's observation is that bugs need
 *    few preemptions at the right places; at 1 in 2 (a bit test) a random
 *    run of inserted bytes interleaves at every other step and buries the
 *    one preemption that matters under noise;
 *  - 0x00 and 0xff, the bytes libFuzzer inserts in runs, both mean "no";
 *    0x01 is "yes", so the byte equal to the answer encodes it, as for
 *    every other kind, and one bit flip or a +1 toggles it.
 *
 * Other kinds: as many bytes as it takes to cover [0, options) -- one byte
 * up to 256 options, five for a duration of up to 10 s -- most significant
 * first, reduced modulo options. The byte equal to the answer always means
 * that answer, whatever the option count, so a queue position keeps its
 * meaning when the queue grows. Modulo bias: over 256 byte values an answer
 * has floor(256/n) or ceil(256/n) of them, a ratio of 1 for powers of two,
 * at most 1.07 up to 16 options (nearly every select and run queue), and at
 * most 2 near 256 options; every answer stays reachable by one byte, which
 * is what a fuzzer needs. A side that runs dry in the middle of a value
 * uses the bytes it got: a shorter input gives a smaller datum.
 */
#include <stdlib.h>
#include <string.h>

#include "chanfuzz/sources.h"

/* The bytes needed to cover [0, options): ceil(bits(options - 1) / 8). */
static unsigned bytes_for(uint64_t options) {
    unsigned bits = 64 - (unsigned)__builtin_clzll(options - 1); /* options >= 2 */
    return (bits + 7) / 8;
}

static bool input_left(const chanfuzz_fuzz_bytes *src) {
    return src->front_used + src->tail_used < src->size;
}

/* Reads up to `count` bytes from one end as a big-endian number; stops
 * early when the input runs dry. */
static uint64_t read_number(chanfuzz_fuzz_bytes *src, bool front, unsigned count) {
    uint64_t value = 0;
    for (unsigned i = 0; i < count && input_left(src); i++) {
        uint8_t byte = front ? src->data[src->front_used++]
                             : src->data[src->size - 1 - src->tail_used++];
        value = value << 8 | byte;
    }
    return value;
}

#define PREEMPT_MASK 0x07u
#define PREEMPT_YES 0x01u

static uint64_t decide_fuzz_bytes(void *self, go_decision_kind kind, uint64_t options) {
    chanfuzz_fuzz_bytes *src = self;
    if (options < 2) return 0; /* never asked; bytes_for needs options >= 2 */
    if (kind == GO_DECIDE_PREEMPT) {
        if (!input_left(src)) return 0;
        return (read_number(src, false, 1) & PREEMPT_MASK) == PREEMPT_YES;
    }
    return read_number(src, kind == GO_DECIDE_DATA, bytes_for(options)) % options;
}

go_decider chanfuzz_fuzz_bytes_decider(chanfuzz_fuzz_bytes *src, const uint8_t *data,
                                       size_t size) {
    *src = (chanfuzz_fuzz_bytes){.data = data, .size = data ? size : 0};
    go_decider d = {decide_fuzz_bytes, src};
    return d;
}

/* ---- encoding: decisions back to bytes ---------------------------------- */

/* Appends the canonical bytes of one decision: the answer itself, most
 * significant byte first, in as many bytes as the reader takes. */
static size_t encode_one(const go_decision *d, uint8_t *out) {
    if (d->kind == GO_DECIDE_PREEMPT) {
        out[0] = d->answer ? PREEMPT_YES : 0;
        return 1;
    }
    unsigned count = bytes_for(d->options);
    for (unsigned i = 0; i < count; i++) out[i] = (uint8_t)(d->answer >> 8 * (count - 1 - i));
    return count;
}

uint8_t *chanfuzz_fuzz_bytes_encode(const go_decision *log, size_t count, size_t *size) {
    /* Trailing zero answers need no bytes: the reader is dry by then. */
    while (count > 0 && log[count - 1].answer == 0) count--;
    *size = 0;
    if (count == 0) return NULL;
    /* At most 8 bytes a decision; the tail is gathered in reading order,
     * then laid down backwards behind the front. */
    uint8_t *front = malloc(count * 8), *tail = malloc(count * 8);
    size_t front_size = 0, tail_size = 0;
    if (!front || !tail) goto out;
    for (size_t i = 0; i < count; i++) {
        if (log[i].kind == GO_DECIDE_DATA)
            front_size += encode_one(&log[i], front + front_size);
        else
            tail_size += encode_one(&log[i], tail + tail_size);
    }
    for (size_t i = 0; i < tail_size; i++) front[front_size + i] = tail[tail_size - 1 - i];
    *size = front_size + tail_size;
out:
    free(tail);
    if (*size == 0) {
        free(front);
        return NULL;
    }
    return front;
}
