/* The few library routines the image needs (no libc). */
#include "hw.h"

void *memset(void *d, int c, uptr n) {
	u8 *p = d;
	while (n--) *p++ = (u8)c;
	return d;
}

void *memcpy(void *d, const void *s, uptr n) {
	u8 *p = d;
	const u8 *q = s;
	while (n--) *p++ = *q++;
	return d;
}

void *memmove(void *d, const void *s, uptr n) {
	u8 *p = d;
	const u8 *q = s;
	if (p < q) while (n--) *p++ = *q++;
	else while (n--) p[n] = q[n];
	return d;
}

int memcmp(const void *a, const void *b, uptr n) {
	const u8 *p = a, *q = b;
	for (; n; n--, p++, q++) if (*p != *q) return *p - *q;
	return 0;
}

uptr strlen(const char *s) {
	uptr n = 0;
	while (s[n]) n++;
	return n;
}

int strcmp(const char *a, const char *b) {
	while (*a && *a == *b) a++, b++;
	return (u8)*a - (u8)*b;
}

int strprefix(const char *s, const char *pre) {
	while (*pre) if (*s++ != *pre++) return 0;
	return 1;
}

void bputc(struct buf *b, char c) {
	if (b->n < b->cap) b->p[b->n++] = c;
}

void bputn(struct buf *b, const void *s, u32 n) {
	const char *q = s;
	while (n--) bputc(b, *q++);
}

void bputs(struct buf *b, const char *s) {
	while (*s) bputc(b, *s++);
}

/* Shift-and-subtract: the x86 image has no libgcc for 64-bit division. */
u64 udiv64(u64 n, u64 d, u64 *rem) {
	u64 q = 0, r = 0;
	for (int i = 63; i >= 0; i--) {
		r = (r << 1) | ((n >> i) & 1);
		if (r >= d) { r -= d; q |= (u64)1 << i; }
	}
	if (rem) *rem = r;
	return q;
}

void bputu(struct buf *b, u64 v) {
	char t[24];
	int i = 0;
	do { u64 r; v = udiv64(v, 10, &r); t[i++] = (char)('0' + r); } while (v);
	while (i) bputc(b, t[--i]);
}

void bputx(struct buf *b, u64 v) {
	char t[20];
	int i = 0;
	do { t[i++] = "0123456789abcdef"[v & 15]; v >>= 4; } while (v);
	bputs(b, "0x");
	while (i) bputc(b, t[--i]);
}

/* Days from the civil calendar (Howard Hinnant's algorithm), for clocks that count in dates. */
u64 unix_seconds(u32 y, u32 m, u32 d, u32 h, u32 mi, u32 s) {
	y -= m <= 2;
	u32 era = y / 400, yoe = y - era * 400;
	u32 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	u32 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	u64 days = (u64)era * 146097 + doe - 719468;
	return days * 86400 + h * 3600 + mi * 60 + s;
}
