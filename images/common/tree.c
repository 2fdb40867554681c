/* The file tree the image serves: each file a view of one driver.
 *
 *   /cpu /mem /rtc /timer /rng /blk/data /blk/ctl /drivers /log /ctl
 *
 * Text files are made whole on every read and sliced at the offset, like Plan 9 devices. */
#include "hw.h"
#include "tree.h"

int power_request;  /* set by /ctl; p9.c acts on it once the Rwrite is on the line */

static void put_le16(struct buf *b, u32 v) { bputc(b, (char)v); bputc(b, (char)(v >> 8)); }
static void put_le32(struct buf *b, u32 v) { put_le16(b, v & 0xffff); put_le16(b, v >> 16); }
static void put_str(struct buf *b, const char *s) { put_le16(b, (u32)strlen(s)); bputs(b, s); }

static const char *kinds[] = { "uart", "rtc", "timer", "rng", "blk", "power", "cpu", "irq" };

static const char *need(int kind, struct driver **d) {
	*d = driver_of(kind);
	return *d ? NULL : "device not present";
}

static const char *gen_cpu(struct buf *b) {
	struct driver *d;
	const char *e = need(DRV_CPU, &d);
	if (!e) d->describe(d, b);
	return e;
}

static const char *gen_mem(struct buf *b) {
	bputs(b, "ram ");
	bputu(b, plat->ram_size);
	bputs(b, " bytes at ");
	bputx(b, plat->ram_base);
	bputc(b, '\n');
	return NULL;
}

static const char *gen_rtc(struct buf *b) {
	struct driver *d;
	const char *e = need(DRV_RTC, &d);
	if (!e) { bputu(b, d->seconds()); bputc(b, '\n'); }
	return e;
}

static const char *gen_timer(struct buf *b) {
	struct driver *d;
	const char *e = need(DRV_TIMER, &d);
	if (e) return e;
	bputs(b, "ticks ");
	bputu(b, d->ticks());
	bputs(b, " freq ");
	bputu(b, d->freq);
	bputc(b, '\n');
	return NULL;
}

static const char *gen_blkctl(struct buf *b) {
	struct driver *d;
	const char *e = need(DRV_BLK, &d);
	if (e) return e;
	bputs(b, "sectors ");
	bputu(b, d->size >> 9);
	bputs(b, " sectorsize 512 bytes ");
	bputu(b, d->size);
	bputc(b, '\n');
	return NULL;
}

static const char *gen_drivers(struct buf *b) {
	for (u32 i = 0; i < plat->ndrivers; i++) {
		struct driver *d = plat->drivers[i];
		bputs(b, d->name);
		bputc(b, ' ');
		bputs(b, kinds[d->kind]);
		bputc(b, ' ');
		if (d->region && (d->region->base || d->region->size)) {
			bputs(b, d->region->io ? "io " : "mmio ");
			bputx(b, d->region->base);
			bputc(b, '+');
			bputx(b, d->region->size);
		} else bputs(b, d->region ? "sysreg" : "-");
		bputc(b, ' ');
		bputs(b, d->state ? d->state : "unbound");
		if (d->describe && d->region && d->kind != DRV_CPU) { bputs(b, " "); d->describe(d, b); }
		else bputc(b, '\n');
	}
	return NULL;
}

static const char *gen_log(struct buf *b) {
	bputn(b, klogbuf.p, klogbuf.n);
	return NULL;
}

static const char *gen_ctl(struct buf *b) {
	bputs(b, plat->arch);
	bputs(b, " serving uptime_us ");
	bputu(b, now_us());
	bputs(b, "\ncommands poweroff reboot\n");
	return NULL;
}

static const char *read_rng(u8 *out, u32 n, u64 off, u32 *got) {
	struct driver *d;
	const char *e = need(DRV_RNG, &d);
	(void)off;
	if (e) return e;
	int r = d->read(out, n, 0);
	if (r < 0) return "rng: device error";
	*got = (u32)r;
	return NULL;
}

static const char *read_blk(u8 *out, u32 n, u64 off, u32 *got) {
	struct driver *d;
	const char *e = need(DRV_BLK, &d);
	if (e) return e;
	if (off >= d->size) { *got = 0; return NULL; }
	if (n > d->size - off) n = (u32)(d->size - off);
	if (d->read(out, n, off) < 0) return "blk: i/o error";
	*got = n;
	return NULL;
}

static const char *write_blk(const u8 *data, u32 n, u64 off, u32 *done) {
	struct driver *d;
	const char *e = need(DRV_BLK, &d);
	if (e) return e;
	if (off >= d->size || n > d->size - off) return "blk: write past the end of the disk";
	if (d->write(data, n, off) < 0) return "blk: i/o error";
	*done = n;
	return NULL;
}

