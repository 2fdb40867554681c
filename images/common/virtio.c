/* Split virtqueues (legacy layout, which virtio-mmio v1 and legacy virtio-pci share) and
 * the two virtio drivers, rng and blk. One request in flight, polled to completion. */
#include "hw.h"
#include "virtio.h"
#include "arch.h"

static u32 align4k(u32 n) { return (n + 4095) & ~4095u; }

u32 vq_layout_size(u32 num) {
	return align4k(16 * num + 6 + 2 * num) + align4k(6 + 8 * num);
}

void vq_init(struct vq *q, void *mem, u32 num) {
	memset(mem, 0, vq_layout_size(num));
	q->num = num;
	q->desc = mem;
	q->avail = (struct vq_avail *)((u8 *)mem + 16 * num);
	q->used = (struct vq_used *)((u8 *)mem + align4k(16 * num + 6 + 2 * num));
	q->last_used = 0;
}

int vq_run(struct vq *q, void **bufs, u32 *lens, u32 *writable, u32 n, u32 *used_len) {
	for (u32 i = 0; i < n; i++) {
		q->desc[i].addr = (u64)(uptr)bufs[i];
		q->desc[i].len = lens[i];
		q->desc[i].flags = (u16)((i + 1 < n ? 1 : 0) | (writable[i] ? 2 : 0));
		q->desc[i].next = (u16)(i + 1);
	}
	q->avail->ring[q->avail->idx % q->num] = 0;
	arch_barrier();
	q->avail->idx++;
	arch_barrier();
	q->notify(q);
	struct driver *t = driver_of(DRV_TIMER);
	u64 start = t ? t->ticks() : 0, span = t ? t->freq * 2 : 0;
	while (q->used->idx == q->last_used) {
		if (t && t->ticks() - start > span) return -1;
	}
	arch_barrier();
	if (used_len) *used_len = q->used->ring[q->last_used % q->num].len;
	q->last_used++;
	return 0;
}

/* rng: each read asks the device for up to n bytes (it may give fewer). */
static struct vq rngq;
static u8 rngmem[VQ_MEM] __attribute__((aligned(4096)));

static const char *rng_probe(struct driver *d, struct region *r) {
	(void)d;
	return vtransport.setup(r, VIRTIO_ID_RNG, &rngq, rngmem);
}

static int rng_read(void *buf, u32 n, u64 off) {
	(void)off;
	u32 w = 1, got = 0;
	if (n > 4096) n = 4096;
	if (vq_run(&rngq, &buf, &n, &w, 1, &got) < 0) return -1;
	return (int)got;
}

static void rng_describe(struct driver *d, struct buf *b) {
	(void)d;
	bputs(b, "queue ");
	bputu(b, rngq.num);
	bputc(b, '\n');
}

struct driver virtio_rng = {
	.name = "virtio-rng", .match = VIRTIO_MATCH_RNG, .kind = DRV_RNG, .probe = rng_probe,
	.read = rng_read, .describe = rng_describe,
};

/* blk: bytes at any offset; partial sectors are read, patched and written back. */
static struct vq blkq;
static u8 blkmem[VQ_MEM] __attribute__((aligned(4096)));
static u8 sect[8192 + 1024] __attribute__((aligned(16)));
static struct { u32 type, reserved; u64 sector; } hdr;
static u8 status;

static int blk_io(int write, u64 sector, void *data, u32 len) {
	hdr.type = write ? 1 : 0;
	hdr.reserved = 0;
	hdr.sector = sector;
	status = 0xff;
	void *bufs[3] = { &hdr, data, &status };
	u32 lens[3] = { sizeof hdr, len, 1 };
	u32 w[3] = { 0, write ? 0u : 1u, 1 };
	if (vq_run(&blkq, bufs, lens, w, 3, NULL) < 0) return -1;
	return status == 0 ? 0 : -1;
}

static const char *blk_probe(struct driver *d, struct region *r) {
	const char *e = vtransport.setup(r, VIRTIO_ID_BLK, &blkq, blkmem);
	if (e) return e;
	d->size = ((u64)vtransport.config32(r, 4) << 32 | vtransport.config32(r, 0)) * 512;
	return NULL;
}

static int blk_rw(int write, u8 *data, u32 n, u64 off) {
	while (n) {
		u64 first = off >> 9;
		u32 skip = (u32)(off & 511);
		u32 chunk = n < sizeof sect - 1024 ? n : sizeof sect - 1024;
		u32 span = (skip + chunk + 511) & ~511u;
		int whole = skip == 0 && (chunk & 511) == 0;
		if (!write || !whole) if (blk_io(0, first, sect, span) < 0) return -1;
		if (write) {
			memcpy(sect + skip, data, chunk);
			if (blk_io(1, first, sect, span) < 0) return -1;
		} else memcpy(data, sect + skip, chunk);
		data += chunk; off += chunk; n -= chunk;
	}
	return 0;
}

static int blk_read(void *buf, u32 n, u64 off) { return blk_rw(0, buf, n, off); }
static int blk_write(const void *buf, u32 n, u64 off) { return blk_rw(1, (u8 *)(uptr)buf, n, off); }

static void blk_describe(struct driver *d, struct buf *b) {
	bputs(b, "sectors ");
	bputu(b, d->size >> 9);
	bputc(b, '\n');
}

struct driver virtio_blk = {
	.name = "virtio-blk", .match = VIRTIO_MATCH_BLK, .kind = DRV_BLK, .probe = blk_probe,
	.read = blk_read, .write = blk_write, .describe = blk_describe,
};
