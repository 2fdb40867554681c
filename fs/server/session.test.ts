// Our client against our server, in both dialects, over the in-process pair and real TCP:
// the framework's protocol checks, flush, ordering and the 9P2000.L translation.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Fsys } from '../client/index.ts';
import { DMDIR, NOFID, OREAD, ORDWR, OWRITE, QTSYMLINK } from '../9p/constants.ts';
import type { Dialect } from '../9p/constants.ts';
import { Ramfs } from './ramfs.ts';
import { Server } from './server.ts';
import { Tree, Feed, dir, feed, text } from './tree.ts';
import { linkPair } from '../transport/pair.ts';
import { dial, listen } from '../transport/net.ts';
import type { Listener } from '../transport/net.ts';
import type { FileServer } from './fileserver.ts';

function pairMount(fs: FileServer<unknown>, version: Dialect, uname = 'glenda', opts: { maxTags?: number } = {}): Promise<Fsys> {
  const [a, b] = linkPair();
  new Server(fs, opts).serve(a);
  return Fsys.mount(b, { version, uname, pipeline: true });
}

describe.each(['9P2000', '9P2000.L'] as const)('ramfs over the pair, %s', (version) => {
  it('creates, writes, reads, lists, renames and removes', async () => {
    const fsys = await pairMount(new Ramfs(), version);
    await fsys.mkdir('/d', 0o755);
    await fsys.writeFile('/d/f', 'hello, world\n');
    expect((await fsys.readFile('/d/f')).toString()).toBe('hello, world\n');
    const big = Buffer.alloc(3 << 20);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    await fsys.writeFile('/d/big', big);
    expect(Buffer.compare(await fsys.readFile('/d/big'), big)).toBe(0);
    expect((await fsys.readdir('/d')).map((d) => d.name).sort()).toEqual(['big', 'f']);
    const st = await fsys.stat('/d/f');
    expect(st.length).toBe(13);
    await fsys.wstat('/d/f', { name: 'g' });
    await expect(fsys.stat('/d/f')).rejects.toThrow('file does not exist');
    await fsys.remove('/d/g');
    await fsys.remove('/d/big');
    await fsys.remove('/d');
    expect(await fsys.readdir('/')).toEqual([]);
    fsys.close();
  });

  it('answers protocol errors with the Plan 9 strings', async () => {
    const fsys = await pairMount(new Ramfs(), version);
    const c = fsys.client;
    await fsys.mkdir('/d');
    const fid = c.allocFid();
    await c.rpc({ type: 'Twalk', fid: c.rootFid, newfid: fid, wname: ['d'] });
    await expect(c.rpc({ type: 'Twalk', fid: c.rootFid, newfid: fid, wname: [] })).rejects.toThrow(version === '9P2000' ? 'fid already in use' : 'unknown fid');
    await expect(c.rpc({ type: 'Tread', fid, offset: 0, count: 10 })).rejects.toThrow(version === '9P2000' ? 'fid not open' : 'unknown fid');
    const open = version === '9P2000' ? { type: 'Topen' as const, fid, mode: OWRITE } : { type: 'Tlopen' as const, fid, flags: 1 };
    await expect(c.rpc(open)).rejects.toThrow('is a directory');
    await expect(c.rpc({ type: 'Tclunk', fid: 4242 })).rejects.toThrow(version === '9P2000' ? 'unknown fid' : 'unknown fid');
    fsys.close();
  });
});

