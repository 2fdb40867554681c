/* The CPU: CPUID's vendor, family, model, stepping and brand string. */
#include "hw.h"

static void cpuid(u32 leaf, u32 *r) { __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0)); }

static char vendor[13], brand[49];
static u32 sig;

static const char *probe(struct driver *d, struct region *r) {
	(void)d; (void)r;
	u32 v[4];
	cpuid(0, v);
	memcpy(vendor, &v[1], 4); memcpy(vendor + 4, &v[3], 4); memcpy(vendor + 8, &v[2], 4);
	cpuid(1, v);
	sig = v[0];
	cpuid(0x80000000, v);
	if (v[0] >= 0x80000004) for (u32 i = 0; i < 3; i++) { cpuid(0x80000002 + i, v); memcpy(brand + 16 * i, v, 16); }
	return NULL;
}

static void describe(struct driver *d, struct buf *b) {
	(void)d;
	u32 family = (sig >> 8) & 0xf, model = (sig >> 4) & 0xf;
	if (family == 0xf) family += (sig >> 20) & 0xff;
	if (family >= 6) model |= ((sig >> 16) & 0xf) << 4;
	bputs(b, vendor);
	bputs(b, " family ");
	bputu(b, family);
	bputs(b, " model ");
	bputu(b, model);
	bputs(b, " stepping ");
	bputu(b, sig & 0xf);
	const char *p = brand;
	while (*p == ' ') p++;
	if (*p) { bputs(b, " brand "); bputs(b, p); }
	bputc(b, '\n');
}

struct driver cpu = { .name = "cpu", .match = "cpu", .kind = DRV_CPU, .probe = probe, .describe = describe };
