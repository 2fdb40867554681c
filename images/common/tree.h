/* The file tree, as the 9P server sees it. */
#ifndef TREE_H
#define TREE_H

enum { F_ROOT, F_CPU, F_MEM, F_RTC, F_TIMER, F_RNG, F_BLK, F_BLKDATA, F_BLKCTL, F_DRIVERS, F_LOG, F_CTL };

struct file {
	const char *name;
	int parent;
	int dir;
	u32 perm;
	const char *(*gen)(struct buf *b);  /* text files: the whole content */
	const char *(*read)(u8 *out, u32 n, u64 off, u32 *got);
	const char *(*write)(const u8 *data, u32 n, u64 off, u32 *done);
	u64 (*length)(void);
};

extern const struct file files[];
extern const u32 nfiles;
extern int power_request;

int tree_walk(int dir, const char *name, u32 len);
const char *tree_read(int f, u64 off, u32 count, u8 *out, u32 *got);
const char *tree_write(int f, u64 off, const u8 *data, u32 n, u32 *done);
void tree_stat(int f, struct buf *b);

#endif
