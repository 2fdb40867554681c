// The client against a small hand-written 9P2000 server over linkPair(): tag multiplexing,
// out-of-order replies, flush in both orders, close, split walks, pipelining and its fallback.

import { describe, expect, it } from 'vitest';
import { DMDIR, MAXWELEM, NOTAG, OREAD, ORDWR, OTRUNC, QTDIR, QTFILE } from '../9p/constants.ts';
import type { Dialect } from '../9p/constants.ts';
import type { Dir, Fcall, Qid, TMsg } from '../9p/fcall.ts';
import { Eexist, Enoent, Enotopen, Enofid } from '../9p/errors.ts';
import { packDir } from '../9p/wire.ts';
import { linkPair } from '../transport/pair.ts';
import type { Link, LinkHandlers } from '../transport/link.ts';
import { Client } from './client.ts';
import { Fsys } from './fsys.ts';
import { WalkError } from './walk.ts';

// ---- a tiny 9P2000 server -------------------------------------------------------------

interface Node { name: string; qid: Qid; mode: number; data: Uint8Array; kids?: Map<string, Node>; parent?: Node }

interface FakeOptions {
  /** The version string to answer (default: '9P2000' to anything starting with 9P2000). */
  answer?: string | ((asked: string) => string);
  msize?: number;
  /** Queue these messages for the test to answer by hand. */
  hold?: (t: TMsg) => boolean;
  /** Answer messages that arrive together in reverse order (a server that keeps no order). */
  reverse?: boolean;
}

class FakeServer {
  readonly link: Link;
  readonly got: TMsg[] = [];
  readonly held: TMsg[] = [];
  readonly fids = new Map<number, { node: Node; open: number }>();
  readonly root: Node;
  private path = 1;
  private batch: TMsg[] = [];
  private waiters: (() => void)[] = [];
  private gateQ: TMsg[] | undefined;
  closed = false;
  private readonly o: FakeOptions;

  constructor(link: Link, o: FakeOptions = {}) {
    this.link = link;
    this.o = o;
    this.root = this.node('/', DMDIR | 0o777);
    link.start({
      message: (f) => this.recv(f as TMsg),
      badFrame: () => undefined,
      close: () => { this.closed = true; },
    });
  }

  node(name: string, mode: number, parent?: Node): Node {
    const n: Node = { name, mode, qid: { type: mode & DMDIR ? QTDIR : QTFILE, version: 0, path: this.path++ }, data: new Uint8Array(0), parent };
    if (mode & DMDIR) n.kids = new Map();
    if (parent) parent.kids!.set(name, n);
    return n;
  }

  /** Make a file (and its directories) with contents. */
  put(path: string, data: Uint8Array | string): Node {
    const names = path.split('/').filter(Boolean);
    let d = this.root;
    for (const n of names.slice(0, -1)) d = d.kids!.get(n) ?? this.node(n, DMDIR | 0o777, d);
    const f = this.node(names[names.length - 1]!, 0o666, d);
    f.data = typeof data === 'string' ? Buffer.from(data) : data;
    return f;
  }

  lookup(path: string): Node | undefined {
    let d: Node | undefined = this.root;
    for (const n of path.split('/').filter(Boolean)) d = d?.kids?.get(n);
    return d;
  }

  /** Hold every message until release(). */
  gate(): void { this.gateQ = []; }
  release(): void { const q = this.gateQ ?? []; this.gateQ = undefined; for (const t of q) this.serve(t); }

