// The bridge's pieces that need no QEMU: QEMU's command line, tool checks, --hw values.

import { describe, expect, it } from 'vitest';
import { imagePath, missingText, qemuArgs } from './image.ts';
import { defaultStateDir, hwArch } from './service.ts';

describe('hw image and service helpers', () => {
  it('run QEMU without monitor or display, the serial on the chardev, never -nographic', () => {
    for (const arch of ['aarch64', 'x86'] as const) {
      const a = qemuArgs(arch, { kernel: imagePath(arch), chardev: 'socket,id=serial,path=/tmp/s', disk: '/tmp/d.img' });
      expect(a).not.toContain('-nographic');
      expect(a.join(' ')).toContain('-nodefaults -display none -monitor none -no-reboot');
      expect(a.join(' ')).toContain('-chardev socket,id=serial,path=/tmp/s -serial chardev:serial');
      expect(a.join(' ')).toContain('file=/tmp/d.img,if=none,format=raw');
    }
    expect(qemuArgs('aarch64', { kernel: 'k', chardev: 'c' }).join(' ')).toMatch(/^-M virt -cpu cortex-a57 /);
    expect(qemuArgs('x86', { kernel: 'k', chardev: 'c' })).toContain('isa-debug-exit,iobase=0xf4,iosize=0x04');
  });

  it('name the Debian package of each missing tool', () => {
    expect(missingText('x86', { build: true, path: '' })).toBe(
      'hw x86: missing qemu-system-i386 (boots the x86 image), gcc (compiles the x86 image (-m32)), ld (links the x86 image (-m elf_i386)), make (runs images/Makefile); '
      + 'install the Debian packages: sudo apt-get install qemu-system-x86 gcc binutils make');
  });

  it('take aarch64, x86 and their other names, and refuse the rest', () => {
    expect(['aarch64', 'arm64', 'x86', 'x86_64', 'amd64', 'i386'].map(hwArch)).toEqual(['aarch64', 'aarch64', 'x86', 'x86', 'x86', 'x86']);
    expect(() => hwArch('riscv64')).toThrow('--hw riscv64: the images are aarch64 and x86');
  });

  it("keep a node's disk under $COHESIX_STATE/SYSNAME, else the XDG state directory", () => {
    expect(defaultStateDir('n1', { COHESIX_STATE: '/s' })).toBe('/s/n1');
    expect(defaultStateDir('n1', { XDG_STATE_HOME: '/x' })).toBe('/x/cohesix/n1');
  });
});
