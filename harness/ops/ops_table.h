/* ops_table.h -- what each fuzz_ops operation takes, in one table that the
 * decoder, encoder, printer, parser and validator all read, so the four
 * forms of a program cannot drift apart. Private to harness/ops/. */
#ifndef CF_OPS_TABLE_H
#define CF_OPS_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "chanfuzz/ops.h"

/* The first slot number of a kind's bank (x0 for CONTEXT, ...). */
unsigned ops_slot_first(chanfuzz_slot_kind kind);

/* An operand's domain. Slot operands hold a slot number; PARENT a context
 * slot or CHANFUZZ_OPS_BACKGROUND; BODY a body index; the numbers their
 * value (capacity, sent value, ms, delta). */
typedef enum ops_operand {
    OPND_NONE = 0,
    OPND_CHAN,
    OPND_CONTEXT,
    OPND_MUTEX,
    OPND_WAITGROUP,
    OPND_TIMER,
    OPND_FILE,
    OPND_CLOSURE,
    OPND_WEAK,
    OPND_NILABLE,   /* a slot `release` can set to nil: c, t, f, k, p */
    OPND_ANY_SLOT,  /* what a closure may capture: every slot */
    OPND_PARENT,    /* bg, x0, x1 */
    OPND_BODY,      /* a body after the current one: g<body+1>.. */
    OPND_CAPACITY,  /* 0..CHANFUZZ_OPS_MAX_CAPACITY */
    OPND_VALUE,     /* 0..255 */
    OPND_DURATION,  /* 0..CHANFUZZ_OPS_MAX_DURATION ms, written "5ms" */
    OPND_DELTA,     /* 1..CHANFUZZ_OPS_MAX_ADD */
} ops_operand;

#define OPS_MAX_OPERANDS 3

/* One operation or select case: its text name and fixed operands.
 * CAPTURE and SELECT add their variable parts after these. */
typedef struct ops_shape {
    const char *name;
    ops_operand operands[OPS_MAX_OPERANDS];
} ops_shape;

const ops_shape *ops_op_shape(unsigned kind);    /* NULL when out of range */
const ops_shape *ops_case_shape(unsigned kind);  /* NULL when out of range */
size_t ops_operand_count(const ops_shape *shape);

/* How many values the operand can take in body `body` of a program with
 * `body_count` bodies; 0 when none (a `go` in the last body). */
unsigned ops_operand_options(ops_operand type, unsigned body, unsigned body_count);
/* The index-th value (index < options), in the order the byte encoding
 * counts them. */
uint8_t ops_operand_value(ops_operand type, unsigned body, unsigned index);
/* The inverse: the value's index, or -1 when it is not in the domain. */
int ops_operand_index(ops_operand type, unsigned body, unsigned body_count, uint8_t value);

/* Text: "c2", "bg", "g1", "5ms", "7". */
void ops_operand_write(FILE *out, ops_operand type, uint8_t value);
/* Parses one token's syntax into a value (domain checked apart with
 * ops_operand_index). False when the token is not of this type. */
bool ops_operand_read(ops_operand type, const char *token, size_t length, uint8_t *value);
/* "a channel slot (c0-c3)", ... for parse errors. */
const char *ops_operand_expected(ops_operand type);

/* Static goroutine accounting: instances[b] is how many goroutines run
 * body b over any schedule (an upper bound: a blocked goroutine may never
 * reach its `go`). main runs once. */
typedef struct ops_goroutines {
    unsigned instances[CHANFUZZ_OPS_BODIES];
    unsigned total;
} ops_goroutines;

void ops_goroutines_init(ops_goroutines *g);
/* Would one more spawning operation in body `body` fit in the bound?
 * Call it while walking the bodies in order. */
bool ops_goroutines_fit(const ops_goroutines *g, unsigned body);
void ops_goroutines_add(ops_goroutines *g, unsigned body, unsigned target);
/* The body an operation starts (GO, AFTER_FUNC), or -1. */
int ops_spawn_target(const chanfuzz_op *op);

/* Checks one operation in body `body`; returns NULL or why it is not
 * well-formed (static text). Goroutine accounting is the caller's. */
const char *ops_op_problem(const chanfuzz_op *op, unsigned body, unsigned body_count);

#endif
