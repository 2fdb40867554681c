/* The ARM generic timer: the virtual counter and its frequency, read from system registers. */
#include "hw.h"

static u64 ticks(void) {
	u64 v;
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

/* Arm the virtual timer and wait for any interrupt: the timer's, or another device's. */
static void sleep(u64 n) {
	__asm__ volatile("msr cntv_tval_el0, %0; msr cntv_ctl_el0, %1; isb; wfi; msr cntv_ctl_el0, xzr; isb"
		: : "r"(n), "r"((u64)1) : "memory");
}

static const char *probe(struct driver *d, struct region *r) {
	u64 f;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	d->freq = f;
	struct driver *irq = driver_of(DRV_IRQ);
	if (irq && r->irq) irq->enable(r->irq);
	return f ? NULL : "counter frequency is zero";
}

struct driver gtimer = { .name = "generic-timer", .match = "arm,armv8-timer", .kind = DRV_TIMER, .probe = probe, .ticks = ticks, .sleep = sleep };
