/* aarch64 (QEMU virt): what the shared code needs to know about this machine. */
#ifndef ARCH_H
#define ARCH_H
#define VIRTIO_MATCH_RNG "virtio,mmio"
#define VIRTIO_MATCH_BLK "virtio,mmio"
static inline u32 mmio_r32(u64 a) { return *(volatile u32 *)(uptr)a; }
static inline void mmio_w32(u64 a, u32 v) { *(volatile u32 *)(uptr)a = v; }
#endif
