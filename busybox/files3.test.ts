// ls -q and mkdir's messages as Plan 9 prints them.

import { afterEach, describe, expect, it } from 'vitest';
import { TestKernels } from '../kernel/testkit.ts';
import { Busybox } from './testing.ts';

const kernels = new TestKernels();
afterEach(() => kernels.shutdown());

describe('ls -q', () => {
  it('prints (path version type) before the name, path in 16 hex digits', async () => {
    const bb = await Busybox.boot(kernels);
    await bb.sys.mkdir('/tmp/sub');
    await bb.write('/tmp/f', 'hello');
    const f = await bb.sys.stat('/tmp/f');
    const d = await bb.sys.stat('/tmp/sub');
    const hex = (n: number): string => n.toString(16).padStart(16, '0');
    const r = await bb.run(['ls', '-q']);
    expect(r).toEqual({
      out: `(${hex(f.qid.path)} ${f.qid.version} 00) f\n(${hex(d.qid.path)} ${d.qid.version} 80) sub\n`,
      err: '', status: '',
    });
  });

  it('comes after -s and before -l, as in Plan 9', async () => {
    const bb = await Busybox.boot(kernels);
    await bb.write('/tmp/f', 'x');
    const r = await bb.run(['ls', '-sql', 'f']);
    expect(r.out).toMatch(/^1 \([0-9a-f]{16} \d+ 00\) --rw-rw-r-- \S 0 .* f\n$/);
  });

  it('pads versions to the widest', async () => {
    const bb = await Busybox.boot(kernels);
    await bb.write('/tmp/a', 'x');
    await bb.write('/tmp/b', 'x');
    for (let i = 0; i < 10; i++) await bb.write('/tmp/b', 'y');
    const [a, b] = [await bb.sys.stat('/tmp/a'), await bb.sys.stat('/tmp/b')];
    const w = Math.max(String(a.qid.version).length, String(b.qid.version).length);
    expect(w).toBeGreaterThan(1);
    const out = (await bb.run(['ls', '-q'])).out.split('\n');
    expect(out[0]).toContain(` ${String(a.qid.version).padStart(w)} 00) a`);
  });
});

describe('mkdir messages', () => {
  it('an existing name: `mkdir: NAME already exists`, and it goes on', async () => {
    const bb = await Busybox.boot(kernels);
    await bb.sys.mkdir('/tmp/x');
    expect(await bb.run(['mkdir', '/tmp/x', 'y'])).toEqual({ out: '', err: 'mkdir: /tmp/x already exists\n', status: 'file exists' });
    expect(await bb.exists('/tmp/y')).toBe(true);
  });

  it("other failures: `mkdir: can't create NAME: ERROR`", async () => {
    const bb = await Busybox.boot(kernels);
    await bb.write('/tmp/f', '');
    expect(await bb.run(['mkdir', 'no/sub'])).toEqual({ out: '', err: "mkdir: can't create no/sub: file does not exist\n", status: 'file does not exist' });
    expect(await bb.run(['mkdir', '-p', 'f/g'])).toEqual({ out: '', err: "mkdir: can't create f/g: not a directory\n", status: 'not a directory' });
  });
});