static u64 len_blk(void) {
	struct driver *d = driver_of(DRV_BLK);
	return d ? d->size : 0;
}

static const char *write_ctl(const u8 *data, u32 n, u64 off, u32 *done) {
	(void)off;
	while (n && (data[n - 1] == '\n' || data[n - 1] == ' ')) n--;
	struct driver *d;
	const char *e = need(DRV_POWER, &d);
	if (n == 8 && memcmp(data, "poweroff", 8) == 0) power_request = 1;
	else if (n == 6 && memcmp(data, "reboot", 6) == 0) power_request = 2;
	else return "unknown ctl command (poweroff, reboot)";
	if (e) { power_request = 0; return e; }
	*done = n;
	return NULL;
}

const struct file files[] = {
	[F_ROOT]    = { "/",       F_ROOT, 1, 0555, NULL,        NULL,     NULL,      NULL },
	[F_CPU]     = { "cpu",     F_ROOT, 0, 0444, gen_cpu,     NULL,     NULL,      NULL },
	[F_MEM]     = { "mem",     F_ROOT, 0, 0444, gen_mem,     NULL,     NULL,      NULL },
	[F_RTC]     = { "rtc",     F_ROOT, 0, 0444, gen_rtc,     NULL,     NULL,      NULL },
	[F_TIMER]   = { "timer",   F_ROOT, 0, 0444, gen_timer,   NULL,     NULL,      NULL },
	[F_RNG]     = { "rng",     F_ROOT, 0, 0444, NULL,        read_rng, NULL,      NULL },
	[F_BLK]     = { "blk",     F_ROOT, 1, 0555, NULL,        NULL,     NULL,      NULL },
	[F_BLKDATA] = { "data",    F_BLK,  0, 0666, NULL,        read_blk, write_blk, len_blk },
	[F_BLKCTL]  = { "ctl",     F_BLK,  0, 0444, gen_blkctl,  NULL,     NULL,      NULL },
	[F_DRIVERS] = { "drivers", F_ROOT, 0, 0444, gen_drivers, NULL,     NULL,      NULL },
	[F_LOG]     = { "log",     F_ROOT, 0, 0444, gen_log,     NULL,     NULL,      NULL },
	[F_CTL]     = { "ctl",     F_ROOT, 0, 0666, gen_ctl,     NULL,     write_ctl, NULL },
};
const u32 nfiles = nelem(files);

int tree_walk(int dir, const char *name, u32 len) {
	if (len == 2 && name[0] == '.' && name[1] == '.') return files[dir].parent;
	for (u32 i = 1; i < nfiles; i++)
		if (files[i].parent == dir && strlen(files[i].name) == len && memcmp(files[i].name, name, len) == 0) return (int)i;
	return -1;
}

static char textmem[8192];

const char *tree_read(int f, u64 off, u32 count, u8 *out, u32 *got) {
	const struct file *fp = &files[f];
	*got = 0;
	if (fp->read) return fp->read(out, count, off, got);
	if (!fp->gen) return "file cannot be read";
	struct buf b = { textmem, 0, sizeof textmem };
	const char *e = fp->gen(&b);
	if (e) return e;
	if (off >= b.n) return NULL;
	u32 n = b.n - (u32)off;
	if (n > count) n = count;
	memcpy(out, textmem + off, n);
	*got = n;
	return NULL;
}

const char *tree_write(int f, u64 off, const u8 *data, u32 n, u32 *done) {
	*done = 0;
	if (!files[f].write) return "permission denied";
	return files[f].write(data, n, off, done);
}

/* stat(5) of a file, with its leading size[2]. */
void tree_stat(int f, struct buf *b) {
	const struct file *fp = &files[f];
	u32 start = b->n;
	const char *name = f == F_ROOT ? "/" : fp->name;
	put_le16(b, 0);                               /* size, patched below */
	put_le16(b, 0);                               /* type */
	put_le32(b, 0);                               /* dev */
	bputc(b, fp->dir ? (char)0x80 : 0);           /* qid.type */
	put_le32(b, 0);                               /* qid.version */
	put_le32(b, (u32)f); put_le32(b, 0);          /* qid.path */
	put_le32(b, (fp->dir ? 0x80000000u : 0) | fp->perm);
	put_le32(b, 0); put_le32(b, 0);               /* atime mtime */
	u64 len = fp->length ? fp->length() : 0;
	put_le32(b, (u32)len); put_le32(b, (u32)(len >> 32));
	put_str(b, name);
	put_str(b, "hw"); put_str(b, "hw"); put_str(b, "hw");
	u32 sz = b->n - start - 2;
	if (b->n <= b->cap) { b->p[start] = (char)sz; b->p[start + 1] = (char)(sz >> 8); }
}
