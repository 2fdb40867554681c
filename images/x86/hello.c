/* The bare peer for the boot benchmark: "hello" on COM1 and nothing else. */
static inline void outb(unsigned short port, unsigned char v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
void main(void) {
	for (const char *s = "hello\n"; *s; s++) outb(0x3f8, (unsigned char)*s);
	for (;;) __asm__ volatile("hlt");
}
