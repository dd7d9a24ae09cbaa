/* Register spills for collections, x86-64 System V (see graph.h).
 *
 * A collection scans the running goroutine's stack conservatively, and the
 * scenario's pointers may sit in callee-saved registers. C cannot spill
 * them reliably: any C function on the way may move them into its own
 * frame first, and C frames carry padding that can hold stale pointers.
 * These entry points push every callee-saved register and hand the
 * collector the stack pointer: [sp, stack top) is then the registers, the
 * return address, and the caller's frames -- nothing else.
 *
 * Frame, from the sp handed over: a zero word (alignment), r15, r14, r13,
 * r12, rbx, rbp, return address.
 */
    .text

/* SPILL_AND_CALL name, target, sp_register: defines `name`, which pushes
 * every callee-saved register and calls `target` with its own arguments
 * plus the sp in `sp_register` (the next argument register). */
    .macro SPILL_AND_CALL name, target, sp_register
    .globl  \name
    .type   \name, @function
    .p2align 4
\name:
    .cfi_startproc
    .irp reg, rbp, rbx, r12, r13, r14, r15
    pushq   %\reg
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset \reg, 0
    .endr
    pushq   $0
    .cfi_adjust_cfa_offset 8
    movq    %rsp, %\sp_register
    callq   \target
    addq    $8, %rsp
    .cfi_adjust_cfa_offset -8
    .irp reg, r15, r14, r13, r12, rbx, rbp
    popq    %\reg
    .cfi_adjust_cfa_offset -8
    .endr
    retq
    .cfi_endproc
    .size   \name, .-\name
    .endm

/* void go_gc_at(const go_site *site): runtime.GC(). Called by the scenario
 * itself, so no runtime frame lies between its frames and the spill. */
    SPILL_AND_CALL go_gc_at, cf_graph_gc_spilled, rsi

/* void cf_graph_collect_now(go_exec *e, const go_site *site): a collection
 * at an allocation point, from inside the runtime. The runtime frames in
 * between are scanned too (they may hold the caller's registers). */
    SPILL_AND_CALL cf_graph_collect_now, cf_graph_collect_spilled, rdx

    .section .note.GNU-stack,"",@progbits
