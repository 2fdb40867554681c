/* x86 (QEMU pc, 32-bit protected mode): port I/O and what the shared code needs. */
#ifndef ARCH_H
#define ARCH_H
#define VIRTIO_MATCH_RNG "pci:1af4:1005"
#define VIRTIO_MATCH_BLK "pci:1af4:1001"
static inline void outb(u32 port, u8 v) { __asm__ volatile("outb %0, %w1" : : "a"(v), "Nd"(port)); }
static inline void outw(u32 port, u16 v) { __asm__ volatile("outw %0, %w1" : : "a"(v), "Nd"(port)); }
static inline void outl(u32 port, u32 v) { __asm__ volatile("outl %0, %w1" : : "a"(v), "Nd"(port)); }
static inline u8 inb(u32 port) { u8 v; __asm__ volatile("inb %w1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u16 inw(u32 port) { u16 v; __asm__ volatile("inw %w1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u32 inl(u32 port) { u32 v; __asm__ volatile("inl %w1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u64 rdtsc(void) { u32 lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); return (u64)hi << 32 | lo; }
u32 pci_read32(u32 bdf, u32 reg);
void pci_write32(u32 bdf, u32 reg, u32 v);
#endif
