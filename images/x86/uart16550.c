/* 16550 UART on COM1: the line that carries 9P. Polled, FIFOs on. */
#include "hw.h"
#include "arch.h"

static u32 base;

/* Receive interrupts only while the cpu sleeps (see common/uart.c). */
static void rxirq(int on) { outb(base + 1, on ? 1 : 0); }

static const char *probe(struct driver *d, struct region *r) {
	base = (u32)r->base;
	outb(base + 7, 0x5a);                    /* scratch register: is anything there? */
	if (inb(base + 7) != 0x5a) return "no 16550 at this port";
	outb(base + 1, 0);                       /* no interrupts */
	outb(base + 3, 0x80);                    /* divisor latch */
	outb(base + 0, 1);                       /* 115200 */
	outb(base + 1, 0);
	outb(base + 3, 0x03);                    /* 8N1 */
	outb(base + 2, 0xc7);                    /* FIFOs on and cleared */
	outb(base + 4, 0x0b);                    /* DTR RTS, OUT2 gates the interrupt to the PIC */
	struct driver *irq = driver_of(DRV_IRQ);
	if (irq && r->irq) { irq->enable(r->irq); d->rxirq = rxirq; }
	return NULL;
}

static int getc(void) { return inb(base + 5) & 1 ? inb(base) : -1; }

static void putc(int c) {
	while (!(inb(base + 5) & 0x20)) ;
	outb(base, (u8)c);
}

struct driver uart16550 = { .name = "16550", .match = "isa,16550", .kind = DRV_UART, .probe = probe, .getc = getc, .putc = putc };
