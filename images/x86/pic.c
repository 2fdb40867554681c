/* The 8259 PICs and an IDT, only so that the CPU can sleep: HLT ends when an interrupt is
 * taken, so the vectors of IRQ 0-15 point at a stub that acknowledges and returns. They
 * are taken only inside sleep (interrupts are otherwise off). */
#include "hw.h"
#include "arch.h"

struct gate { u16 off_lo, sel; u8 zero, flags; u16 off_hi; } __attribute__((packed));
static struct gate idt[48] __attribute__((aligned(8)));
static struct { u16 limit; u32 base; } __attribute__((packed)) idtr;
extern char irq_stub[];
static u8 mask0 = 0xfb, mask1 = 0xff;   /* all masked but the cascade */

static const char *probe(struct driver *d, struct region *r) {
	(void)d; (void)r;
	u16 cs;
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	for (int v = 32; v < 48; v++)
		idt[v] = (struct gate){ (u16)(uptr)irq_stub, cs, 0, 0x8e, (u16)((uptr)irq_stub >> 16) };
	idtr.limit = sizeof idt - 1;
	idtr.base = (u32)(uptr)idt;
	__asm__ volatile("lidt %0" : : "m"(idtr));
	outb(0x20, 0x11); outb(0xa0, 0x11);   /* ICW1: init, ICW4 follows */
	outb(0x21, 32);   outb(0xa1, 40);     /* ICW2: vectors 32.. and 40.. */
	outb(0x21, 4);    outb(0xa1, 2);      /* ICW3: cascade on IRQ2 */
	outb(0x21, 1);    outb(0xa1, 1);      /* ICW4: 8086 mode */
	outb(0x21, mask0); outb(0xa1, mask1);
	return NULL;
}

static void enable(u32 irq) {
	if (irq < 8) mask0 &= (u8)~(1u << irq); else mask1 &= (u8)~(1u << (irq - 8));
	outb(0x21, mask0);
	outb(0xa1, mask1);
}

struct driver pic = { .name = "i8259", .match = "isa,pic", .kind = DRV_IRQ, .probe = probe, .enable = enable };
