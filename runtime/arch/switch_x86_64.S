/* cf_switch for x86-64 System V. See switch.h for the contract.
 *
 * Frame saved on the outgoing stack, from the saved sp upwards:
 *   [sp+0]  MXCSR (4 bytes), x87 control word (2 bytes), padding
 *   [sp+8]  r15, r14, r13, r12, rbx, rbp
 *   [sp+56] return address
 * cf_context_make builds the same frame with the return address pointing at
 * cf_start, r12 = entry and r13 = arg.
 */
    .text
    .globl  cf_switch
    .type   cf_switch, @function
    .p2align 4
cf_switch:                      /* rdi: cf_context *from, rsi: cf_context *to */
    .cfi_startproc
    pushq   %rbp
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    subq    $8, %rsp
    stmxcsr (%rsp)
    fnstcw  4(%rsp)
    movq    %rsp, (%rdi)
    movq    (%rsi), %rsp
    ldmxcsr (%rsp)
    fldcw   4(%rsp)
    addq    $8, %rsp
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    popq    %rbp
    popq    %rcx                /* pop; jmp: see switch.h */
    jmpq    *%rcx
    .cfi_endproc
    .size   cf_switch, .-cf_switch

/* First code a new context runs. The stack is 16-byte aligned here, so the
 * call gives entry the ABI's alignment. entry never returns. */
    .globl  cf_start
    .type   cf_start, @function
    .p2align 4
cf_start:
    .cfi_startproc
    .cfi_undefined rip          /* outermost frame: debuggers stop here */
    xorl    %ebp, %ebp
    movq    %r13, %rdi
    callq   *%r12
    ud2
    .cfi_endproc
    .size   cf_start, .-cf_start

/* cf_call_on_stack(fn, arg, top): calls fn(arg) with the stack pointer at
 * top (16-byte aligned), then returns on the caller's stack. See
 * side_stack.c for why. rbp keeps the caller's frame, so frame-pointer
 * unwinding (sanitizer reports) walks from fn back into the goroutine. */
    .text
    .globl  cf_call_on_stack
    .type   cf_call_on_stack, @function
    .p2align 4
cf_call_on_stack:               /* rdi: fn, rsi: arg, rdx: top */
    .cfi_startproc
    pushq   %rbp
    .cfi_def_cfa_offset 16
    .cfi_offset %rbp, -16
    movq    %rsp, %rbp
    .cfi_def_cfa_register %rbp
    movq    %rdx, %rsp
    movq    %rdi, %rax
    movq    %rsi, %rdi
    callq   *%rax
    movq    %rbp, %rsp
    popq    %rbp
    .cfi_def_cfa %rsp, 8
    ret
    .cfi_endproc
    .size   cf_call_on_stack, .-cf_call_on_stack

    .section .note.GNU-stack,"",@progbits
