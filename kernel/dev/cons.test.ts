import { describe, expect, it } from 'vitest';
import { ConsDevice, consoleId } from './cons.ts';
import type { PerHandle } from './perattach.ts';
import { Ebadctl } from '../../fs/server/tree.ts';
import { Einterrupted, Eperm } from '../../fs/9p/errors.ts';
import { OREAD, ORDWR, OWRITE } from '../../fs/9p/constants.ts';
import { CSpace, ALL_RIGHTS } from '../cap.ts';
import { Sys } from '../sys.ts';
import { boot, bytes, errOf, req, settled, str } from './testing.ts';

const kernelLike = { sysname: 'testnode', kmesg: ['0.001 boot', '0.002 devices'], bootTime: Date.now() - 5000 };

async function openFile(cd: ConsDevice, aname: string, path: string, mode: number, uname = 'glenda'): Promise<PerHandle> {
  const fs = cd.fs;
  let h = (await fs.attach(uname, aname, req(uname))).node;
  h = (await fs.walk(h, path, req(uname))).node;
  return (await fs.open(h, mode, req(uname)))!.node!;
}

async function readText(cd: ConsDevice, aname: string, path: string, uname = 'glenda'): Promise<string> {
  const h = await openFile(cd, aname, path, OREAD, uname);
  let out = '';
  for (let off = 0; ;) {
    const b = await cd.fs.read(h, off, 8192, req(uname));
    if (b.length === 0) break;
    out += str(b);
    off += b.length;
  }
  await cd.fs.clunk(h, req(uname));
  return out;
}

