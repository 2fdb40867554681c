/* The CPU: MIDR_EL1 says who made it and which part it is. */
#include "hw.h"

static u64 midr;

static const char *probe(struct driver *d, struct region *r) {
	(void)d; (void)r;
	__asm__ volatile("mrs %0, midr_el1" : "=r"(midr));
	return NULL;
}

static void describe(struct driver *d, struct buf *b) {
	(void)d;
	u32 impl = (u32)(midr >> 24) & 0xff, part = (u32)(midr >> 4) & 0xfff;
	u32 var = (u32)(midr >> 20) & 0xf, rev = (u32)midr & 0xf;
	const char *name = impl != 0x41 ? "unknown" : part == 0xd07 ? "Cortex-A57" : part == 0xd03 ? "Cortex-A53"
		: part == 0xd08 ? "Cortex-A72" : part == 0xd0c ? "Neoverse-N1" : "unknown Arm";
	bputs(b, name);
	bputs(b, " r");
	bputu(b, var);
	bputc(b, 'p');
	bputu(b, rev);
	bputs(b, impl == 0x41 ? " implementer Arm" : " implementer ");
	if (impl != 0x41) bputx(b, impl);
	bputs(b, " part ");
	bputx(b, part);
	bputs(b, " midr ");
	bputx(b, midr);
	bputc(b, '\n');
}

struct driver cpu = { .name = "cpu", .match = "cpu", .kind = DRV_CPU, .probe = probe, .describe = describe };
