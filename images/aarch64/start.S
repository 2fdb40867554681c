/* Entry from QEMU's -kernel loader at EL1, MMU off; the device tree sits at the base of RAM. */
	.section .text.start
	.global _start
_start:
	mrs	x1, mpidr_el1
	and	x1, x1, #0xff
	cbnz	x1, park		/* only cpu 0 runs the image */
	ldr	x1, =stack_top
	mov	sp, x1
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	bl	main
park:	wfe
	b	park

	.global arch_barrier
arch_barrier:
	dsb	sy
	ret

	/* u64 psci_call(u64 fn, int smc) */
	.global psci_call
psci_call:
	cbnz	x1, 3f
	hvc	#0
	ret
3:	smc	#0
	ret

	.section .note.GNU-stack, "", %progbits
