/* The serial line as the 9P server sees it: bytes through the bound UART driver, and a
 * clock (the bound timer) for receive timeouts. */
#include "hw.h"

u64 now_us(void) {
	struct driver *t = driver_of(DRV_TIMER);
	if (!t || !t->freq) return 0;
	u64 ticks = t->ticks();
	/* ticks * 1e6 / freq without overflowing for years of uptime */
	u64 r, s = udiv64(ticks, t->freq, &r);
	return s * 1000000 + udiv64(r * 1000000, t->freq, NULL);
}

void uart_putc(int c) {
	struct driver *u = driver_of(DRV_UART);
	if (u) u->putc(c);
}

void uart_puts(const char *s) {
	while (*s) uart_putc(*s++);
}

int uart_getc_wait(u64 timeout_us) {
	struct driver *u = driver_of(DRV_UART), *t = driver_of(DRV_TIMER);
	if (!u) for (;;) ;
	/* The deadline in timer ticks, computed once: the poll loop does no division. */
	u64 start = 0, span = 0;
	if (timeout_us && t) { start = t->ticks(); span = udiv64(timeout_us * t->freq, 1000000, NULL); }
	for (;;) {
		int c = u->getc();
		if (c >= 0) return c;
		if (span && t->ticks() - start > span) return -1;
	}
}
