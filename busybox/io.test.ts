import { afterEach, describe, expect, it } from 'vitest';
import { TestKernels } from '../kernel/testkit.ts';
import { UsageError } from './flags.ts';
import { bytestr, command, LineReader, Out, readAll, textOf } from './io.ts';
import type { Line } from './io.ts';
import { Busybox } from './testing.ts';

const kernels = new TestKernels();
afterEach(() => kernels.shutdown());

describe('byte strings', () => {
  it('arguments become their UTF-8 bytes and come back', () => {
    expect(bytestr('é')).toBe('\xc3\xa9');
    expect(textOf(bytestr('héllo ☃'))).toBe('héllo ☃');
  });
});

describe('LineReader and readAll over a pipe', () => {
  it('lines split across writes, an unterminated last line, empty lines', async () => {
    const bb = await Busybox.boot(kernels);
    const { sys } = bb;
    const [r, w] = await sys.pipe();
    const writer = (async () => {
      for (const piece of ['al', 'pha\nbe', 'ta\n\n', 'gam', 'ma']) await sys.write(w, piece);
      await sys.close(w);
    })();
    const lr = new LineReader(sys, r);
    const got: Line[] = [];
    for (let l = await lr.next(); l; l = await lr.next()) got.push(l);
    await writer;
    expect(got).toEqual([{ text: 'alpha', nl: true }, { text: 'beta', nl: true }, { text: '', nl: true }, { text: 'gamma', nl: false }]);
  });

  it('bytes that are not UTF-8 pass through unchanged', async () => {
    const bb = await Busybox.boot(kernels);
    const [r, w] = await bb.sys.pipe();
    await bb.sys.write(w, new Uint8Array([0xff, 0x00, 0x80, 0x0a]));
    await bb.sys.close(w);
    expect(await readAll(bb.sys, r)).toBe('\xff\x00\x80\n');
  });
});

describe('command()', () => {
  const extra = {
    usagecmd: command('usagecmd', '[-x] file', async () => { throw new UsageError(); }),
    boom: command('boom', '', async (c) => { await c.out.text('partial\n'); throw new Error('something broke'); }),
    many: command('many', '', async (c) => { for (let i = 0; i < 20000; i++) await c.out.text(`line ${i}\n`); }),
    failing: command('failing', '', async (c) => { await c.fail('some/path', new Error('file does not exist')); await c.out.text('went on\n'); }),
    exiter: command('exiter', '', async (c) => { await c.out.text('before\n'); c.sys.exits('chose to'); }),
  };

  it('a usage error prints the usage line on fd 2 and exits usage', async () => {
    const bb = await Busybox.boot(kernels, extra);
    expect(await bb.run(['usagecmd'])).toEqual({ out: '', err: 'usage: usagecmd [-x] file\n', status: 'usage' });
  });

  it('any other error: output so far, then NAME: error, and the error is the status', async () => {
    const bb = await Busybox.boot(kernels, extra);
    expect(await bb.run(['boom'])).toEqual({ out: 'partial\n', err: 'boom: something broke\n', status: 'something broke' });
  });

  it('fail() reports and carries on; the status is the error', async () => {
    const bb = await Busybox.boot(kernels, extra);
    expect(await bb.run(['failing'])).toEqual({ out: 'went on\n', err: 'failing: some/path: file does not exist\n', status: 'file does not exist' });
  });

  it('exits() still flushes what was written', async () => {
    const bb = await Busybox.boot(kernels, extra);
    expect(await bb.run(['exiter'])).toEqual({ out: 'before\n', err: '', status: 'chose to' });
  });

  it('output is gathered into large writes', async () => {
    const bb = await Busybox.boot(kernels, extra);
    const { sys } = bb;
    const [r, w] = await sys.pipe();
    const pid = await sys.spawn('many', ['many'], { fds: [r, w, w] });
    await sys.close(w);
    const sizes: number[] = [];
    for (;;) { const d = await sys.read(r, 1 << 20); if (!d.length) break; sizes.push(d.length); }
    expect(await sys.waitpid(pid)).toBe('');
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(Array.from({ length: 20000 }, (_, i) => `line ${i}\n`).join('').length);
    expect(sizes.length).toBeLessThan(10);
    expect(sizes[0]).toBeGreaterThanOrEqual(Out.CHUNK);
  });

  it('a reader that goes away ends the writer quietly', async () => {
    const bb = await Busybox.boot(kernels, extra);
    const { sys } = bb;
    const [r, w] = await sys.pipe();
    const [er, ew] = await sys.pipe();
    await sys.close(r);
    const pid = await sys.spawn('many', ['many'], { fds: [w, w, ew] });
    await sys.close(w);
    await sys.close(ew);
    expect(await sys.waitpid(pid)).toBe('write on closed pipe');
    expect((await sys.read(er, 100)).length).toBe(0);
  });
});
