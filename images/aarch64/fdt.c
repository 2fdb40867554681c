/* Just enough of a flattened device tree reader for the root task: the memory node, and
 * every node (root children and cpus) whose compatible names something we drive. */
#include "hw.h"
#include "fdt.h"

static u32 be32(const u8 *p) { return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3]; }
static u64 cells(const u8 *p, u32 n) { u64 v = 0; for (u32 i = 0; i < n; i++) v = v << 32 | be32(p + 4 * i); return v; }

static const char *known[] = { "arm,pl011", "arm,pl031", "virtio,mmio", "arm,armv8-timer", "arm,psci", "arm,cortex-a15-gic", "arm,cortex-" };

/* The first entry of a compatible list that we know, or NULL. */
static const char *pick(const char *list, u32 len) {
	for (u32 at = 0; at < len; at += (u32)strlen(list + at) + 1)
		for (u32 k = 0; k < nelem(known); k++) if (strprefix(list + at, known[k])) return list + at;
	return NULL;
}

int fdt_scan(const void *blob, struct fdt_found *out) {
	const u8 *h = blob;
	if (be32(h) != 0xd00dfeed) return -1;
	const u8 *p = h + be32(h + 8), *strs = h + be32(h + 12);
	u32 depth = 0, acells = 2, scells = 2;
	int in_cpus = 0;
	/* One record per open node: a child (the GIC's v2m frame) must not wipe its parent's. */
	struct nodeprops { const char *compat; const u8 *reg; u32 reglen; const u8 *irqs; u32 irqlen; int memory; const char *method; } stack[8];
	struct nodeprops node = { 0 };
	out->n = 0;
	for (;;) {
		u32 tok = be32(p);
		p += 4;
		if (tok == 1) {                      /* begin node */
			const char *name = (const char *)p;
			p += (strlen(name) + 4) & ~3u;
			if (depth < nelem(stack)) stack[depth] = node;
			depth++;
			if (depth == 2) in_cpus = strcmp(name, "cpus") == 0;
			memset(&node, 0, sizeof node);
		} else if (tok == 3) {               /* property */
			u32 len = be32(p), nameoff = be32(p + 4);
			const u8 *val = p + 8;
			const char *pn = (const char *)strs + nameoff;
			p += 8 + ((len + 3) & ~3u);
			if (depth == 1 && strcmp(pn, "#address-cells") == 0) acells = be32(val);
			else if (depth == 1 && strcmp(pn, "#size-cells") == 0) scells = be32(val);
			else if (strcmp(pn, "compatible") == 0) node.compat = pick((const char *)val, len);
			else if (strcmp(pn, "reg") == 0 && len >= 4 * (acells + scells)) { node.reg = val; node.reglen = len; }
			else if (strcmp(pn, "interrupts") == 0 && len >= 12) { node.irqs = val; node.irqlen = len; }
			else if (strcmp(pn, "device_type") == 0 && strcmp((const char *)val, "memory") == 0) node.memory = 1;
			else if (strcmp(pn, "method") == 0) node.method = (const char *)val;
		} else if (tok == 2) {               /* end node: record what it was */
			int ours = depth == 2 || (depth == 3 && in_cpus);
			if (ours && node.memory && node.reg && !out->ram_size) {
				out->ram_base = cells(node.reg, acells);
				out->ram_size = cells(node.reg + 4 * acells, scells);
			} else if (ours && node.compat && out->n < FDT_MAX) {
				struct region *r = &out->r[out->n++];
				memset(r, 0, sizeof *r);
				int cpu = strprefix(node.compat, "arm,cortex-") && !strprefix(node.compat, "arm,cortex-a15-gic");
				const char *m = cpu ? "cpu" : node.compat;
				u32 i = 0;
				for (; m[i] && i < sizeof r->match - 1; i++) r->match[i] = m[i];
				u32 pair = 4 * (acells + scells);
				if (node.reg && depth == 2) { r->base = cells(node.reg, acells); r->size = cells(node.reg + 4 * acells, scells); }
				if (node.reg && depth == 2 && node.reglen >= 2 * pair) r->base2 = cells(node.reg + pair, acells);
				/* GIC interrupt specifiers: <type number flags>, SPI (0) from id 32, PPI (1) from 16; the
				 * timer lists secure, non-secure, virtual, hypervisor: the image uses the virtual one. */
				u32 k = strprefix(m, "arm,armv8-timer") ? 2 : 0;
				if (node.irqs && node.irqlen >= 12 * (k + 1)) r->irq = be32(node.irqs + 12 * k + 4) + (be32(node.irqs + 12 * k) ? 16 : 32);
				if (node.method && strcmp(node.method, "smc") == 0) r->size = 1; /* psci: the conduit */
			}
			depth--;
			if (depth < nelem(stack)) node = stack[depth]; else memset(&node, 0, sizeof node);
		} else if (tok == 4) continue;
		else break;                            /* 9: end, or garbage */
	}
	return 0;
}
