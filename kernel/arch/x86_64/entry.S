/*
 * entry.S — the image's entry point and the jump into the program.
 *
 * _pith_start is the ELF entry on both targets. The host starts it with
 * %rsp at boot->stack_top (16-byte aligned) and %rdi pointing at struct
 * pith_boot; on hvt at CPL3, with no IDT: the kernel never takes an
 * interrupt, and a fault stops the vCPU for the monitor to report.
 */
	.text
	.globl _pith_start
	.type _pith_start, @function
_pith_start:
	xor %ebp, %ebp
	and $-16, %rsp
	call kmain
	ud2
	.size _pith_start, . - _pith_start

/*
 * arch_enter_program(sp, entry): switch to the program's initial stack
 * (argc, argv, envp, auxv as Linux lays them out) and jump to musl's
 * _start with clean registers, as a fresh Linux process begins.
 */
	.globl arch_enter_program
	.type arch_enter_program, @function
arch_enter_program:
	mov %rdi, %rsp
	mov %rsi, %rax
	xor %ebx, %ebx
	xor %ecx, %ecx
	xor %edx, %edx
	xor %esi, %esi
	xor %edi, %edi
	xor %ebp, %ebp
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d
	xor %r12d, %r12d
	xor %r13d, %r13d
	xor %r14d, %r14d
	xor %r15d, %r15d
	jmp *%rax
	.size arch_enter_program, . - arch_enter_program

	.section .note.GNU-stack, "", @progbits