  /** Resolves once a held message of this type is waiting. */
  async next(type?: string): Promise<TMsg> {
    for (;;) {
      const i = this.held.findIndex((t) => !type || t.type === type);
      if (i >= 0) return this.held.splice(i, 1)[0]!;
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  send(f: Fcall): void { this.link.send(f); }

  private recv(t: TMsg): void {
    this.got.push(t);
    if (this.o.hold?.(t)) {
      this.held.push(t);
      for (const w of this.waiters.splice(0)) w();
      return;
    }
    if (this.gateQ) { this.gateQ.push(t); return; }
    if (!this.o.reverse || t.type === 'Tversion' || t.type === 'Tattach') { this.serve(t); return; }
    this.batch.push(t);
    if (this.batch.length === 1) setImmediate(() => { const b = this.batch.reverse(); this.batch = []; for (const m of b) this.serve(m); });
  }

  private dir(n: Node): Dir {
    return { type: 0, dev: 0, qid: n.qid, mode: n.mode, atime: 0, mtime: 0, length: n.kids ? 0 : n.data.length, name: n.name, uid: 'glenda', gid: 'glenda', muid: '' };
  }

  serve(t: TMsg): void {
    const tag = t.tag;
    const err = (ename: string): void => this.send({ type: 'Rerror', tag, ename });
    const fidOf = (fid: number) => this.fids.get(fid);
    switch (t.type) {
      case 'Tversion':
        {
          const a = this.o.answer;
          const version = typeof a === 'function' ? a(t.version) : a ?? (t.version.startsWith('9P2000') ? '9P2000' : 'unknown');
          this.send({ type: 'Rversion', tag, msize: Math.min(t.msize, this.o.msize ?? t.msize), version });
        }
        return;
      case 'Tattach': this.fids.set(t.fid, { node: this.root, open: -1 }); this.send({ type: 'Rattach', tag, qid: this.root.qid }); return;
      case 'Tflush': this.send({ type: 'Rflush', tag }); return;
      case 'Twalk': {
        const f = fidOf(t.fid);
        if (!f) return err(Enofid);
        if (t.wname.length > MAXWELEM) return err('too many names in walk');
        if (t.newfid !== t.fid && this.fids.has(t.newfid)) return err('fid already in use');
        const wqid: Qid[] = [];
        let n = f.node;
        for (const name of t.wname) {
          const k = name === '..' ? (n.parent ?? n) : n.kids?.get(name);
          if (!k) break;
          wqid.push(k.qid); n = k;
        }
        if (t.wname.length && !wqid.length) return err(Enoent);
        if (wqid.length === t.wname.length) this.fids.set(t.newfid, { node: n, open: -1 });
        this.send({ type: 'Rwalk', tag, wqid });
        return;
      }
      case 'Topen': {
        const f = fidOf(t.fid);
        if (!f) return err(Enofid);
        if (t.mode & OTRUNC) f.node.data = new Uint8Array(0);
        f.open = t.mode;
        this.send({ type: 'Ropen', tag, qid: f.node.qid, iounit: 0 });
        return;
      }
      case 'Tcreate': {
        const f = fidOf(t.fid);
        if (!f) return err(Enofid);
        if (f.node.kids!.has(t.name)) return err(Eexist);
        f.node = this.node(t.name, t.perm, f.node);
        f.open = t.mode;
        this.send({ type: 'Rcreate', tag, qid: f.node.qid, iounit: 0 });
        return;
      }
      case 'Tread': {
        const f = fidOf(t.fid);
        if (!f) return err(Enofid);
        if (f.open < 0) return err(Enotopen);
        if (f.node.kids) {
          const parts: Buffer[] = [];
          let at = 0, size = 0;
          for (const k of f.node.kids.values()) {
            const b = packDir(this.dir(k));
            if (at >= t.offset) { if (size + b.length > t.count) break; parts.push(b); size += b.length; }
            at += b.length;
          }
          this.send({ type: 'Rread', tag, data: Buffer.concat(parts) });
        } else this.send({ type: 'Rread', tag, data: f.node.data.subarray(t.offset, t.offset + t.count) });
        return;
      }
      case 'Twrite': {
        const f = fidOf(t.fid);
        if (!f) return err(Enofid);
        if (f.open < 0) return err(Enotopen);
        const end = t.offset + t.data.length;
        if (end > f.node.data.length) { const b = new Uint8Array(end); b.set(f.node.data); f.node.data = b; }
        f.node.data.set(t.data, t.offset);
        this.send({ type: 'Rwrite', tag, count: t.data.length });
        return;
      }
      case 'Tclunk': if (!this.fids.delete(t.fid)) return err(Enofid); this.send({ type: 'Rclunk', tag }); return;
      case 'Tremove': {
        const f = fidOf(t.fid);
        if (!f) return err(Enofid);
        this.fids.delete(t.fid);
        if (f.node.kids?.size) return err('directory is not empty');
        f.node.parent?.kids!.delete(f.node.name);
        this.send({ type: 'Rremove', tag });
        return;
      }
      case 'Tstat': { const f = fidOf(t.fid); if (!f) return err(Enofid); this.send({ type: 'Rstat', tag, stat: this.dir(f.node) }); return; }
      case 'Twstat': {
        const f = fidOf(t.fid);
        if (!f) return err(Enofid);
        const n = f.node;
        if (t.stat.name && t.stat.name !== n.name) { n.parent!.kids!.delete(n.name); n.name = t.stat.name; n.parent!.kids!.set(n.name, n); }
        if (t.stat.mode !== 0xffffffff) n.mode = t.stat.mode;
        if (t.stat.length < 2 ** 64) n.data = n.data.slice(0, t.stat.length);
        this.send({ type: 'Rwstat', tag });
        return;
      }
      default: err('operation not supported');
    }
  }
}

/** A Link wrapper that records what the client sends and how many requests were outstanding. */
function spy(inner: Link): Link & { sent: Fcall[]; maxOut: number } {
  let out = 0;
  const s = {
    sent: [] as Fcall[], maxOut: 0,
    start(h: LinkHandlers): void { inner.start({ message: (f) => { out--; h.message(f); }, badFrame: (e) => h.badFrame(e), close: (e) => h.close(e) }); },
    send(f: Fcall): void { s.sent.push(f); out++; s.maxOut = Math.max(s.maxOut, out); inner.send(f); },
    setDialect: (d: Dialect): void => inner.setDialect(d),
    setMsize: (n: number): void => inner.setMsize(n),
    close: (): void => inner.close(),
    get remote(): string { return inner.remote; },
    get backlog(): number { return inner.backlog; },
  };
  return s;
}

async function setup(o: FakeOptions = {}, c: { msize?: number; version?: Dialect; pipeline?: boolean } = {}) {
  const [a, b] = linkPair();
  const srv = new FakeServer(b, o);
  const link = spy(a);
  const fs = await Fsys.mount(link, { uname: 'glenda', ...c });
  return { srv, link, fs, client: fs.client };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

// ---- tests ------------------------------------------------------------------------------

describe('version and attach', () => {
  it('accepts a smaller msize and a 9P2000 answer to 9P2000.L', async () => {
    const { client, link, fs } = await setup({ msize: 4096 }, { version: '9P2000.L' });
    expect(client.dialect).toBe('9P2000');
    expect(client.msize).toBe(4096);
    expect(client.iounit).toBe(4096 - 24);
    expect(link.sent[0]).toMatchObject({ type: 'Tversion', tag: NOTAG, version: '9P2000.L' });
    expect(link.sent[1]).toMatchObject({ type: 'Tattach', uname: 'glenda' });
    expect(link.sent[1]!.tag).not.toBe(NOTAG);
    expect('nuname' in link.sent[1]!).toBe(false);
    expect(fs.pipelining).toBe(true);
  });

  it('asks 9P2000 first and 9P2000.L when that is refused; .L sessions do not pipeline by default', async () => {
    const { client, link, fs } = await setup({ answer: (v) => (v === '9P2000.L' ? v : 'unknown') });
    expect(link.sent.slice(0, 3).map((f) => f.type === 'Tversion' ? f.version : f.type)).toEqual(['9P2000', '9P2000.L', 'Tattach']);
    expect(client.dialect).toBe('9P2000.L');
    expect(link.sent[2]).toMatchObject({ type: 'Tattach', nuname: 0xffffffff });
    expect(fs.pipelining).toBe(false);
    expect(new Fsys(client, { pipeline: true }).pipelining).toBe(true);
  });

  it('refuses unknown and unasked dialects', async () => {
    const cases: [string, Dialect | undefined, string][] = [
      ['unknown', '9P2000.L', 'server does not speak 9P2000.L'],
      ['unknown', undefined, 'server does not speak 9P2000 or 9P2000.L'],
      ['9P2000.u', '9P2000', "server answered version '9P2000.u' to '9P2000'"],
      ['9P2000', '9P2000.L', ''],
    ];
    for (const [answer, version, msg] of cases) {
      const [a, b] = linkPair();
      new FakeServer(b, { answer });
      const p = Client.connect(a, { version });
      if (msg) await expect(p).rejects.toThrow(msg); else await expect(p).resolves.toBeInstanceOf(Client);
    }
  });
});

describe('tags', () => {
  it('keeps many requests in flight and matches replies that come back out of order', async () => {
    const { client, srv } = await setup({ hold: (t) => t.type === 'Tstat' });
    const calls = [0, 1, 2, 3, 4].map(() => client.rpc({ type: 'Tstat', fid: client.rootFid }));
    const held: TMsg[] = [];
    for (let i = 0; i < 5; i++) held.push(await srv.next('Tstat'));
    const tags = held.map((t) => t.tag);
    expect(new Set(tags).size).toBe(5);
    expect(tags).not.toContain(NOTAG);
    expect(client.inflight).toBe(5);
    // answer in reverse, each with a different name, one with an error
    for (const t of [...held].reverse()) {
      if (t === held[2]) srv.send({ type: 'Rerror', tag: t.tag, ename: 'permission denied' });
      else srv.send({ type: 'Rstat', tag: t.tag, stat: { ...srv['dir'](srv.root), name: `n${t.tag}` } });
    }
    const res = await Promise.allSettled(calls);
    res.forEach((r, i) => {
      if (i === 2) expect(r).toMatchObject({ status: 'rejected', reason: { message: 'permission denied' } });
      else expect(r).toMatchObject({ status: 'fulfilled', value: { stat: { name: `n${held[i]!.tag}` } } });
    });
    expect(client.inflight).toBe(0);
  });

  it('maps Rlerror to the Plan 9 string and rejects a mismatched reply', async () => {
    const { client, srv } = await setup({ hold: (t) => t.type === 'Tstat' });
    const a = client.rpc({ type: 'Tstat', fid: client.rootFid });
    const b = client.rpc({ type: 'Tstat', fid: client.rootFid });
    const ta = await srv.next(), tb = await srv.next();
    srv.send({ type: 'Rlerror', tag: ta.tag, ecode: 2 });
    srv.send({ type: 'Rclunk', tag: tb.tag });
    await expect(a).rejects.toThrow(Enoent);
    await expect(b).rejects.toThrow('protocol botch: Tstat answered by Rclunk');
  });
});

describe('flush', () => {
  it('honours a reply that arrives before Rflush, and keeps the tag until Rflush', async () => {
    const { client, srv } = await setup({ hold: (t) => t.type === 'Tstat' || t.type === 'Tflush' });
    const ac = new AbortController();
    const call = client.rpc({ type: 'Tstat', fid: client.rootFid }, { signal: ac.signal });
    const t = await srv.next('Tstat');
    ac.abort();
    const f = await srv.next('Tflush');
    expect(f).toMatchObject({ type: 'Tflush', oldtag: t.tag });
    srv.send({ type: 'Rstat', tag: t.tag, stat: srv['dir'](srv.root) });
    await expect(call).resolves.toMatchObject({ type: 'Rstat' });
    // the old tag is not reused before Rflush
    const again = client.rpc({ type: 'Tstat', fid: client.rootFid });
    const t2 = await srv.next('Tstat');
    expect([t.tag, f.tag]).not.toContain(t2.tag);
    srv.send({ type: 'Rflush', tag: f.tag });
    await tick();
    expect(client.inflight).toBe(1);
    srv.send({ type: 'Rstat', tag: t2.tag, stat: srv['dir'](srv.root) });
    await again;
    expect(client.inflight).toBe(0);
  });

  it('rejects with interrupted when Rflush comes first, and ignores a late reply', async () => {
    const { client, srv } = await setup({ hold: (t) => t.type === 'Tread' || t.type === 'Tflush' });
    const ac = new AbortController();
    const call = client.rpc({ type: 'Tread', fid: client.rootFid, offset: 0, count: 10 }, { signal: ac.signal });
    const t = await srv.next('Tread');
    ac.abort(new Error('user hit DEL'));
    const f = await srv.next('Tflush');
    srv.send({ type: 'Rflush', tag: f.tag });
    const e = await call.then(() => undefined, (x: Error) => x);
    expect(e?.message).toBe('interrupted');
    expect((e?.cause as Error).message).toBe('user hit DEL');
    srv.send({ type: 'Rread', tag: t.tag, data: new Uint8Array(3) }); // against the rules; must be ignored
    await tick();
    expect(client.inflight).toBe(0);
  });

  it('does not send a request whose signal is already aborted', async () => {
    const { client, link } = await setup();
    const n = link.sent.length;
    await expect(client.rpc({ type: 'Tstat', fid: client.rootFid }, { signal: AbortSignal.abort() })).rejects.toThrow('interrupted');
    expect(link.sent.length).toBe(n);
  });
});

describe('close', () => {
  it('rejects every request in flight when the server hangs up, and later ones at once', async () => {
    const { client, srv } = await setup({ hold: (t) => t.type === 'Tread' });
    const calls = [1, 2, 3].map((i) => client.rpc({ type: 'Tread', fid: client.rootFid, offset: i, count: 1 }));
    await srv.next(); await srv.next(); await srv.next();
    srv.link.close();
    for (const c of calls) await expect(c).rejects.toThrow(/^connection closed: /);
    await expect(client.rpc({ type: 'Tclunk', fid: 1 })).rejects.toThrow(/^connection closed: /);
    expect((await client.closed).message).toMatch(/connection closed/);
  });

  it('says the client closed it', async () => {
    const { client } = await setup({ hold: (t) => t.type === 'Tread' });
    const c = client.rpc({ type: 'Tread', fid: client.rootFid, offset: 0, count: 1 });
    client.close();
    await expect(c).rejects.toThrow('connection closed: closed by client');
  });
});

describe('walk', () => {
  it('splits a walk of more than 16 names and reports a missing path', async () => {
    const { fs, srv, link, client } = await setup();
    const deep = Array.from({ length: 40 }, (_, i) => `d${i}`).join('/');
    srv.put(`${deep}/file`, 'bottom');
    const before = link.sent.length;
    expect((await fs.readFile(`/${deep}/file`)).toString()).toBe('bottom');
    const walks = link.sent.slice(before).filter((f) => f.type === 'Twalk') as (Fcall & { type: 'Twalk' })[];
    expect(walks.map((w) => w.wname.length)).toEqual([16, 16, 9]);
    expect(walks[1]!.fid).toBe(walks[0]!.newfid);

    const e = await fs.walk(`/${deep.replace('d20', 'nope')}/file`).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WalkError);
    expect((e as WalkError).message).toBe(Enoent);
    expect((e as WalkError).path).toBe(`/${deep.replace('d20', 'nope')}/file`);
    expect((e as WalkError).walked).toBe(20);
    expect(client.fidsInUse).toBe(1);
    expect(srv.fids.size).toBe(1);
  });
});

describe('pipelining', () => {
  it('sends Twalk, Topen, Tread and Tclunk of readFile before any reply', async () => {
    const { fs, srv, client } = await setup();
    srv.put('a/b.txt', 'hello');
    srv.gate();
    const p = fs.readFile('/a/b.txt');
    await tick();
    expect(srv.got.slice(-4).map((t) => t.type)).toEqual(['Twalk', 'Topen', 'Tread', 'Tclunk']);
    srv.release();
    expect((await p).toString()).toBe('hello');
    expect(client.fidsInUse).toBe(1);
    expect(srv.fids.size).toBe(1);
  });

  it('a failed walk fails readFile, and nothing more is clunked', async () => {
    const { fs, srv, client } = await setup();
    const n = srv.got.length;
    await expect(fs.readFile('/no/such')).rejects.toThrow(Enoent);
    expect(srv.got.slice(n).map((t) => t.type)).toEqual(['Twalk', 'Topen', 'Tread', 'Tclunk']);
    expect(client.fidsInUse).toBe(1);
    expect(fs.pipelining).toBe(true);
  });

  it('reads and writes large files with several requests in flight', async () => {
    const { fs, srv, link } = await setup({}, { msize: 8192 + 24 });
    const big = Buffer.alloc(300_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 9)) & 0xff;
    srv.put('big', big);
    link.maxOut = 0;
    expect(Buffer.compare(await fs.readFile('/big'), big)).toBe(0);
    expect(link.maxOut).toBeGreaterThanOrEqual(4);
    const other = Buffer.from(big).reverse();
    link.maxOut = 0;
    await fs.writeFile('/big', other);
    expect(link.maxOut).toBeGreaterThanOrEqual(4);
    expect(Buffer.compare(Buffer.from(srv.lookup('/big')!.data), other)).toBe(0);
    await fs.writeFile('/new/../fresh', other.subarray(0, 100_000));
    expect(srv.lookup('/fresh')!.data.length).toBe(100_000);
    // exactly one iounit: the first read is full, the rest comes from a second open
    srv.put('exact', big.subarray(0, 8192));
    expect((await fs.readFile('/exact')).length).toBe(8192);
  });

  it('falls back to one step at a time against a server that keeps no order', async () => {
    const { fs, srv, client } = await setup({ reverse: true });
    srv.put('x/y', 'data');
    expect((await fs.readFile('/x/y')).toString()).toBe('data');
    expect(fs.pipelining).toBe(false);
    expect(srv.fids.size).toBe(1);
    expect(client.fidsInUse).toBe(1);
    await fs.writeFile('/x/z', 'zz');
    expect((await fs.readFile('/x/z')).toString()).toBe('zz');
    expect(srv.fids.size).toBe(1);
  });

  it('falls back, then stops pipelining, for create, stat and remove too', async () => {
    for (const op of ['create', 'stat', 'remove', 'mkdir'] as const) {
      const { fs, srv, client } = await setup({ reverse: true });
      srv.put('d/f', 'x');
      if (op === 'create') await (await fs.create('/d/g', 0o644, ORDWR)).clunk();
      if (op === 'stat') expect((await fs.stat('/d/f')).length).toBe(1);
      if (op === 'remove') await fs.remove('/d/f');
      if (op === 'mkdir') await fs.mkdir('/d/sub');
      expect(fs.pipelining).toBe(false);
      expect(srv.fids.size).toBe(1);
      expect(client.fidsInUse).toBe(1);
    }
  });
});

describe('file API over 9P2000', () => {
  it('create, write, read, stat, wstat, readdir, ls, remove', async () => {
    const { fs, srv, client } = await setup();
    await fs.mkdir('/dir');
    const f = await fs.create('/dir/one', 0o640, ORDWR);
    expect(await f.write('hello, ')).toBe(7);
    await f.write('world');
    expect(Buffer.from(await f.pread(100, 0)).toString()).toBe('hello, world');
    await f.clunk();
    await f.clunk(); // twice is fine
    await expect(fs.create('/dir/one', 0o640, ORDWR)).rejects.toThrow(Eexist);
    for (let i = 0; i < 50; i++) await fs.writeFile(`/dir/f${i}`, `${i}`);
    const names = (await fs.readdir('/dir')).map((d) => d.name).sort();
    expect(names.length).toBe(51);
    expect(names).toContain('f49');
    expect((await fs.stat('/dir/one')).length).toBe(12);
    expect((await fs.stat('/dir')).mode & DMDIR).toBeTruthy();
    await fs.wstat('/dir/one', { name: 'two', length: 5 });
    expect(srv.lookup('/dir/two')!.data.length).toBe(5);
    expect((await fs.ls('/dir/two')).map((d) => d.name)).toEqual(['two']);
    await fs.remove('/dir/two');
    expect(srv.lookup('/dir/two')).toBeUndefined();
    await expect(fs.remove('/dir')).rejects.toThrow('directory is not empty');
    const d = await fs.open('/dir', OREAD);
    expect((await d.dirreadall()).length).toBe(50);
    await d.clunk();
    expect(client.fidsInUse).toBe(1);
    expect(srv.fids.size).toBe(1);
  });
});
