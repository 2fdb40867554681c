/* The boot log: lines kept for /log, and written on the UART as they come until 9P takes
 * the line over (the bridge copies them to the host's kernel log). */
#include "hw.h"

static char logmem[4096];
struct buf klogbuf = { logmem, 0, sizeof logmem };
static u32 echoed;   /* bytes of the log already written to the UART */
static int serving;

void klog_flush(void) {
	if (serving || !driver_of(DRV_UART)) return;
	while (echoed < klogbuf.n) uart_putc(klogbuf.p[echoed++]);
}

void klogv(const char *a, const char *b, const char *c) {
	bputs(&klogbuf, a);
	if (b) bputs(&klogbuf, b);
	if (c) bputs(&klogbuf, c);
	bputc(&klogbuf, '\n');
	klog_flush();
}

void klog(const char *s) { klogv(s, NULL, NULL); }

/* From here on the UART carries only 9P. */
void klog_stop_echo(void) { klog_flush(); serving = 1; }
