/* A 9P2000 server on the UART: version, attach, flush, walk, open, read, write, clunk,
 * stat; create, remove, wstat and auth are refused. One request at a time.
 *
 * Framing on a byte line that may carry garbage: a frame shorter than its header or
 * beyond belief gets Rerror(NOTAG) and the line is drained until it falls quiet; a frame
 * larger than msize is skipped (its size is believable) and answered Rerror; a frame cut
 * short by silence is answered Rerror. Every malformed body gets Rerror. Nothing hangs. */
#include "hw.h"
#include "tree.h"

#define MSIZE (8192 + 24)
#define IOHDRSZ 24
#define NOTAG 0xffff
#define NOFID 0xffffffffu
#define HARD_LIMIT (1u << 24)
#define GAP_US 250000     /* silence that ends a frame cut short */
#define QUIET_US 30000    /* silence that ends a drain of garbage */
#define NFID 64

enum {
	Tversion = 100, Tauth = 102, Tattach = 104, Rerror = 107, Tflush = 108, Twalk = 110,
	Topen = 112, Tcreate = 114, Tread = 116, Twrite = 118, Tclunk = 120, Tremove = 122,
	Tstat = 124, Twstat = 126,
};

struct fid { u32 num; int file; int open; u8 mode; int used; };

static u8 rx[MSIZE], tx[MSIZE];
static struct fid fids[NFID];
static u32 msize = MSIZE;

/* A bounds-checked reader over one frame: any overrun marks it bad. */
struct rd { const u8 *p; u32 n, off; int bad; };

static u32 get(struct rd *r, u32 k) {
	if (r->bad || r->n - r->off < k) { r->bad = 1; return 0; }
	u32 v = 0;
	for (u32 i = 0; i < k; i++) v |= (u32)r->p[r->off + i] << (8 * i);
	r->off += k;
	return v;
}
static u64 get64(struct rd *r) { u64 lo = get(r, 4); return lo | (u64)get(r, 4) << 32; }
static const char *getstr(struct rd *r, u32 *len) {
	*len = get(r, 2);
	if (r->bad || r->n - r->off < *len) { r->bad = 1; return ""; }
	const char *s = (const char *)r->p + r->off;
	r->off += *len;
	return s;
}

static void put(struct buf *b, u32 v, u32 k) { for (u32 i = 0; i < k; i++) bputc(b, (char)(v >> (8 * i))); }
static void putqid(struct buf *b, int f) { bputc(b, files[f].dir ? (char)0x80 : 0); put(b, 0, 4); put(b, (u32)f, 4); put(b, 0, 4); }

static void send(struct buf *b, u32 type, u32 tag) {
	u32 n = b->n;
	tx[0] = (u8)n; tx[1] = (u8)(n >> 8); tx[2] = (u8)(n >> 16); tx[3] = (u8)(n >> 24);
	tx[4] = (u8)type; tx[5] = (u8)tag; tx[6] = (u8)(tag >> 8);
	for (u32 i = 0; i < n; i++) uart_putc(tx[i]);
}

static void rerror(u32 tag, const char *msg) {
	struct buf b = { (char *)tx, 7, sizeof tx };
	u32 len = (u32)strlen(msg);
	put(&b, len, 2);
	bputn(&b, msg, len);
	send(&b, Rerror, tag);
}

static struct fid *lookup(u32 num) {
	for (int i = 0; i < NFID; i++) if (fids[i].used && fids[i].num == num) return &fids[i];
	return NULL;
}

static struct fid *newfid(u32 num) {
	if (num == NOFID || lookup(num)) return NULL;
	for (int i = 0; i < NFID; i++) if (!fids[i].used) { fids[i] = (struct fid){ num, F_ROOT, 0, 0, 1 }; return &fids[i]; }
	return NULL;
}

