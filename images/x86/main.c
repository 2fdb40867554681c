/* x86 image: the platform is the legacy ISA devices of a QEMU pc and what PCI enumerates. */
#include "hw.h"

int multiboot_ram(u32 magic, const u8 *mbi, u64 *base, u64 *size);
u32 pci_scan(struct region *out, u32 max);

extern struct driver pic, uart16550, cpu, pit, cmos, power, virtio_rng, virtio_blk;
static struct driver *drivers[] = { &pic, &uart16550, &cpu, &pit, &cmos, &power, &virtio_rng, &virtio_blk };
static struct region regions[48] = {
	{ .match = "isa,pic", .base = 0x20, .size = 2, .io = 1 },
	{ .match = "isa,16550", .base = 0x3f8, .size = 8, .io = 1, .irq = 4 },
	{ .match = "isa,cmos", .base = 0x70, .size = 2, .io = 1 },
	{ .match = "isa,pit", .base = 0x40, .size = 4, .io = 1 },
	{ .match = "isa,debug-exit", .base = 0xf4, .size = 4, .io = 1 },
	{ .match = "cpu" },
};
#define NISA 6
static struct platform p = { .arch = "x86", .regions = regions, .drivers = drivers, .ndrivers = nelem(drivers) };

void main(u32 magic, const u8 *mbi) {
	if (multiboot_ram(magic, mbi, &p.ram_base, &p.ram_size) < 0) for (;;) ;
	p.nregions = NISA + pci_scan(regions + NISA, nelem(regions) - NISA);
	root_task(&p);
	klog("cohesix-hw: serving 9P2000");
	klog_stop_echo();
	p9_serve();
}