describe('#c directly', () => {
  it('lists the Plan 9 console files', async () => {
    const cd = new ConsDevice(kernelLike);
    const root = (await cd.fs.attach('glenda', 'console', req())).node;
    const names = (await cd.fs.readdir(root, req())).map((d) => d.name);
    expect(names).toEqual(['cons', 'consctl', 'null', 'zero', 'random', 'time', 'user', 'sysname', 'hostowner', 'kmesg']);
  });

  it('attach name is the console id; "" means "console"; each id is its own console', async () => {
    expect(consoleId('')).toBe('console');
    const cd = new ConsDevice(kernelLike, { console: { echo: false } });
    const a = await openFile(cd, '', 'cons', ORDWR);
    const b = await openFile(cd, 'tty2', 'cons', ORDWR);
    const outA: string[] = [], outB: string[] = [];
    cd.console('console').onOutput((x) => outA.push(str(x)));
    cd.console('tty2').onOutput((x) => outB.push(str(x)));
    await cd.fs.write(a, 0, bytes('to a'), req());
    await cd.fs.write(b, 0, bytes('to b'), req());
    expect(outA).toEqual(['to a']);
    expect(outB).toEqual(['to b']);
    cd.console('tty2').input('typed on b\n');
    expect(str(await cd.fs.read(b, 0, 100, req()))).toBe('typed on b\n');
    expect(cd.ids().sort()).toEqual(['console', 'tty2']);
  });

  it('a cons read waits for input and ends with interrupted when flushed', async () => {
    const cd = new ConsDevice(kernelLike);
    const h = await openFile(cd, 'console', 'cons', OREAD);
    const ac = new AbortController();
    const r = Promise.resolve(cd.fs.read(h, 0, 100, req('glenda', ac.signal)));
    expect(await settled(r)).toBe(false);
    ac.abort();
    expect(await errOf(() => r)).toBe(Einterrupted);
  });

  it('null, zero, random', async () => {
    const cd = new ConsDevice(kernelLike);
    const nul = await openFile(cd, 'c', 'null', ORDWR);
    expect((await cd.fs.read(nul, 0, 100, req())).length).toBe(0);
    expect(await cd.fs.write(nul, 0, bytes('discard me'), req())).toBe(10);
    const zero = await openFile(cd, 'c', 'zero', OREAD);
    const z = await cd.fs.read(zero, 0, 4096, req());
    expect(z.length).toBe(4096);
    expect(z.every((v) => v === 0)).toBe(true);
    const rnd = await openFile(cd, 'c', 'random', OREAD);
    const r1 = await cd.fs.read(rnd, 0, 64, req());
    const r2 = await cd.fs.read(rnd, 0, 64, req());
    expect(r1.length).toBe(64);
    expect(Buffer.from(r1).equals(Buffer.from(r2))).toBe(false);
  });

  it('time is Plan 9 layout: sec nsec ticks hz, fixed widths, agreeing with the clock', async () => {
    const cd = new ConsDevice(kernelLike);
    const t = await readText(cd, 'c', 'time');
    expect(t).toMatch(/^ *\d+ +\d+ +\d+ +\d+ $/);
    expect(t.length).toBe(11 + 1 + 21 + 1 + 21 + 1 + 21 + 1);
    const [sec, nsec, ticks, hz] = t.trim().split(/ +/).map((s) => BigInt(s));
    expect(Math.abs(Number(sec!) - Date.now() / 1000)).toBeLessThan(2);
    expect(nsec! / 1_000_000_000n).toBe(sec);
    expect(hz).toBe(1_000_000_000n);
    expect(Number(ticks!) / 1e9).toBeGreaterThan(4.5);
    expect(Number(ticks!) / 1e9).toBeLessThan(60);
  });

  it('user is the attaching user; sysname, hostowner and kmesg come from the kernel', async () => {
    const cd = new ConsDevice(kernelLike, { hostowner: 'bootes' });
    expect(await readText(cd, 'c', 'user', 'glenda')).toBe('glenda');
    expect(await readText(cd, 'c', 'user', 'alice')).toBe('alice');
    expect(await readText(cd, 'c', 'sysname')).toBe('testnode');
    expect(await readText(cd, 'c', 'hostowner')).toBe('bootes');
    expect(await readText(cd, 'c', 'kmesg')).toBe('0.001 boot\n0.002 devices\n');
  });

  it('consctl: rawon/rawoff, size, status read, bad commands, raw ends when consctl closes', async () => {
    const cd = new ConsDevice(kernelLike);
    const con = cd.console('c');
    const ctl = await openFile(cd, 'c', 'consctl', ORDWR);
    expect(str(await cd.fs.read(ctl, 0, 100, req()))).toBe('rawoff\nsize 80x24\n');
    await cd.fs.write(ctl, 0, bytes('rawon'), req());
    expect(con.raw).toBe(true);
    await cd.fs.write(ctl, 0, bytes('size 132x43\n'), req());
    expect(con.size).toEqual({ cols: 132, rows: 43 });
    expect(str(await cd.fs.read(ctl, 0, 100, req()))).toBe('rawon\nsize 132x43\n');
    expect(await errOf(() => cd.fs.write(ctl, 0, bytes('size big'), req()))).toBe(Ebadctl);
    expect(await errOf(() => cd.fs.write(ctl, 0, bytes('rawish'), req()))).toBe(Ebadctl);
    expect(await errOf(() => cd.fs.write(ctl, 0, bytes('rawon now'), req()))).toBe(Ebadctl);
    await cd.fs.write(ctl, 0, bytes('rawoff\nrawon\n'), req());
    expect(con.raw).toBe(true);
    await cd.fs.clunk(ctl, req());
    expect(con.raw).toBe(false);
  });

  it('a closed console gives end of file to its open fids; a new attach gets a fresh console', async () => {
    const cd = new ConsDevice(kernelLike);
    const old = cd.console('c');
    const h = await openFile(cd, 'c', 'cons', ORDWR);
    old.close();
    expect(cd.has('c')).toBe(false);
    expect((await cd.fs.read(h, 0, 10, req())).length).toBe(0);
    expect(await errOf(() => cd.fs.write(h, 0, bytes('x'), req()))).toBe('i/o on hungup channel');
    const h2 = await openFile(cd, 'c', 'cons', ORDWR);
    const fresh = cd.console('c');
    expect(fresh).not.toBe(old);
    fresh.input('new\n');
    expect(str(await cd.fs.read(h2, 0, 10, req()))).toBe('new\n');
  });

  it('read-only files refuse writes', async () => {
    const cd = new ConsDevice(kernelLike);
    const root = (await cd.fs.attach('glenda', 'c', req())).node;
    const zero = (await cd.fs.walk(root, 'zero', req())).node;
    expect((await cd.fs.stat(zero, req())).mode & 0o777).toBe(0o444);
    const opened = (await cd.fs.open(zero, OREAD, req()))!.node!;
    expect(await errOf(() => cd.fs.write(opened, 0, bytes('x'), req()))).toBe(Eperm);
  });
});

