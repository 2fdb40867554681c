/* The CMOS real-time clock: a calendar date, BCD or binary, read until two reads agree. */
#include "hw.h"
#include "arch.h"

static u32 reg(u32 r) { outb(0x70, (u8)r); return inb(0x71); }

static const char *probe(struct driver *d, struct region *r) {
	(void)d; (void)r;
	return reg(0x0d) & 0x80 ? NULL : "cmos battery dead (register D)";
}

static void snap(u32 *t) {
	while (reg(0x0a) & 0x80) ;               /* update in progress */
	const u32 regs[7] = { 0x00, 0x02, 0x04, 0x07, 0x08, 0x09, 0x32 };
	for (int i = 0; i < 7; i++) t[i] = reg(regs[i]);
}

static u64 seconds(void) {
	u32 a[7], b[7];
	do { snap(a); snap(b); } while (memcmp(a, b, sizeof a) != 0);
	u32 status = reg(0x0b);
	if (!(status & 4)) for (int i = 0; i < 7; i++) a[i] = (a[i] & 0x0f) + ((a[i] & 0x70) >> 4) * 10 + (i == 2 ? (a[i] & 0x80) : 0);
	u32 hour = a[2] & 0x7f;
	if (!(status & 2) && (a[2] & 0x80)) hour = (hour % 12) + 12;   /* 12-hour clock, pm */
	u32 year = a[6] ? a[6] * 100 + a[5] : 2000 + a[5];
	return unix_seconds(year, a[4], a[3], hour, a[1], a[0]);
}

struct driver cmos = { .name = "cmos-rtc", .match = "isa,cmos", .kind = DRV_RTC, .probe = probe, .seconds = seconds };
