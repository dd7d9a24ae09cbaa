/* cf_switch for AArch64 (AAPCS64). See switch.h for the contract.
 *
 * Frame saved on the outgoing stack (176 bytes), from the saved sp upwards:
 *   x19..x28, x29 (fp), x30 (lr), d8..d15, FPCR, padding
 * cf_context_make builds the same frame with x30 = cf_start, x19 = entry and
 * x20 = arg.
 */
    .text
    .globl  cf_switch
    .type   cf_switch, %function
    .p2align 4
cf_switch:                      /* x0: cf_context *from, x1: cf_context *to */
    sub     sp, sp, #176
    stp     x19, x20, [sp, #0]
    stp     x21, x22, [sp, #16]
    stp     x23, x24, [sp, #32]
    stp     x25, x26, [sp, #48]
    stp     x27, x28, [sp, #64]
    stp     x29, x30, [sp, #80]
    stp     d8, d9, [sp, #96]
    stp     d10, d11, [sp, #112]
    stp     d12, d13, [sp, #128]
    stp     d14, d15, [sp, #144]
    mrs     x9, fpcr
    str     x9, [sp, #160]
    mov     x9, sp
    str     x9, [x0]
    ldr     x9, [x1]
    mov     sp, x9
    ldp     x19, x20, [sp, #0]
    ldp     x21, x22, [sp, #16]
    ldp     x23, x24, [sp, #32]
    ldp     x25, x26, [sp, #48]
    ldp     x27, x28, [sp, #64]
    ldp     x29, x30, [sp, #80]
    ldp     d8, d9, [sp, #96]
    ldp     d10, d11, [sp, #112]
    ldp     d12, d13, [sp, #128]
    ldp     d14, d15, [sp, #144]
    ldr     x9, [sp, #160]
    msr     fpcr, x9
    add     sp, sp, #176
    ret
    .size   cf_switch, .-cf_switch

    .globl  cf_start
    .type   cf_start, %function
    .p2align 4
cf_start:
    .cfi_startproc
    .cfi_undefined x30
    mov     x29, #0
    mov     x0, x20
    blr     x19
    brk     #0
    .cfi_endproc
    .size   cf_start, .-cf_start

/* cf_call_on_stack(fn, arg, top): calls fn(arg) with sp at top (16-byte
 * aligned), then returns on the caller's stack. See side_stack.c. */
    .text
    .globl  cf_call_on_stack
    .type   cf_call_on_stack, %function
    .p2align 4
cf_call_on_stack:               /* x0: fn, x1: arg, x2: top */
    .cfi_startproc
    stp     x29, x30, [sp, #-16]!
    .cfi_def_cfa_offset 16
    .cfi_offset x29, -16
    .cfi_offset x30, -8
    mov     x29, sp
    .cfi_def_cfa_register x29
    mov     sp, x2
    mov     x16, x0
    mov     x0, x1
    blr     x16
    mov     sp, x29
    .cfi_def_cfa_register sp
    ldp     x29, x30, [sp], #16
    .cfi_def_cfa_offset 0
    ret
    .cfi_endproc
    .size   cf_call_on_stack, .-cf_call_on_stack

    .section .note.GNU-stack,"",%progbits