describe('framework checks (9P2000 wording)', () => {
  it('refuses double open, walking an open fid, bad directory offsets, and bad names', async () => {
    const fsys = await pairMount(new Ramfs(), '9P2000');
    const c = fsys.client;
    for (let i = 0; i < 5; i++) await fsys.writeFile(`/f${i}`, 'x');
    const fid = c.allocFid();
    await c.rpc({ type: 'Twalk', fid: c.rootFid, newfid: fid, wname: [] });
    await c.rpc({ type: 'Topen', fid, mode: OREAD });
    await expect(c.rpc({ type: 'Topen', fid, mode: OREAD })).rejects.toThrow('fid already open');
    await expect(c.rpc({ type: 'Twalk', fid, newfid: c.allocFid(), wname: ['f1'] })).rejects.toThrow('cannot walk an open fid');
    const r = await c.rpc({ type: 'Tread', fid, offset: 0, count: 80 });
    expect(r.data.length).toBeGreaterThan(0);
    await expect(c.rpc({ type: 'Tread', fid, offset: 3, count: 80 })).rejects.toThrow('bad offset');
    const tiny = await c.rpc({ type: 'Tread', fid, offset: 0, count: 10 });
    expect(tiny.data.length).toBe(0); // no room for one entry: an empty read, and the offset stays
    const rest = await c.rpc({ type: 'Tread', fid, offset: 0, count: 8000 });
    expect(rest.data.length).toBe(r.data.length * 5);
    const d = c.allocFid();
    await c.rpc({ type: 'Twalk', fid: c.rootFid, newfid: d, wname: [] });
    await expect(c.rpc({ type: 'Tcreate', fid: d, name: '..', perm: 0o644, mode: ORDWR })).rejects.toThrow('bad character in file name');
    await expect(c.rpc({ type: 'Tcreate', fid: d, name: 'x', perm: DMDIR | 0o755, mode: OWRITE })).rejects.toThrow('is a directory');
    const w = await c.rpc({ type: 'Twalk', fid: c.rootFid, newfid: c.allocFid(), wname: ['f1', 'nope'] });
    expect(w.wqid.length).toBe(1); // partial walk: Rwalk with the qids so far, newfid not made
    fsys.close();
  });

  it('checks permissions for the attaching user before the handler runs', async () => {
    const fs = new Ramfs();
    const owner = await pairMount(fs, '9P2000', 'glenda');
    await owner.writeFile('/secret', 'x', 0o600);
    await owner.writeFile('/public', 'y', 0o644);
    const other = await pairMount(fs, '9P2000', 'bob');
    await expect(other.readFile('/secret')).rejects.toThrow('permission denied');
    expect((await other.readFile('/public')).toString()).toBe('y');
    await expect(other.open('/public', OWRITE)).rejects.toThrow('permission denied');
    owner.close(); other.close();
  });

  it('negotiates versions: 9P2000.u downgrades, unknown versions are refused', async () => {
    for (const [ask, want] of [['9P2000.u', '9P2000'], ['9P2000.L', '9P2000.L'], ['9P1', 'unknown']]) {
      const [a, b] = linkPair();
      new Server(new Ramfs()).serve(a);
      const got = await new Promise<string>((resolve) => {
        b.start({ message: (f) => resolve(f.type === 'Rversion' ? f.version : f.type), badFrame: () => {}, close: () => {} });
        b.send({ type: 'Tversion', tag: 0xffff, msize: 8192, version: ask! });
      });
      expect(got).toBe(want);
      b.close();
    }
  });

  it('flushes a blocked read, and the session goes on', async () => {
    const events = new Feed({ keep: 16 });
    const tree = new Tree([feed('events', events), text('hello', 'hi\n')]);
    const fsys = await pairMount(tree, '9P2000');
    const f = await fsys.open('/events', OREAD);
    const ac = new AbortController();
    const pending = fsys.client.rpc({ type: 'Tread', fid: f.fid, offset: 0, count: 100 }, { signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    await expect(pending).rejects.toThrow('interrupted');
    events.push('boom\n');
    const r = await fsys.client.rpc({ type: 'Tread', fid: f.fid, offset: 0, count: 100 });
    expect(Buffer.from(r.data).toString()).toBe('boom\n');
    expect((await fsys.readFile('/hello')).toString()).toBe('hi\n');
    fsys.close();
  });

  it('bounds the tags in flight', async () => {
    const events = new Feed({ keep: 16 });
    const fsys = await pairMount(new Tree([feed('events', events)]), '9P2000', 'glenda', { maxTags: 4 });
    const fids = [];
    for (let i = 0; i < 5; i++) fids.push(await fsys.open('/events', OREAD));
    const reads = fids.map((f) => fsys.client.rpc({ type: 'Tread', fid: f.fid, offset: 0, count: 10 }).then(() => 'ok', (e: Error) => e.message));
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 4; i++) events.push(`e${i}\n`);
    const got = await Promise.race([Promise.all(reads), new Promise((r) => setTimeout(() => r('timeout'), 2000))]);
    expect(got).not.toBe('timeout');
    expect(got as string[]).toContain('too many requests in flight');
    fsys.close();
  });
});

describe('9P2000.L translation', () => {
  it('symlink, readlink, renameat across directories, unlinkat, getattr and statfs', async () => {
    const fsys = await pairMount(new Ramfs(), '9P2000.L');
    const c = fsys.client;
    await fsys.mkdir('/a'); await fsys.mkdir('/b');
    await fsys.writeFile('/a/f', '12345');
    const a = await fsys.walk('/a'), b = await fsys.walk('/b');
    await c.rpc({ type: 'Trenameat', olddirfid: a.fid, oldname: 'f', newdirfid: b.fid, newname: 'g' });
    expect((await fsys.readFile('/b/g')).toString()).toBe('12345');
    const s = await c.rpc({ type: 'Tsymlink', fid: b.fid, name: 'l', symtgt: '/b/g', gid: 0 });
    expect(s.qid.type & QTSYMLINK).toBeTruthy();
    const l = await fsys.walk('/b/l');
    expect((await c.rpc({ type: 'Treadlink', fid: l.fid })).target).toBe('/b/g');
    const ga = await c.rpc({ type: 'Tgetattr', fid: (await fsys.walk('/b/g')).fid, requestMask: 0x7ff });
    expect(ga.attr.size).toBe(5);
    expect(ga.attr.mode & 0o170000).toBe(0o100000);
    await expect(c.rpc({ type: 'Tunlinkat', dirfd: c.rootFid, name: 'b', flags: 0 })).rejects.toThrow('is a directory');
    await expect(c.rpc({ type: 'Tunlinkat', dirfd: c.rootFid, name: 'b', flags: 0x200 })).rejects.toThrow('directory is not empty');
    await c.rpc({ type: 'Tunlinkat', dirfd: c.rootFid, name: 'a', flags: 0x200 });
    const sf = await c.rpc({ type: 'Tstatfs', fid: c.rootFid });
    expect(sf.statfs.namelen).toBe(255);
    await expect(c.rpc({ type: 'Txattrwalk', fid: c.rootFid, newfid: c.allocFid(), name: 'user.x' })).rejects.toThrow('no data available');
    await expect(c.rpc({ type: 'Tmknod', dfid: c.rootFid, name: 'p', mode: 0o10644, major: 0, minor: 0, gid: 0 })).rejects.toThrow('operation not supported');
    expect((await c.rpc({ type: 'Tlock', fid: c.rootFid, lockType: 1, flags: 0, start: 0, length: 0, procId: 1, clientId: 'x' })).status).toBe(0);
    fsys.close();
  });
});

describe('over TCP', () => {
  let l: Listener;
  const server = new Server(new Ramfs());
  beforeAll(async () => { l = await listen('tcp!127.0.0.1!0', (link) => server.serve(link)); });
  afterAll(async () => { server.closeAll(); await l.close(); });

  it('serves many clients at once, each with pipelined requests', async () => {
    const clients = await Promise.all([0, 1, 2, 3].map(async (i) => Fsys.mount(await dial(l.address), { version: i % 2 ? '9P2000.L' : '9P2000', uname: 'glenda', pipeline: true })));
    await Promise.all(clients.map(async (f, i) => {
      for (let k = 0; k < 50; k++) await f.writeFile(`/c${i}-${k}`, `${i}:${k}`);
      for (let k = 0; k < 50; k++) expect((await f.readFile(`/c${i}-${k}`)).toString()).toBe(`${i}:${k}`);
    }));
    expect((await clients[0]!.readdir('/')).length).toBe(200);
    for (const c of clients) c.close();
  });

  it('a dropped connection clunks its fids and leaves the others serving', async () => {
    const a = await Fsys.mount(await dial(l.address), { version: '9P2000', uname: 'glenda' });
    const b = await Fsys.mount(await dial(l.address), { version: '9P2000', uname: 'glenda' });
    await a.open('/c0-0', OREAD);
    const before = server.sessions.size;
    a.client.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(server.sessions.size).toBe(before - 1);
    expect((await b.readFile('/c0-0')).toString()).toBe('0:0');
    b.close();
  });
});

describe('Tattach', () => {
  it('refuses auth fids (no authentication here)', async () => {
    const fsys = await pairMount(new Ramfs(), '9P2000');
    await expect(fsys.client.rpc({ type: 'Tauth', afid: 77, uname: 'x', aname: '' })).rejects.toThrow('authentication not required');
    await expect(fsys.client.rpc({ type: 'Tattach', fid: 78, afid: 77, uname: 'x', aname: '' })).rejects.toThrow('authentication not required');
    expect(NOFID).toBe(0xffffffff);
    fsys.close();
  });
});

void Client;
