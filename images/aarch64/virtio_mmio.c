/* The virtio-mmio transport (version 1, legacy, as QEMU virt gives by default; version 2
 * too). A slot whose device id is not the one asked for is refused, so the root task
 * offers the driver the next slot. */
#include "hw.h"
#include "arch.h"
#include "virtio.h"

enum {
	MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008, GUEST_FEATURES = 0x020, GUEST_FEATURES_SEL = 0x024,
	GUEST_PAGE_SIZE = 0x028, QUEUE_SEL = 0x030, QUEUE_NUM_MAX = 0x034, QUEUE_NUM = 0x038, QUEUE_ALIGN = 0x03c,
	QUEUE_PFN = 0x040, QUEUE_READY = 0x044, QUEUE_NOTIFY = 0x050, STATUS = 0x070,
	QUEUE_DESC = 0x080, QUEUE_AVAIL = 0x090, QUEUE_USED = 0x0a0, CONFIG = 0x100,
};

static void notify(struct vq *q) { mmio_w32((u64)(uptr)q->dev + QUEUE_NOTIFY, 0); }

static const char *setup(struct region *r, u32 id, struct vq *q, void *mem) {
	u64 b = r->base;
	if (mmio_r32(b + MAGIC) != 0x74726976) return "no virtio magic";
	if (mmio_r32(b + DEVICE_ID) != id) return "another virtio device";
	u32 version = mmio_r32(b + VERSION);
	mmio_w32(b + STATUS, 0);
	mmio_w32(b + STATUS, VS_ACK | VS_DRIVER);
	mmio_w32(b + GUEST_FEATURES_SEL, 1);
	mmio_w32(b + GUEST_FEATURES, version == 2 ? 1 : 0);   /* VIRTIO_F_VERSION_1 when modern */
	mmio_w32(b + GUEST_FEATURES_SEL, 0);
	mmio_w32(b + GUEST_FEATURES, 0);
	if (version == 2) mmio_w32(b + STATUS, VS_ACK | VS_DRIVER | 8); /* FEATURES_OK */
	mmio_w32(b + QUEUE_SEL, 0);
	u32 num = mmio_r32(b + QUEUE_NUM_MAX);
	if (num == 0) return "queue 0 missing";
	if (num > 16) num = 16;
	vq_init(q, mem, num);
	q->dev = (void *)(uptr)b;
	q->notify = notify;
	mmio_w32(b + QUEUE_NUM, num);
	if (version == 1) {
		mmio_w32(b + GUEST_PAGE_SIZE, 4096);
		mmio_w32(b + QUEUE_ALIGN, 4096);
		mmio_w32(b + QUEUE_PFN, (u32)((uptr)mem >> 12));
	} else {
		mmio_w32(b + QUEUE_DESC, (u32)(uptr)q->desc); mmio_w32(b + QUEUE_DESC + 4, 0);
		mmio_w32(b + QUEUE_AVAIL, (u32)(uptr)q->avail); mmio_w32(b + QUEUE_AVAIL + 4, 0);
		mmio_w32(b + QUEUE_USED, (u32)(uptr)q->used); mmio_w32(b + QUEUE_USED + 4, 0);
		mmio_w32(b + QUEUE_READY, 1);
	}
	mmio_w32(b + STATUS, mmio_r32(b + STATUS) | VS_DRIVER_OK);
	return NULL;
}

static u32 config32(struct region *r, u32 off) { return mmio_r32(r->base + CONFIG + off); }

const struct vtransport vtransport = { setup, config32 };
