/* The ARM generic timer: the virtual counter and its frequency, read from system registers. */
#include "hw.h"

static u64 ticks(void) {
	u64 v;
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static const char *probe(struct driver *d, struct region *r) {
	(void)r;
	u64 f;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	d->freq = f;
	return f ? NULL : "counter frequency is zero";
}

struct driver gtimer = { .name = "generic-timer", .match = "arm,armv8-timer", .kind = DRV_TIMER, .probe = probe, .ticks = ticks };
