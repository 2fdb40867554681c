/* The root task: it alone sees every device region the platform found. Like seL4's root
 * task handing out device-frame capabilities, it gives each driver the one region that
 * matches it, never a region already given away, and records what each driver made of it.
 * The interrupt controller is bound first (drivers ask it for their lines), then the UART
 * so the rest of boot can be seen on the line. */
#include "hw.h"

struct platform *plat;

struct driver *driver_of(int kind) {
	if (!plat) return NULL;
	for (u32 i = 0; i < plat->ndrivers; i++) {
		struct driver *d = plat->drivers[i];
		if (d->kind == kind && d->state && strcmp(d->state, "ok") == 0) return d;
	}
	return NULL;
}

static void bind(struct driver *d, u32 index) {
	const char *err = "no device";
	for (u32 i = 0; i < plat->nregions; i++) {
		struct region *r = &plat->regions[i];
		if (r->owner || !strprefix(r->match, d->match)) continue;
		d->region = r;
		r->owner = index + 1;
		err = d->probe(d, r);
		if (!err) break;
		/* Not this one (a virtio slot holding another device): give it back. */
		d->region = NULL;
		r->owner = 0;
	}
	d->state = err ? err : "ok";
	if (!d->region) klogv("driver ", d->name, err ? ": absent" : "");
	else {
		char t[64];
		struct buf b = { t, 0, sizeof t - 1 };
		bputs(&b, ": ");
		bputx(&b, d->region->base);
		bputs(&b, " ok");
		t[b.n] = 0;
		klogv("driver ", d->name, t);
	}
}

void root_task(struct platform *p) {
	plat = p;
	for (u32 i = 0; i < p->ndrivers; i++) if (p->drivers[i]->kind == DRV_IRQ) bind(p->drivers[i], i);
	for (u32 i = 0; i < p->ndrivers; i++) if (p->drivers[i]->kind == DRV_UART) bind(p->drivers[i], i);
	klogv("cohesix-hw ", p->arch, ": root task up");
	for (u32 i = 0; i < p->ndrivers; i++) if (p->drivers[i]->kind != DRV_UART && p->drivers[i]->kind != DRV_IRQ) bind(p->drivers[i], i);
}
