/* Time: the TSC counts, the PIT (channel 2, gated through port 0x61) says how fast. */
#include "hw.h"
#include "arch.h"

#define PIT_HZ 1193182
#define CAL_COUNT 11932   /* 10 ms */

extern struct driver pit;

static u64 ticks(void) { return rdtsc(); }

/* Sleep: channel 0 counts down once (IRQ 0 at the end), or another interrupt comes first. */
static void sleep(u64 n) {
	u64 count = udiv64(n * PIT_HZ, pit.freq, NULL);
	if (count > 0xffff) count = 0xffff;
	if (count < 2) count = 2;
	outb(0x43, 0x30);                        /* channel 0, lo/hi, mode 0: one shot */
	outb(0x40, (u8)count);
	outb(0x40, (u8)(count >> 8));
	__asm__ volatile("sti; hlt; cli" : : : "memory");
}

static const char *probe(struct driver *d, struct region *r) {
	(void)r;
	outb(0x61, (u8)((inb(0x61) & ~2) | 1)); /* gate channel 2 on, speaker off */
	outb(0x43, 0xb0);                        /* channel 2, lo/hi, mode 0 */
	outb(0x42, CAL_COUNT & 0xff);
	outb(0x42, CAL_COUNT >> 8);
	u64 t0 = rdtsc();
	u32 spins = 0;
	while (!(inb(0x61) & 0x20)) if (++spins > 100000000) return "pit channel 2 never fired";
	u64 dt = rdtsc() - t0;
	d->freq = udiv64(dt * PIT_HZ, CAL_COUNT, NULL);
	struct driver *irq = driver_of(DRV_IRQ);
	if (irq) { irq->enable(0); d->sleep = sleep; }
	return d->freq ? NULL : "tsc does not count";
}

static void describe(struct driver *d, struct buf *b) {
	bputs(b, "tsc calibrated against pit channel 2: ");
	bputu(b, d->freq);
	bputs(b, " Hz\n");
}

struct driver pit = { .name = "pit-tsc", .match = "isa,pit", .kind = DRV_TIMER, .probe = probe, .ticks = ticks, .describe = describe };
