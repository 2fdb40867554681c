// The hardware images: where they are built, what builds and boots them, and which Debian
// package provides each tool, so a missing one is named rather than guessed at.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { repoRoot } from '../../kernel/role.ts';

export const ARCHES = ['aarch64', 'x86'] as const;
export type Arch = (typeof ARCHES)[number];

/** The images' source folder (images/ of the repository). */
export const IMAGES_DIR = join(repoRoot(import.meta.url), 'images');

export function isArch(s: string): s is Arch {
  return (ARCHES as readonly string[]).includes(s);
}

/** The ELF the bridge boots: 'hw' is the driver image, 'hello' the bare UART peer of the benchmark. */
export function imagePath(arch: Arch, which: 'hw' | 'hello' = 'hw'): string {
  return join(IMAGES_DIR, 'build', arch, which === 'hw' ? 'cohesix-hw.elf' : 'hello.elf');
}

interface Tool { bin: string; pkg: string; why: string }

const BOOT: Record<Arch, Tool> = {
  aarch64: { bin: 'qemu-system-aarch64', pkg: 'qemu-system-arm', why: 'boots the aarch64 image' },
  x86: { bin: 'qemu-system-i386', pkg: 'qemu-system-x86', why: 'boots the x86 image' },
};

const BUILD: Record<Arch, Tool[]> = {
  aarch64: [
    { bin: 'aarch64-linux-gnu-gcc', pkg: 'gcc-aarch64-linux-gnu', why: 'compiles the aarch64 image' },
    { bin: 'aarch64-linux-gnu-ld', pkg: 'binutils-aarch64-linux-gnu', why: 'links the aarch64 image' },
    { bin: 'make', pkg: 'make', why: 'runs images/Makefile' },
  ],
  x86: [
    { bin: 'gcc', pkg: 'gcc', why: 'compiles the x86 image (-m32)' },
    { bin: 'ld', pkg: 'binutils', why: 'links the x86 image (-m elf_i386)' },
    { bin: 'make', pkg: 'make', why: 'runs images/Makefile' },
  ],
};

export function qemuBinary(arch: Arch): string { return BOOT[arch].bin; }

/** Whether bin is an executable name on PATH. */
export function onPath(bin: string, path = process.env.PATH ?? ''): boolean {
  return path.split(delimiter).some((d) => d !== '' && existsSync(join(d, bin)));
}

/** The tools an arch needs that are not on PATH (the build tools only when the image must be built). */
export function missingTools(arch: Arch, opts: { build?: boolean; path?: string } = {}): Tool[] {
  const need = [BOOT[arch], ...(opts.build ?? !existsSync(imagePath(arch)) ? BUILD[arch] : [])];
  return need.filter((t) => !onPath(t.bin, opts.path));
}

/** One message naming what to install, or undefined when everything is there. */
export function missingText(arch: Arch, opts: { build?: boolean; path?: string } = {}): string | undefined {
  const m = missingTools(arch, opts);
  if (!m.length) return undefined;
  const pkgs = [...new Set(m.map((t) => t.pkg))];
  return `hw ${arch}: missing ${m.map((t) => `${t.bin} (${t.why})`).join(', ')}; install the Debian package${pkgs.length > 1 ? 's' : ''}: sudo apt-get install ${pkgs.join(' ')}`;
}

/**
 * Build the image (make is a no-op when it is up to date). Throws with make's own words, or
 * with the packages to install when a tool is missing.
 */
export function buildImage(arch: Arch): string {
  const built = existsSync(imagePath(arch)) && existsSync(imagePath(arch, 'hello'));
  const missing = missingText(arch, { build: !built });
  if (missing) throw new Error(missing);
  if (onPath('make')) {
    const r = spawnSync('make', ['-s', '-C', IMAGES_DIR, `ARCH=${arch}`], { encoding: 'utf8' });
    if (r.status !== 0) {
      if (built) return imagePath(arch); // a checkout without the build tools keeps its built image
      throw new Error(`hw ${arch}: make image failed: ${(r.stderr || r.stdout || String(r.error)).trim().split('\n').slice(-5).join('; ')}`);
    }
  }
  return imagePath(arch);
}

/** QEMU's arguments for an image: no monitor, no display, the serial on chardev `serial`. */
export function qemuArgs(arch: Arch, o: { kernel: string; chardev: string; disk?: string; memMiB?: number }): string[] {
  const common = ['-nodefaults', '-display', 'none', '-monitor', 'none', '-no-reboot', '-m', `${o.memMiB ?? 64}M`,
    '-chardev', o.chardev, '-serial', 'chardev:serial', '-kernel', o.kernel];
  const disk = (dev: string): string[] => (o.disk ? ['-drive', `file=${o.disk},if=none,format=raw,id=disk`, '-device', `${dev},drive=disk`] : []);
  if (arch === 'aarch64') return ['-M', 'virt', '-cpu', 'cortex-a57', ...common, '-device', 'virtio-rng-device', ...disk('virtio-blk-device')];
  return ['-M', 'pc', ...common, '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
    '-device', 'virtio-rng-pci,disable-modern=on', ...disk('virtio-blk-pci,disable-modern=on')];
}
