/* Multiboot entry: QEMU's -kernel loader enters in 32-bit protected mode, flat segments,
 * eax = 0x2badb002, ebx = the multiboot information. */
	.section .multiboot, "a"
	.align 4
	.long 0x1badb002
	.long 0x00000003                 /* page-align modules, give memory info */
	.long -(0x1badb002 + 0x00000003)

	.section .text.start, "ax"
	.global _start
_start:
	cli
	mov	%eax, %esi
	mov	%ebx, %ebp
	mov	$__bss_start, %edi
	mov	$__bss_end, %ecx
	sub	%edi, %ecx
	xor	%eax, %eax
	cld
	rep stosb
	mov	$stack_top, %esp
	push	%ebp
	push	%esi
	call	main
1:	hlt
	jmp	1b

	.text
	.global arch_barrier
arch_barrier:
	lock orl $0, (%esp)
	ret


	/* Every IRQ: acknowledge at both PICs and return (see pic.c). */
	.text
	.global irq_stub
irq_stub:
	push	%eax
	mov	$0x20, %al
	out	%al, $0xa0
	out	%al, $0x20
	pop	%eax
	iret

	.section .note.GNU-stack, "", @progbits
