/* PSCI: power off and reset through the firmware interface; the device tree says whether
 * the conduit is hvc or smc (the root task passes it as the region's size). */
#include "hw.h"

u64 psci_call(u64 fn, int smc);
static int smc;

static const char *probe(struct driver *d, struct region *r) {
	(void)d;
	smc = r->size == 1;
	u64 v = psci_call(0x84000000, smc);   /* PSCI_VERSION */
	return (v >> 16) == 0 && (v & 0xffff) < 2 ? "psci older than 0.2" : NULL;
}

static void poweroff(void) { psci_call(0x84000008, smc); for (;;) ; }
static void reboot(void) { psci_call(0x84000009, smc); for (;;) ; }

static void describe(struct driver *d, struct buf *b) {
	(void)d;
	bputs(b, smc ? "conduit smc\n" : "conduit hvc\n");
}

struct driver psci = { .name = "psci", .match = "arm,psci", .kind = DRV_POWER, .probe = probe, .poweroff = poweroff, .reboot = reboot, .describe = describe };
