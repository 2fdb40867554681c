/* GICv2, only so that the CPU can sleep: interrupts stay masked at the CPU (DAIF.I) and are
 * never taken, but a pending one still ends a WFI. The distributor forwards the ones
 * drivers name (the UART's receive, the virtual timer) to cpu 0. */
#include "hw.h"
#include "arch.h"

static u64 dist, cpuif;

static const char *probe(struct driver *d, struct region *r) {
	(void)d;
	if (!r->base2) return "no cpu interface in the device tree";
	dist = r->base;
	cpuif = r->base2;
	mmio_w32(dist + 0x000, 1);           /* GICD_CTLR: forward */
	mmio_w32(cpuif + 0x004, 0xf0);       /* GICC_PMR: every priority we use */
	mmio_w32(cpuif + 0x000, 1);          /* GICC_CTLR: signal the cpu */
	return NULL;
}

static void enable(u32 irq) {
	if (irq >= 32) {                     /* an SPI: route it to cpu 0 (byte-wide target register) */
		u64 a = dist + 0x800 + (irq & ~3u);
		u32 shift = 8 * (irq & 3);
		mmio_w32(a, (mmio_r32(a) & ~(0xffu << shift)) | 1u << shift);
	}
	mmio_w32(dist + 0x100 + 4 * (irq / 32), 1u << (irq % 32));   /* GICD_ISENABLER */
}

struct driver gic = { .name = "gicv2", .match = "arm,cortex-a15-gic", .kind = DRV_IRQ, .probe = probe, .enable = enable };