/* Serve one whole frame of n bytes in rx. */
static void handle(u32 n) {
	struct rd r = { rx, n, 7, 0 };
	u32 type = rx[4], tag = rx[5] | (u32)rx[6] << 8;
	struct buf b = { (char *)tx, 7, msize };
	struct fid *f;
	u32 len;
	const char *e;

	switch (type) {
	case Tversion: {
		u32 m = get(&r, 4);
		const char *v = getstr(&r, &len);
		if (r.bad) break;
		if (m < 256) { rerror(tag, "msize too small"); return; }
		for (int i = 0; i < NFID; i++) fids[i].used = 0;
		msize = m < MSIZE ? m : MSIZE;
		put(&b, msize, 4);
		const char *ans = len >= 6 && memcmp(v, "9P2000", 6) == 0 ? "9P2000" : "unknown";
		put(&b, (u32)strlen(ans), 2);
		bputs(&b, ans);
		b.cap = sizeof tx;
		send(&b, Tversion + 1, tag);
		return;
	}
	case Tauth: rerror(tag, "no authentication required"); return;
	case Tflush: get(&r, 2); if (r.bad) break; send(&b, Tflush + 1, tag); return;
	case Tattach: {
		u32 num = get(&r, 4);
		get(&r, 4);
		getstr(&r, &len); getstr(&r, &len);
		if (r.bad) break;
		if (!(f = newfid(num))) { rerror(tag, "fid in use or table full"); return; }
		putqid(&b, F_ROOT);
		send(&b, Tattach + 1, tag);
		return;
	}
	case Twalk: {
		u32 num = get(&r, 4), newnum = get(&r, 4), nw = get(&r, 2);
		if (r.bad) break;
		if (nw > 16) { rerror(tag, "too many names in walk"); return; }
		if (!(f = lookup(num))) { rerror(tag, "unknown fid"); return; }
		if (f->open) { rerror(tag, "fid is open"); return; }
		if (newnum != num && lookup(newnum)) { rerror(tag, "fid in use"); return; }
		int cur = f->file;
		u32 i;
		put(&b, 0, 2);
		for (i = 0; i < nw; i++) {
			const char *name = getstr(&r, &len);
			if (r.bad) break;
			int next = files[cur].dir ? tree_walk(cur, name, len) : -1;
			if (next < 0) break;
			cur = next;
			putqid(&b, cur);
		}
		if (r.bad) break;
		if (i < nw && i == 0) { rerror(tag, "file does not exist"); return; }
		if (i == nw) {
			struct fid *nf = newnum == num ? f : newfid(newnum);
			if (!nf) { rerror(tag, "fid table full"); return; }
			nf->file = cur;
		}
		b.p[7] = (char)i;
		send(&b, Twalk + 1, tag);
		return;
	}
	case Topen: {
		u32 num = get(&r, 4), mode = get(&r, 1);
		if (r.bad) break;
		if (!(f = lookup(num))) { rerror(tag, "unknown fid"); return; }
		if (f->open) { rerror(tag, "fid already open"); return; }
		const struct file *fp = &files[f->file];
		u32 acc = mode & 3;
		if (mode & ~0x13u) { rerror(tag, "bad open mode"); return; }
		if ((acc == 1 || acc == 2 || (mode & 0x10)) && !(fp->perm & 0200)) { rerror(tag, "permission denied"); return; }
		if (acc == 3 || ((acc == 0 || acc == 2) && !(fp->perm & 0400))) { rerror(tag, "permission denied"); return; }
		f->open = 1;
		f->mode = (u8)acc;
		putqid(&b, f->file);
		put(&b, msize - IOHDRSZ, 4);
		send(&b, Topen + 1, tag);
		return;
	}
	case Tread: {
		u32 num = get(&r, 4);
		u64 off = get64(&r);
		u32 count = get(&r, 4);
		if (r.bad) break;
		if (!(f = lookup(num))) { rerror(tag, "unknown fid"); return; }
		if (!f->open || f->mode == 1) { rerror(tag, "fid not open for reading"); return; }
		if (count > msize - IOHDRSZ) count = msize - IOHDRSZ;
		u32 got = 0;
		if (files[f->file].dir) {
			/* Directory: whole stat entries from the one at off on. */
			struct buf d = { (char *)tx + 11, 0, count };
			u32 at = 0;
			for (u32 i = 1; i < nfiles; i++) {
				if (files[i].parent != f->file) continue;
				char t[128];
				struct buf s = { t, 0, sizeof t };
				tree_stat((int)i, &s);
				if (at >= off) { if (d.n + s.n > count) break; bputn(&d, t, s.n); }
				at += s.n;
			}
			got = d.n;
		} else if ((e = tree_read(f->file, off, count, tx + 11, &got))) { rerror(tag, e); return; }
		put(&b, got, 4);
		b.n += got;
		send(&b, Tread + 1, tag);
		return;
	}
	case Twrite: {
		u32 num = get(&r, 4);
		u64 off = get64(&r);
		u32 count = get(&r, 4);
		if (r.bad || n - r.off != count) { r.bad = 1; break; }
		if (!(f = lookup(num))) { rerror(tag, "unknown fid"); return; }
		if (!f->open || f->mode == 0) { rerror(tag, "fid not open for writing"); return; }
		u32 done = 0;
		if ((e = tree_write(f->file, off, rx + r.off, count, &done))) { rerror(tag, e); return; }
		put(&b, done, 4);
		send(&b, Twrite + 1, tag);
		return;
	}
	case Tclunk: case Tremove: {
		u32 num = get(&r, 4);
		if (r.bad) break;
		if (!(f = lookup(num))) { rerror(tag, "unknown fid"); return; }
		f->used = 0;
		if (type == Tremove) { rerror(tag, "permission denied"); return; }
		send(&b, Tclunk + 1, tag);
		return;
	}
	case Tstat: {
		u32 num = get(&r, 4);
		if (r.bad) break;
		if (!(f = lookup(num))) { rerror(tag, "unknown fid"); return; }
		struct buf s = { (char *)tx + 9, 0, msize - 9 };
		tree_stat(f->file, &s);
		put(&b, s.n, 2);
		b.n += s.n;
		send(&b, Tstat + 1, tag);
		return;
	}
	case Tcreate: case Twstat: rerror(tag, "permission denied"); return;
	default: rerror(tag, "unknown message type"); return;
	}
	rerror(tag, "malformed message");
}

