/* Register spills for collections, AArch64 (AAPCS64); see spill_x86_64.S
 * for why they are in assembly.
 *
 * Frame, from the sp handed over (96 bytes): x19..x28, x29 (fp), x30 (lr).
 * x29 is pointed at the saved pair, so frame-pointer unwinders walk on.
 */
    .text

/* SPILL_AND_CALL name, target, sp_register: see spill_x86_64.S. */
    .macro SPILL_AND_CALL name, target, sp_register
    .globl  \name
    .type   \name, %function
    .p2align 4
\name:
    .cfi_startproc
    sub     sp, sp, #96
    .cfi_def_cfa_offset 96
    stp     x19, x20, [sp, #0]
    stp     x21, x22, [sp, #16]
    stp     x23, x24, [sp, #32]
    stp     x25, x26, [sp, #48]
    stp     x27, x28, [sp, #64]
    stp     x29, x30, [sp, #80]
    .cfi_offset x29, -16
    .cfi_offset x30, -8
    add     x29, sp, #80
    mov     \sp_register, sp
    bl      \target
    ldp     x19, x20, [sp, #0]
    ldp     x21, x22, [sp, #16]
    ldp     x23, x24, [sp, #32]
    ldp     x25, x26, [sp, #48]
    ldp     x27, x28, [sp, #64]
    ldp     x29, x30, [sp, #80]
    add     sp, sp, #96
    .cfi_def_cfa_offset 0
    ret
    .cfi_endproc
    .size   \name, .-\name
    .endm

/* void go_gc_at(const go_site *site) */
    SPILL_AND_CALL go_gc_at, cf_graph_gc_spilled, x1

/* void cf_graph_collect_now(go_exec *e, const go_site *site) */
    SPILL_AND_CALL cf_graph_collect_now, cf_graph_collect_spilled, x2

    .section .note.GNU-stack,"",%progbits
