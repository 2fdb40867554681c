/* Cohesix hardware image: what every part of an image shares.
 *
 * The image is shaped like an seL4 system: a root task (root.c) owns the
 * machine at boot, learns what devices exist (device tree, PCI), and hands
 * each driver exactly the device region it asked for; drivers are reached
 * only through struct driver. The 9P server (p9.c) and the file tree
 * (tree.c) then serve the drivers over the UART. No libc, no heap, no
 * interrupts: every driver polls. */
#ifndef HW_H
#define HW_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned long uptr;
typedef long sptr;

#define NULL ((void *)0)
#define nelem(a) (sizeof(a) / sizeof((a)[0]))

/* A bounded text/byte buffer: writes past cap are dropped. */
struct buf {
	char *p;
	u32 n, cap;
};

/* A device region as the platform describes it: MMIO or I/O-port range. */
struct region {
	char match[32];  /* "arm,pl011", "virtio,mmio", "pci:1af4:1005", "isa,cmos" */
	u64 base;
	u64 size;
	u32 io;          /* 1: I/O ports (x86), 0: memory-mapped */
	u32 bdf;         /* PCI bus/device/function, for PCI regions */
	u64 base2;       /* a second register block (the GIC's CPU interface) */
	u32 irq;         /* interrupt id at the interrupt controller, 0: none */
	u32 owner;       /* index+1 of the driver it was handed to, 0: free */
};

enum { DRV_UART, DRV_RTC, DRV_TIMER, DRV_RNG, DRV_BLK, DRV_POWER, DRV_CPU, DRV_IRQ };

/* The one driver interface. A driver fills in the operations of its kind;
 * probe gets the region the root task hands it and returns 0, or an error
 * string kept as the driver's state. */
struct driver {
	const char *name;
	const char *match;  /* which region kind it drives (prefix match) */
	int kind;
	const char *(*probe)(struct driver *d, struct region *r);
	/* uart */
	int (*getc)(void);          /* -1: nothing waiting */
	void (*putc)(int c);
	void (*rxirq)(int on);      /* raise the line while bytes wait (to wake a sleeping cpu) */
	/* rtc: Unix seconds */
	u64 (*seconds)(void);
	/* timer */
	u64 (*ticks)(void);
	u64 freq;
	/* Sleep until an interrupt or this many ticks (used only while an irq driver is bound). */
	void (*sleep)(u64 ticks);
	/* irq: let this interrupt wake a sleeping cpu */
	void (*enable)(u32 irq);
	/* rng, blk: bytes at an offset; returns bytes done or -1 */
	int (*read)(void *buf, u32 n, u64 off);
	int (*write)(const void *buf, u32 n, u64 off);
	u64 size;                   /* blk: capacity in bytes */
	/* power */
	void (*poweroff)(void);
	void (*reboot)(void);
	/* any: a line of detail for /drivers, /cpu, /mem */
	void (*describe)(struct driver *d, struct buf *b);
	/* set by the root task */
	struct region *region;
	const char *state;
};

/* lib.c */
void *memset(void *d, int c, uptr n);
void *memcpy(void *d, const void *s, uptr n);
void *memmove(void *d, const void *s, uptr n);
int memcmp(const void *a, const void *b, uptr n);
uptr strlen(const char *s);
int strcmp(const char *a, const char *b);
int strprefix(const char *s, const char *pre);
void bputc(struct buf *b, char c);
void bputs(struct buf *b, const char *s);
void bputn(struct buf *b, const void *s, u32 n);
void bputu(struct buf *b, u64 v);
void bputx(struct buf *b, u64 v);
u64 udiv64(u64 n, u64 d, u64 *rem);
u64 unix_seconds(u32 year, u32 mon, u32 day, u32 h, u32 m, u32 s);

/* log.c: the boot log, kept for /log and echoed on the UART until 9P starts */
void klog(const char *s);
void klogv(const char *a, const char *b, const char *c);
extern struct buf klogbuf;
void klog_flush(void);
void klog_stop_echo(void);

/* root.c: the root task */
struct platform {
	const char *arch;
	struct region *regions;
	u32 nregions;
	struct driver **drivers;
	u32 ndrivers;
	u64 ram_base, ram_size;
	void (*idle)(void);
};
extern struct platform *plat;
void root_task(struct platform *p);
struct driver *driver_of(int kind);

/* uart.c: bytes on the line, through the bound UART driver */
void uart_putc(int c);
void uart_puts(const char *s);
int uart_getc_wait(u64 timeout_us); /* -1 on timeout; timeout 0 waits forever */
u64 now_us(void);

/* p9.c */
void p9_serve(void);

/* virtio.c: split virtqueues shared by virtio-mmio and legacy virtio-pci */
#define VQ_MAX 256
struct vq {
	u32 num;
	struct vq_desc *desc;
	struct vq_avail *avail;
	volatile struct vq_used *used;
	u16 last_used;
	void (*notify)(struct vq *q);
	void *dev;
};
u32 vq_layout_size(u32 num);
void vq_init(struct vq *q, void *mem, u32 num);
/* Submit one chain of up to 4 buffers (len, device-writable flag) and poll for it; -1 on timeout. */
int vq_run(struct vq *q, void **bufs, u32 *lens, u32 *writable, u32 n, u32 *used_len);
int virtio_blk_io(struct vq *q, int write, u64 sector, void *data, u32 len);

/* arch */
void arch_barrier(void);

#endif
