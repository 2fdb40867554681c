/* PCI enumeration through configuration mechanism #1: every function on bus 0 (QEMU pc
 * puts its devices there) becomes a region "pci:VVVV:DDDD" with its first I/O BAR. */
#include "hw.h"
#include "arch.h"

u32 pci_read32(u32 bdf, u32 reg) { outl(0xcf8, 0x80000000u | bdf << 8 | (reg & 0xfc)); return inl(0xcfc); }
void pci_write32(u32 bdf, u32 reg, u32 v) { outl(0xcf8, 0x80000000u | bdf << 8 | (reg & 0xfc)); outl(0xcfc, v); }

static void hex4(char *p, u32 v) { for (int i = 3; i >= 0; i--, v >>= 4) p[i] = "0123456789abcdef"[v & 15]; }

u32 pci_scan(struct region *out, u32 max) {
	u32 n = 0;
	for (u32 dev = 0; dev < 32; dev++) for (u32 fn = 0; fn < 8; fn++) {
		u32 bdf = dev << 3 | fn;
		u32 id = pci_read32(bdf, 0);
		if ((id & 0xffff) == 0xffff) { if (fn == 0) break; continue; }
		if (n < max) {
			struct region *r = &out[n++];
			memset(r, 0, sizeof *r);
			memcpy(r->match, "pci:", 4);
			hex4(r->match + 4, id & 0xffff);
			r->match[8] = ':';
			hex4(r->match + 9, id >> 16);
			r->bdf = bdf;
			for (u32 bar = 0x10; bar <= 0x24; bar += 4) {
				u32 v = pci_read32(bdf, bar);
				if (!(v & 1)) continue;              /* memory BARs: no driver here wants one */
				pci_write32(bdf, bar, 0xffffffffu);
				u32 mask = pci_read32(bdf, bar);
				pci_write32(bdf, bar, v);
				r->io = 1;
				r->base = v & ~3u;
				r->size = (~(mask & ~3u) + 1) & 0xffff;
				break;
			}
			klogv("found ", r->match, r->io ? " io" : "");
		}
		if (fn == 0 && !(pci_read32(bdf, 0x0c) & 0x800000)) break; /* not multi-function */
	}
	return n;
}
