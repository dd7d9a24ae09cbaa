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

/* void go_gc_at(const go_site *site): runtime.GC(). Called by the scenario
 * itself, so no runtime frame lies between its frames and the spill. */
    .globl  go_gc_at
    .type   go_gc_at, @function
    .p2align 4
go_gc_at:                       /* rdi: site */
    .cfi_startproc
    pushq   %rbp
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset rbp, 0
    pushq   %rbx
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset rbx, 0
    pushq   %r12
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset r12, 0
    pushq   %r13
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset r13, 0
    pushq   %r14
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset r14, 0
    pushq   %r15
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset r15, 0
    pushq   $0
    .cfi_adjust_cfa_offset 8
    movq    %rsp, %rsi
    callq   cf_graph_gc_spilled
    addq    $8, %rsp
    .cfi_adjust_cfa_offset -8
    popq    %r15
    .cfi_adjust_cfa_offset -8
    popq    %r14
    .cfi_adjust_cfa_offset -8
    popq    %r13
    .cfi_adjust_cfa_offset -8
    popq    %r12
    .cfi_adjust_cfa_offset -8
    popq    %rbx
    .cfi_adjust_cfa_offset -8
    popq    %rbp
    .cfi_adjust_cfa_offset -8
    retq
    .cfi_endproc
    .size   go_gc_at, .-go_gc_at

/* void cf_graph_collect_now(go_exec *e, const go_site *site): a collection
 * at an allocation point, from inside the runtime. The runtime frames in
 * between are scanned too (they may hold the caller's registers). */
    .globl  cf_graph_collect_now
    .type   cf_graph_collect_now, @function
    .p2align 4
cf_graph_collect_now:           /* rdi: e, rsi: site */
    .cfi_startproc
    pushq   %rbp
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset rbp, 0
    pushq   %rbx
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset rbx, 0
    pushq   %r12
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset r12, 0
    pushq   %r13
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset r13, 0
    pushq   %r14
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset r14, 0
    pushq   %r15
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset r15, 0
    pushq   $0
    .cfi_adjust_cfa_offset 8
    movq    %rsp, %rdx
    callq   cf_graph_collect_spilled
    addq    $8, %rsp
    .cfi_adjust_cfa_offset -8
    popq    %r15
    .cfi_adjust_cfa_offset -8
    popq    %r14
    .cfi_adjust_cfa_offset -8
    popq    %r13
    .cfi_adjust_cfa_offset -8
    popq    %r12
    .cfi_adjust_cfa_offset -8
    popq    %rbx
    .cfi_adjust_cfa_offset -8
    popq    %rbp
    .cfi_adjust_cfa_offset -8
    retq
    .cfi_endproc
    .size   cf_graph_collect_now, .-cf_graph_collect_now

    .section .note.GNU-stack,"",@progbits
