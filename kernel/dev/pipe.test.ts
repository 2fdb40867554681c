import { describe, expect, it } from 'vitest';
import { Epipe, PipeDevice, PipeHandle } from './pipe.ts';
import { OREAD, ORCLOSE, ORDWR, OWRITE } from '../../fs/9p/constants.ts';
import { Einterrupted, Enoent, Eperm } from '../../fs/9p/errors.ts';
import { MREPL } from '../sys.ts';
import { boot, bytes, errOf, req, settled, str } from './testing.ts';

const never = new AbortController().signal;

function ends(fs: PipeDevice, aname = 'p1'): [PipeHandle, PipeHandle] {
  const root = fs.attach('glenda', aname, req()).node;
  const a = fs.open(fs.walk(root, 'data', req()).node, ORDWR, req()).node!;
  const b = fs.open(fs.walk(root, 'data1', req()).node, ORDWR, req()).node!;
  fs.clunk(root, req());
  return [a, b];
}

const rd = async (fs: PipeDevice, h: PipeHandle, n = 1024, signal = never): Promise<string> => str(await fs.read(h, 0, n, req('glenda', signal)));
const wr = (fs: PipeDevice, h: PipeHandle, s: string | Uint8Array, signal = never): Promise<number> =>
  fs.write(h, 0, typeof s === 'string' ? bytes(s) : s, req('glenda', signal));

describe('#| directly', () => {
  it('a pipe is a directory of data and data1', () => {
    const fs = new PipeDevice();
    const root = fs.attach('glenda', 'p', req()).node;
    expect(fs.readdir(root, req()).map((d) => d.name)).toEqual(['data', 'data1']);
    expect(() => fs.walk(root, 'data2', req())).toThrow(Enoent);
    expect(() => fs.create(root, 'x', 0o666, OWRITE, req())).toThrow(Eperm);
    expect(() => fs.remove(fs.walk(root, 'data', req()).node, req())).toThrow(Eperm);
    expect(() => fs.open(fs.walk(root, 'data', req()).node, ORDWR | ORCLOSE, req())).toThrow(Eperm);
  });

  it('bytes written to one end are read from the other, both ways, write boundaries kept', async () => {
    const fs = new PipeDevice();
    const [a, b] = ends(fs);
    await wr(fs, a, 'one');
    await wr(fs, a, 'two');
    expect(await rd(fs, b)).toBe('one');
    expect(await rd(fs, b, 2)).toBe('tw');
    expect(await rd(fs, b)).toBe('o');
    await wr(fs, b, 'back');
    expect(await rd(fs, a)).toBe('back');
  });

  it('stat length is what is waiting to be read at that end', async () => {
    const fs = new PipeDevice();
    const [a, b] = ends(fs);
    await wr(fs, a, 'hello');
    expect(fs.stat(b, req()).length).toBe(5);
    expect(fs.stat(a, req()).length).toBe(0);
  });

  it('a read waits for data; a flush ends it with interrupted and loses nothing', async () => {
    const fs = new PipeDevice();
    const [a, b] = ends(fs);
    const r = rd(fs, b);
    expect(await settled(r)).toBe(false);
    await wr(fs, a, 'wake');
    expect(await r).toBe('wake');
    const ac = new AbortController();
    const r2 = rd(fs, b, 10, ac.signal);
    ac.abort();
    expect(await errOf(() => r2)).toBe(Einterrupted);
    await wr(fs, a, 'kept');
    expect(await rd(fs, b)).toBe('kept');
  });

  it('end of file once the other end is closed by all its openers and drained', async () => {
    const fs = new PipeDevice();
    const root = fs.attach('glenda', 'p', req()).node;
    const a1 = fs.open(fs.walk(root, 'data', req()).node, OWRITE, req()).node!;
    const a2 = fs.open(fs.walk(root, 'data', req()).node, OWRITE, req()).node!;
    const b = fs.open(fs.walk(root, 'data1', req()).node, OREAD, req()).node!;
    await wr(fs, a1, 'last words');
    fs.clunk(a1, req());
    fs.clunk(a1, req()); // a second clunk of the same handle counts once
    const waiting = rd(fs, b, 1024);
    expect(await waiting).toBe('last words');
    const r = rd(fs, b);
    expect(await settled(r)).toBe(false); // a2 still has data open
    fs.clunk(a2, req());
    expect(await r).toBe('');
    expect(await rd(fs, b)).toBe('');
  });

  it("writing when the other end is gone fails with 'write on closed pipe'", async () => {
    const fs = new PipeDevice();
    const [a, b] = ends(fs);
    fs.clunk(b, req());
    expect(await errOf(() => wr(fs, a, 'anyone?'))).toBe(Epipe);
  });

  it('the buffer is bounded: writers wait for room, readers make it', async () => {
    const fs = new PipeDevice({ limit: 8 });
    const [a, b] = ends(fs);
    const w = wr(fs, a, '0123456789abcdef');
    expect(await settled(w)).toBe(false);
    expect(fs.stat(b, req()).length).toBe(8);
    expect(await rd(fs, b)).toBe('01234567');
    expect(await w).toBe(16);
    expect(await rd(fs, b)).toBe('89abcdef');
  });

  it('a waiting writer: flushed before anything went, interrupted; reader gone, the error', async () => {
    const fs = new PipeDevice({ limit: 4 });
    const [a, b] = ends(fs);
    await wr(fs, a, 'full');
    const ac = new AbortController();
    const w = wr(fs, a, 'more', ac.signal);
    expect(await settled(w)).toBe(false);
    ac.abort();
    expect(await errOf(() => w)).toBe(Einterrupted);
    const w2 = wr(fs, a, 'more');
    expect(await settled(w2)).toBe(false);
    fs.clunk(b, req());
    expect(await errOf(() => w2)).toBe(Epipe);
  });

  it('a writer cut off part way reports what went', async () => {
    const fs = new PipeDevice({ limit: 4 });
    const [a, b] = ends(fs);
    const w = wr(fs, a, 'abcdefgh');
    expect(await settled(w)).toBe(false);
    fs.clunk(b, req());
    expect(await w).toBe(4);
  });

  it('the pipe is freed when both ends are clunked; the name then attaches a fresh pipe', async () => {
    const fs = new PipeDevice();
    const [a, b] = ends(fs, 'named');
    const p = fs.pipe('named');
    expect(fs.size).toBe(1);
    await wr(fs, a, 'stale');
    fs.clunk(a, req());
    expect(fs.size).toBe(1);
    fs.clunk(b, req());
    expect(fs.size).toBe(0);
    const [a2, b2] = ends(fs, 'named');
    expect(fs.pipe('named')).not.toBe(p);
    await wr(fs, a2, 'fresh');
    expect(await rd(fs, b2)).toBe('fresh');
  });

  it('aname "" makes a new pipe on every attach', async () => {
    const fs = new PipeDevice();
    const r1 = fs.attach('glenda', '', req());
    const r2 = fs.attach('glenda', '', req());
    expect(r1.qid.path).not.toBe(r2.qid.path);
    expect(fs.size).toBe(0);
  });
});

