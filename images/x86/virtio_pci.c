/* Legacy virtio-pci (QEMU's disable-modern=on devices): registers in I/O BAR 0, queue size
 * fixed by the device. The root task matched the device id already. */
#include "hw.h"
#include "arch.h"
#include "virtio.h"

enum { GUEST_FEATURES = 0x04, QUEUE_PFN = 0x08, QUEUE_NUM = 0x0c, QUEUE_SEL = 0x0e, QUEUE_NOTIFY = 0x10, STATUS = 0x12, CONFIG = 0x14 };

static void notify(struct vq *q) { outw((u32)(uptr)q->dev + QUEUE_NOTIFY, 0); }

static const char *setup(struct region *r, u32 id, struct vq *q, void *mem) {
	(void)id;
	if (!r->io) return "no I/O BAR";
	u32 b = (u32)r->base;
	pci_write32(r->bdf, 0x04, pci_read32(r->bdf, 0x04) | 0x5);   /* I/O space, bus master */
	outb(b + STATUS, 0);
	outb(b + STATUS, VS_ACK | VS_DRIVER);
	outl(b + GUEST_FEATURES, 0);
	outw(b + QUEUE_SEL, 0);
	u32 num = inw(b + QUEUE_NUM);
	if (num == 0 || num > VQ_MAX) return "queue 0 missing or too large";
	vq_init(q, mem, num);
	q->dev = (void *)(uptr)b;
	q->notify = notify;
	outl(b + QUEUE_PFN, (u32)(uptr)mem >> 12);
	outb(b + STATUS, VS_ACK | VS_DRIVER | VS_DRIVER_OK);
	return NULL;
}

static u32 config32(struct region *r, u32 off) { return inl((u32)r->base + CONFIG + off); }

const struct vtransport vtransport = { setup, config32 };
