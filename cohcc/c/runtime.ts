// The C backend's runtime, emitted at the top of every C file: the linear memory, checked
// loads and stores, the arithmetic that C leaves undefined made WebAssembly's, and the
// syscall ABI on POSIX. Everything is static inline so gcc -Wall keeps quiet about parts a
// program does not use.

export const C_PRELUDE = String.raw`#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint8_t M[MEMSIZE];
static uint32_t sp = MEMSIZE;
static int g_argc;
static char **g_argv;
static const char *g_err = "";

static inline void trap(const char *why) {
  const char *p = "trap: ";
  if (write(2, p, strlen(p)) < 0 || write(2, why, strlen(why)) < 0 || write(2, "\n", 1) < 0) _exit(250);
  _exit(250);
}
static inline uint32_t chk(uint32_t a, uint32_t n) { if (a > MEMSIZE - n) trap("out of bounds memory access"); return a; }
/* Unaligned, aliasing-safe access to M. Not memcpy: gcc 12 -O2's SLP vectorizer pairs two
   memcpy loads through the stack (a store-forwarding stall that made matmul's loop 10x slower). */
typedef int32_t __attribute__((may_alias, aligned(1))) u_i32;
typedef uint32_t __attribute__((may_alias, aligned(1))) u_ptr;
typedef int64_t __attribute__((may_alias, aligned(1))) u_i64;
typedef double __attribute__((may_alias, aligned(1))) u_f64;
static inline int32_t ld_i32(uint32_t a) { return *(const u_i32 *)(M + chk(a, 4)); }
static inline uint32_t ld_ptr(uint32_t a) { return *(const u_ptr *)(M + chk(a, 4)); }
static inline int64_t ld_i64(uint32_t a) { return *(const u_i64 *)(M + chk(a, 8)); }
static inline double ld_f64(uint32_t a) { return *(const u_f64 *)(M + chk(a, 8)); }
static inline void st_i32(uint32_t a, int32_t v) { *(u_i32 *)(M + chk(a, 4)) = v; }
static inline void st_ptr(uint32_t a, uint32_t v) { *(u_ptr *)(M + chk(a, 4)) = v; }
static inline void st_i64(uint32_t a, int64_t v) { *(u_i64 *)(M + chk(a, 8)) = v; }
static inline void st_f64(uint32_t a, double v) { *(u_f64 *)(M + chk(a, 8)) = v; }
/* The second operand of a comparison of a value with itself goes through these: gcc -Wall rejects x >= x. */
static inline int32_t same_i32(int32_t x) { return x; }
static inline int64_t same_i64(int64_t x) { return x; }
static inline double same_f64(double x) { return x; }
static inline uint32_t same_ptr(uint32_t x) { return x; }
static inline double f64_bits(uint64_t b) { double d; memcpy(&d, &b, 8); return d; }
static inline int32_t div_i32(int32_t a, int32_t b) { if (!b) trap("integer divide by zero"); if (a == INT32_MIN && b == -1) trap("integer overflow"); return a / b; }
static inline int32_t rem_i32(int32_t a, int32_t b) { if (!b) trap("integer divide by zero"); return b == -1 ? 0 : a % b; }
static inline int32_t divu_i32(int32_t a, int32_t b) { if (!b) trap("integer divide by zero"); return (int32_t)((uint32_t)a / (uint32_t)b); }
static inline int32_t remu_i32(int32_t a, int32_t b) { if (!b) trap("integer divide by zero"); return (int32_t)((uint32_t)a % (uint32_t)b); }
static inline int64_t div_i64(int64_t a, int64_t b) { if (!b) trap("integer divide by zero"); if (a == INT64_MIN && b == -1) trap("integer overflow"); return a / b; }
static inline int64_t rem_i64(int64_t a, int64_t b) { if (!b) trap("integer divide by zero"); return b == -1 ? 0 : a % b; }
static inline int64_t divu_i64(int64_t a, int64_t b) { if (!b) trap("integer divide by zero"); return (int64_t)((uint64_t)a / (uint64_t)b); }
static inline int64_t remu_i64(int64_t a, int64_t b) { if (!b) trap("integer divide by zero"); return (int64_t)((uint64_t)a % (uint64_t)b); }
static inline int32_t ftoi_i32(double x) { if (x != x) return 0; if (x >= 2147483647.0) return INT32_MAX; if (x <= -2147483648.0) return INT32_MIN; return (int32_t)x; }
static inline int64_t ftoi_i64(double x) { if (x != x) return 0; if (x >= 9223372036854775808.0) return INT64_MAX; if (x <= -9223372036854775808.0) return INT64_MIN; return (int64_t)x; }
static inline uint32_t frame_enter(uint32_t size) {
  if (sp < size || sp - size < DATA_END) trap("stack overflow");
  sp -= size;
  memset(M + sp, 0, size);
  return sp;
}
static inline const char *cstr(uint32_t p) {
  uint32_t e = p;
  while (e < MEMSIZE && M[e]) e++;
  if (e >= MEMSIZE) trap("out of bounds memory access");
  return (const char *)M + p;
}
static inline uint8_t *buf(uint32_t p, int32_t n) { if (n < 0 || p > MEMSIZE || (uint32_t)n > MEMSIZE - p) trap("out of bounds memory access"); return M + p; }
static inline int32_t fail(void) { g_err = strerror(errno); return -1; }
static inline int oflags(int32_t mode) { int f = (mode & 3) == 0 ? O_RDONLY : (mode & 3) == 1 ? O_WRONLY : O_RDWR; return (mode & 16) ? f | O_TRUNC : f; }
static inline int32_t sys_open(uint32_t p, int32_t mode) { int r = open(cstr(p), oflags(mode)); return r < 0 ? fail() : r; }
static inline int32_t sys_create(uint32_t p, int32_t mode, int32_t perm) { int r = open(cstr(p), oflags(mode) | O_CREAT | O_TRUNC, perm & 0777); return r < 0 ? fail() : r; }
#ifdef COHCC_BENCH
/* The benchmark's null console, as its WebAssembly host has: standard input is empty and
   output to fds 1 and 2 is counted, not written (no system call on either side). A program
   that exits cannot be repeated: the harness fails, as the WebAssembly side does. */
static long long g_written;
#define NULL_READ(fd, p, n) if ((fd) == 0) { (void)buf(p, n); return 0; }
#define NULL_WRITE(fd, p, n) if ((fd) == 1 || (fd) == 2) { (void)buf(p, n); g_written += n; return n; }
#define EXIT_FAILS_BENCH trap("exits in a benchmark repetition");
#else
#define NULL_READ(fd, p, n)
#define NULL_WRITE(fd, p, n)
#define EXIT_FAILS_BENCH
#endif
static inline int32_t sys_read(int32_t fd, uint32_t p, int32_t n) { NULL_READ(fd, p, n) ssize_t r = read(fd, buf(p, n), (size_t)n); return r < 0 ? fail() : (int32_t)r; }
static inline int32_t sys_write(int32_t fd, uint32_t p, int32_t n) { NULL_WRITE(fd, p, n) ssize_t r = write(fd, buf(p, n), (size_t)n); return r < 0 ? fail() : (int32_t)r; }
static inline int32_t sys_pread(int32_t fd, uint32_t p, int32_t n, int64_t off) { ssize_t r = pread(fd, buf(p, n), (size_t)n, (off_t)off); return r < 0 ? fail() : (int32_t)r; }
static inline int32_t sys_pwrite(int32_t fd, uint32_t p, int32_t n, int64_t off) { ssize_t r = pwrite(fd, buf(p, n), (size_t)n, (off_t)off); return r < 0 ? fail() : (int32_t)r; }
static inline int64_t sys_seek(int32_t fd, int64_t off, int32_t whence) { off_t r = lseek(fd, (off_t)off, whence == 1 ? SEEK_CUR : whence == 2 ? SEEK_END : SEEK_SET); return r < 0 ? fail() : (int64_t)r; }
static inline int32_t sys_close(int32_t fd) { return close(fd) < 0 ? fail() : 0; }
static inline int32_t sys_remove(uint32_t p) { return unlink(cstr(p)) < 0 ? fail() : 0; }
static inline void sys_exits(int32_t code) { EXIT_FAILS_BENCH exit(code); }
static inline int32_t sys_argc(void) { return g_argc; }
static inline int32_t copyout(const char *s, uint32_t p, int32_t n) { int32_t len = (int32_t)strlen(s); int32_t k = len < n ? len : n; if (k > 0) memcpy(buf(p, k), s, (size_t)k); return len; }
static inline int32_t sys_argv(int32_t i, uint32_t p, int32_t n) { return i < 0 || i >= g_argc ? -1 : copyout(g_argv[i], p, n); }
static inline int32_t sys_errstr(uint32_t p, int32_t n) { return copyout(g_err, p, n); }
`;