describe('#| through the kernel', () => {
  it('pipe() gives two fds; data flows both ways; EOF after the writer closes; the pipe is freed', async () => {
    const { sys, dev } = boot();
    const [a, b] = await sys.pipe();
    await sys.write(a, 'to b');
    expect(str(await sys.read(b, 100))).toBe('to b');
    await sys.write(b, 'to a');
    expect(str(await sys.read(a, 100))).toBe('to a');
    expect(dev.pipe.size).toBe(1);
    await sys.write(a, 'bye');
    await sys.close(a);
    expect(str(await sys.read(b, 100))).toBe('bye');
    expect((await sys.read(b, 100)).length).toBe(0);
    expect(await errOf(() => sys.write(b, 'nobody'))).toBe(Epipe);
    await sys.close(b);
    expect(dev.pipe.size).toBe(0);
  });

  it('a dup keeps the end open: EOF only when the last fd closes', async () => {
    const { sys } = boot();
    const [a, b] = await sys.pipe();
    const a2 = await sys.dup(a);
    await sys.close(a);
    const r = sys.read(b, 10);
    expect(await settled(r)).toBe(false);
    await sys.write(a2, 'x');
    expect(str(await r)).toBe('x');
    await sys.close(a2);
    expect((await sys.read(b, 10)).length).toBe(0);
  });

  it('large writes pass through the bounded buffer intact', async () => {
    const { sys } = boot();
    const [a, b] = await sys.pipe();
    const big = new Uint8Array(1_500_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
    const w = sys.write(a, big).then(async (n) => { await sys.close(a); return n; });
    const got: Uint8Array[] = [];
    for (;;) {
      const d = await sys.read(b, 65536);
      if (d.length === 0) break;
      got.push(d);
    }
    expect(await w).toBe(big.length);
    expect(Buffer.concat(got).equals(Buffer.from(big))).toBe(true);
  });

  it('a note interrupts a blocked pipe read', async () => {
    const { sys, p } = boot();
    const [, b] = await sys.pipe();
    const r = sys.read(b, 10);
    expect(await settled(r)).toBe(false);
    p.postnote('interrupt');
    expect(await errOf(() => r)).toBe(Einterrupted);
  });

  it('a child writes into a pipe its parent reads (fds passed at spawn)', async () => {
    const { k, sys } = boot();
    await sys.bind('#b', '/bin');
    k.programs.set('echo', async (cs) => { await cs.write(1, cs.args.slice(1).join(' ') + '\n'); });
    const [r, w] = await sys.pipe();
    const pid = await sys.spawn('echo', ['echo', 'hello', 'pipe'], { fds: [r, w] });
    await sys.close(w);
    expect(await sys.waitpid(pid)).toBe('');
    expect(str(await sys.read(r, 100))).toBe('hello pipe\n');
    expect((await sys.read(r, 100)).length).toBe(0);
  });

  it('bind #| gives a pipe in the namespace whose two files talk to each other', async () => {
    const { sys } = boot();
    await sys.bind('#|', '/pipe');
    expect((await sys.dirread('/pipe')).map((d) => d.name)).toEqual(['data', 'data1']);
    const a = await sys.open('/pipe/data', ORDWR);
    const b = await sys.open('/pipe/data1', ORDWR);
    await sys.write(a, 'through the namespace');
    expect(str(await sys.read(b, 100))).toBe('through the namespace');
  });

  it('two mounts of the same aname are one pipe; different anames are different pipes', async () => {
    const { sys } = boot();
    await sys.mount('#|', '/x', MREPL, 'shared');
    await sys.mount('#|', '/y', MREPL, 'shared');
    await sys.mount('#|', '/z', MREPL, 'other');
    const a = await sys.open('/x/data', ORDWR);
    const b = await sys.open('/y/data1', ORDWR);
    const c = await sys.open('/z/data1', ORDWR);
    await sys.write(a, 'same pipe');
    expect(str(await sys.read(b, 100))).toBe('same pipe');
    const r = sys.read(c, 100);
    expect(await settled(r)).toBe(false);
    const cd = await sys.open('/z/data', ORDWR);
    await sys.write(cd, 'z');
    expect(str(await r)).toBe('z');
  });
});
