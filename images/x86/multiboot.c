/* The multiboot information: the memory map QEMU's loader hands over. The largest
 * available range is the RAM the image reports. */
#include "hw.h"

int multiboot_ram(u32 magic, const u8 *mbi, u64 *base, u64 *size) {
	if (magic != 0x2badb002) return -1;
	u32 flags = *(const u32 *)mbi;
	*base = 0; *size = 0;
	if (flags & (1 << 6)) {
		u32 len = *(const u32 *)(mbi + 44), addr = *(const u32 *)(mbi + 48);
		for (u32 at = addr; at < addr + len; ) {
			const u8 *e = (const u8 *)(uptr)at;
			u32 esize = *(const u32 *)e;
			u64 b = *(const u64 *)(e + 4), l = *(const u64 *)(e + 12);
			if (*(const u32 *)(e + 20) == 1 && l > *size) { *base = b; *size = l; }
			at += esize + 4;
		}
	} else if (flags & 1) {
		*base = 0x100000;
		*size = (u64)*(const u32 *)(mbi + 8) << 10;   /* mem_upper, KiB above 1 MiB */
	}
	return 0;
}