/* Throw bytes away until the line has been quiet for QUIET_US. */
static void drain(void) {
	while (uart_getc_wait(QUIET_US) >= 0) ;
}

void p9_serve(void) {
	for (;;) {
		rx[0] = (u8)uart_getc_wait(0);
		u32 i;
		for (i = 1; i < 7; i++) {
			int c = uart_getc_wait(GAP_US);
			if (c < 0) break;
			rx[i] = (u8)c;
			if (i == 3) {
				u32 size = rx[0] | (u32)rx[1] << 8 | (u32)rx[2] << 16 | (u32)rx[3] << 24;
				if (size < 7 || size > HARD_LIMIT) { rerror(NOTAG, "bad frame size"); drain(); break; }
			}
		}
		if (i < 7) continue;
		u32 size = rx[0] | (u32)rx[1] << 8 | (u32)rx[2] << 16 | (u32)rx[3] << 24;
		u32 tag = rx[5] | (u32)rx[6] << 8;
		if (size > msize) {
			for (i = 7; i < size; i++) if (uart_getc_wait(GAP_US) < 0) break;
			rerror(tag, "message larger than msize");
			continue;
		}
		for (i = 7; i < size; i++) {
			int c = uart_getc_wait(GAP_US);
			if (c < 0) break;
			rx[i] = (u8)c;
		}
		if (i < size) { rerror(tag, "message cut short"); continue; }
		handle(size);
		if (power_request) {
			struct driver *p = driver_of(DRV_POWER);
			if (power_request == 1) p->poweroff(); else p->reboot();
			power_request = 0;
		}
	}
}
