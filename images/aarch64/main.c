/* aarch64 image: the platform is what the device tree at the base of RAM says. */
#include "hw.h"
#include "fdt.h"

extern struct driver gic, pl011, pl031, gtimer, psci, cpu, virtio_rng, virtio_blk;
static struct driver *drivers[] = { &gic, &pl011, &cpu, &gtimer, &pl031, &psci, &virtio_rng, &virtio_blk };
static struct fdt_found dt;
static struct platform p = { .arch = "aarch64", .drivers = drivers, .ndrivers = nelem(drivers) };

void main(void) {
	if (fdt_scan((const void *)0x40000000, &dt) < 0) for (;;) ;
	p.regions = dt.r;
	p.nregions = dt.n;
	p.ram_base = dt.ram_base;
	p.ram_size = dt.ram_size;
	root_task(&p);
	klog("cohesix-hw: serving 9P2000");
	klog_stop_echo();
	p9_serve();
}
