/* Virtio devices over either transport: the arch supplies the transport (virtio-mmio on
 * aarch64, legacy virtio-pci on x86); rings and the rng/blk drivers are shared. */
#ifndef VIRTIO_H
#define VIRTIO_H

struct vq_desc { u64 addr; u32 len; u16 flags; u16 next; };
struct vq_avail { u16 flags; u16 idx; u16 ring[VQ_MAX]; };
struct vq_used_elem { u32 id; u32 len; };
struct vq_used { u16 flags; u16 idx; struct vq_used_elem ring[VQ_MAX]; };

enum { VIRTIO_ID_BLK = 2, VIRTIO_ID_RNG = 4 };
enum { VS_ACK = 1, VS_DRIVER = 2, VS_DRIVER_OK = 4, VS_FAILED = 128 };

/* Ring memory for one queue of up to VQ_MAX entries in the legacy layout (4 KiB aligned). */
#define VQ_MEM 12288

struct vtransport {
	/* Check the region holds device id, reset it, set up queue 0 in mem, start it. */
	const char *(*setup)(struct region *r, u32 id, struct vq *q, void *mem);
	u32 (*config32)(struct region *r, u32 off);
};
extern const struct vtransport vtransport;
extern struct driver virtio_rng, virtio_blk;

#endif
