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

/* Each poll of the UART is an exit into QEMU under its big lock, the lock QEMU's side needs
 * to put the host's bytes into the FIFO: polling flat out starves the line. An empty poll
 * is followed by a pause on the timer (no device access), growing while the line is idle. */
#define PAUSE_MIN_US 1
#define PAUSE_MAX_US 16
/* A line quiet this long is idle: with an interrupt controller the cpu sleeps until the
 * UART (or the timer, at most SLEEP_US later) wakes it, and QEMU stops spinning a host core. */
#define IDLE_US 2000
#define SLEEP_US 20000

int uart_getc_wait(u64 timeout_us) {
	/* Looked up once: this runs for every byte. */
	static struct driver *u, *t;
	static u64 per_us;
	static int can_sleep;
	if (!u) {
		u = driver_of(DRV_UART);
		t = driver_of(DRV_TIMER);
		if (!u) for (;;) ;
		per_us = t ? udiv64(t->freq, 1000000, NULL) : 0;
		can_sleep = t && t->sleep && u->rxirq && driver_of(DRV_IRQ);
	}
	/* The deadline in timer ticks, computed once: the poll loop does no division. */
	u64 start = t ? t->ticks() : 0, span = timeout_us && t ? timeout_us * per_us : 0;
	u64 pause = PAUSE_MIN_US * per_us;
	for (;;) {
		int c = u->getc();
		if (c >= 0) return c;
		if (!t) continue;
		u64 now = t->ticks();
		if (span && now - start > span) return -1;
		if (can_sleep && now - start > IDLE_US * per_us) {
			u64 n = SLEEP_US * per_us;
			if (span && span - (now - start) < n) n = span - (now - start) + 1;
			u->rxirq(1);
			t->sleep(n);
			u->rxirq(0);
			continue;
		}
		while (t->ticks() - now < pause) ;
		if (pause < PAUSE_MAX_US * per_us) pause *= 2;
	}
}
