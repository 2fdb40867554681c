/* PL011 UART: the line that carries 9P. Polled, FIFOs on. */
#include "hw.h"
#include "arch.h"

enum { DR = 0x00, FR = 0x18, IBRD = 0x24, FBRD = 0x28, LCRH = 0x2c, CR = 0x30, IMSC = 0x38 };
enum { FR_RXFE = 1 << 4, FR_TXFF = 1 << 5 };
static u64 base;

/* Only while the cpu sleeps: a pending interrupt, even masked, makes QEMU stop the cpu at
 * every block to look at it, which would slow every byte of a busy line. */
static void rxirq(int on) { mmio_w32(base + IMSC, on ? 1 << 4 | 1 << 6 : 0); }

static const char *probe(struct driver *d, struct region *r) {
	base = r->base;
	mmio_w32(base + CR, 0);
	mmio_w32(base + IMSC, 0);
	mmio_w32(base + IBRD, 1);
	mmio_w32(base + FBRD, 40);
	mmio_w32(base + LCRH, 3 << 5 | 1 << 4);          /* 8 bits, FIFOs on */
	mmio_w32(base + CR, 1 | 1 << 8 | 1 << 9);        /* enable, tx, rx */
	struct driver *irq = driver_of(DRV_IRQ);
	if (irq && r->irq) { irq->enable(r->irq); d->rxirq = rxirq; }
	return NULL;
}

static int getc(void) {
	if (mmio_r32(base + FR) & FR_RXFE) return -1;
	return (int)(mmio_r32(base + DR) & 0xff);
}

static void putc(int c) {
	while (mmio_r32(base + FR) & FR_TXFF) ;
	mmio_w32(base + DR, (u32)c & 0xff);
}

struct driver pl011 = { .name = "pl011", .match = "arm,pl011", .kind = DRV_UART, .probe = probe, .getc = getc, .putc = putc };
