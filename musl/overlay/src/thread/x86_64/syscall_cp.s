# syscall_cp.s — musl's cancellable system-call entry for pith.
#
# Same contract as musl's original: __syscall_cp_asm(&self->cancel, nr,
# u, v, w, x, y, z) checks the cancel flag, then makes the call; the
# [__cp_begin, __cp_end) range marks where a cancellation request may act.
# Here the call is a plain C call into the guest kernel instead of the
# `syscall` instruction.

.text
.global __cp_begin
.hidden __cp_begin
.global __cp_end
.hidden __cp_end
.global __cp_cancel
.hidden __cp_cancel
.hidden __cancel
.global __syscall_cp_asm
.hidden __syscall_cp_asm
.type   __syscall_cp_asm,@function
__syscall_cp_asm:

__cp_begin:
	mov (%rdi),%eax
	test %eax,%eax
	jnz __cp_cancel
	mov %rsi,%rdi		# nr
	mov %rdx,%rsi		# u
	mov %rcx,%rdx		# v
	mov %r8,%rcx		# w
	mov %r9,%r8		# x
	mov 8(%rsp),%r9		# y
	pushq 16(%rsp)		# z, 7th argument; keeps %rsp 16-aligned at call
	call __pith_syscall
	add $8,%rsp
__cp_end:
	ret
__cp_cancel:
	jmp __cancel
