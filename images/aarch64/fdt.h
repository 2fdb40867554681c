#ifndef FDT_H
#define FDT_H
#define FDT_MAX 48
struct fdt_found {
	struct region r[FDT_MAX];
	u32 n;
	u64 ram_base, ram_size;
};
int fdt_scan(const void *blob, struct fdt_found *out);
#endif
