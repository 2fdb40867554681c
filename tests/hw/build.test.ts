// The images build reproducibly (two clean builds, in different folders, give the same
// bytes), and a missing QEMU or cross compiler is named by its Debian package: by the
// library and by `cohesix boot --hw`.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCHES, IMAGES_DIR, missingText } from '../../srv/hw/image.ts';

const CLI = new URL('../../bin/cohesix', import.meta.url).pathname;
const BUILT = existsSync(new URL('../../dist/bin/main.js', import.meta.url));

for (const arch of ARCHES) {
  const why = missingText(arch, { build: true });
  describe.skipIf(why !== undefined)(`make image ARCH=${arch}${why ? ` (skipped: ${why})` : ''}`, () => {
    it('gives the same bytes when built twice from clean, in different folders', () => {
      const dirs = [mkdtempSync(join(tmpdir(), 'cohesix-img-a-')), mkdtempSync(join(tmpdir(), 'cohesix-img-b-'))];
      try {
        for (const d of dirs) {
          const r = spawnSync('make', ['-s', '-C', IMAGES_DIR, `ARCH=${arch}`, `B=${d}`], { encoding: 'utf8' });
          expect(r.stderr).toBe('');
          expect(r.status).toBe(0);
        }
        for (const elf of ['cohesix-hw.elf', 'hello.elf']) {
          const [a, b] = dirs.map((d) => readFileSync(join(d, elf)));
          expect(a!.length).toBeGreaterThan(1000);
          expect(a!.equals(b!)).toBe(true);
        }
        // An ELF of the right class for QEMU's loader: 64-bit aarch64, 32-bit i386 multiboot.
        const elf = readFileSync(join(dirs[0]!, 'cohesix-hw.elf'));
        expect(elf.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
        expect(elf[4]).toBe(arch === 'aarch64' ? 2 : 1);
        expect(elf.readUInt16LE(18)).toBe(arch === 'aarch64' ? 183 : 3);
        if (arch === 'x86') expect(elf.subarray(0, 8192).includes(Buffer.from([0x02, 0xb0, 0xad, 0x1b]))).toBe(true);
        // No build folder leaks into the image.
        expect(elf.includes(Buffer.from(dirs[0]!))).toBe(false);
        expect(elf.includes(Buffer.from(IMAGES_DIR))).toBe(false);
      } finally { for (const d of dirs) rmSync(d, { recursive: true, force: true }); }
    }, 60000);
  });
}

describe('missing tools', () => {
  it('are named with the Debian package that provides them', () => {
    expect(missingText('aarch64', { build: true, path: '/nonexistent' })).toMatch(/qemu-system-aarch64 .*apt-get install qemu-system-arm gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu make/);
    expect(missingText('x86', { build: false, path: '/nonexistent' })).toMatch(/apt-get install qemu-system-x86$/);
    const here = dirname(spawnSync('sh', ['-c', 'command -v qemu-system-aarch64'], { encoding: 'utf8' }).stdout.trim() || '/nonexistent/x');
    if (here !== '/nonexistent') expect(missingText('aarch64', { build: false, path: here })).toBeUndefined();
  });

  it.skipIf(!BUILT)('cohesix boot --hw says which package to install (needs make build)', () => {
    // A PATH with node and nothing else: no QEMU.
    const bin = mkdtempSync(join(tmpdir(), 'cohesix-path-'));
    try {
      symlinkSync(process.execPath, join(bin, 'node'));
      const r = spawnSync(process.execPath, [CLI, 'boot', '--hw', 'aarch64'], { encoding: 'utf8', input: '', env: { ...process.env, PATH: bin, COHROLE: '', COHESIX_CONFIG: '' } });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('sudo apt-get install qemu-system-arm');
    } finally { rmSync(bin, { recursive: true, force: true }); }
    const bad = spawnSync(process.execPath, [CLI, 'rc', '--hw', 'riscv', '-c', 'true'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--hw riscv: the images are aarch64 and x86');
  });
});
