/* The bare peer for the boot benchmark: "hello" on the PL011 and nothing else. */
void main(void) {
	volatile unsigned int *dr = (volatile unsigned int *)0x09000000;
	for (const char *s = "hello\n"; *s; s++) *dr = (unsigned int)*s;
	for (;;) __asm__ volatile("wfe");
}