describe('#c through the kernel', () => {
  it('writes to /dev/cons reach the console; typed input is read from /dev/cons', async () => {
    const { sys, dev } = boot('glenda', { cons: { console: { echo: false } } });
    await sys.bind('#c', '/dev');
    const con = dev.cons.console('console');
    const out: string[] = [];
    con.onOutput((b) => out.push(str(b)));
    const fd = await sys.open('/dev/cons', ORDWR);
    await sys.write(fd, 'cohesix% ');
    expect(out.join('')).toBe('cohesix% ');
    const r = sys.read(fd, 1024);
    expect(await settled(r)).toBe(false);
    con.input('ls /srv\r');
    expect(str(await r)).toBe('ls /srv\n');
  });

  it('a note interrupts a blocked read of /dev/cons', async () => {
    const { sys, p } = boot();
    await sys.bind('#c', '/dev');
    const fd = await sys.open('/dev/cons', OREAD);
    const r = sys.read(fd, 100);
    expect(await settled(r)).toBe(false);
    p.postnote('interrupt');
    expect(await errOf(() => r)).toBe(Einterrupted);
  });

  it('each process reaches its own console through one binding (the console id is the attach name)', async () => {
    const { k, sys, dev } = boot('glenda', { cons: { console: { echo: false } } });
    await sys.bind('#c', '/dev');
    const q = k.newInit('alice', new CSpace(), 'tty7');
    q.ns = sys.proc.ns; // same namespace, another console
    for (const o of ['ns', 'dev:#c']) k.grant(q, o, ALL_RIGHTS);
    const qs = new Sys(k, q);
    const seen: Record<string, string> = {};
    for (const id of ['console', 'tty7']) dev.cons.console(id).onOutput((b) => { seen[id] = (seen[id] ?? '') + str(b); });
    await sys.writeFile('/dev/cons', 'from init');
    await qs.writeFile('/dev/cons', 'from alice');
    expect(seen).toEqual({ console: 'from init', tty7: 'from alice' });
    expect(str(await qs.readFile('/dev/user'))).toBe('alice');
    expect(str(await sys.readFile('/dev/user'))).toBe('glenda');
  });

  it('/dev/zero reads zeros, /dev/null swallows, sysname and kmesg reflect the kernel', async () => {
    const { k, sys } = boot();
    await sys.bind('#c', '/dev');
    const fd = await sys.open('/dev/zero', OREAD);
    const z = await sys.read(fd, 100_000);
    expect(z.length).toBe(100_000);
    expect(z.every((b) => b === 0)).toBe(true);
    const n = await sys.open('/dev/null', OWRITE);
    expect(await sys.write(n, 'x'.repeat(5000))).toBe(5000);
    expect(str(await sys.readFile('/dev/sysname'))).toBe(k.sysname);
    k.log('hello from the test');
    expect(str(await sys.readFile('/dev/kmesg'))).toContain('hello from the test\n');
  });

  it('consctl through the kernel: rawon while open, size set by a terminal resize is read back', async () => {
    const { sys, dev } = boot();
    await sys.bind('#c', '/dev');
    const con = dev.cons.console();
    con.size = { cols: 100, rows: 50 };
    const ctl = await sys.open('/dev/consctl', ORDWR);
    await sys.write(ctl, 'rawon');
    expect(con.raw).toBe(true);
    expect(str(await sys.pread(ctl, 100, 0))).toBe('rawon\nsize 100x50\n');
    const cons = await sys.open('/dev/cons', OREAD);
    con.input('q');
    expect(str(await sys.read(cons, 10))).toBe('q');
    await sys.close(ctl);
    expect(con.raw).toBe(false);
  });

  it('a console closed by its terminal gives end of file to the reader', async () => {
    const { sys, dev } = boot();
    await sys.bind('#c', '/dev');
    const fd = await sys.open('/dev/cons', OREAD);
    const r = sys.read(fd, 100);
    expect(await settled(r)).toBe(false);
    dev.cons.console().close();
    expect((await r).length).toBe(0);
  });
});
