import { Flight } from './session.ts';
import { describe, expect, it } from 'vitest';
import type { Req } from './fileserver.ts';
import {
  Ebadctl, Elinelong, Feed, MAXLINE, Rendez, Tree, TreeFid, ctl, dir, feed, file, gen, interruptible, readStr, session, text,
} from './tree.ts';
import type { Session, TreeNode } from './tree.ts';
import { nullDir } from '../9p/fcall.ts';
import { DMEXCL, DMDIR, OREAD, ORCLOSE, ORDWR, OWRITE, QTDIR, QTEXCL, QTFILE } from '../9p/constants.ts';
import { Ebadname, Eexist, Einterrupted, Einuse, Eisdir, Enoent, Enotdir, Enotopen, Eperm } from '../9p/errors.ts';

const req = (uname = 'glenda', signal = new AbortController().signal): Req => ({ uname, signal, dialect: '9P2000' });
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const str = (b: Uint8Array): string => new TextDecoder().decode(b);

/** The exact error string an operation throws or rejects with. */
async function errOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

/** Walk a path of names from the root. */
async function walk(t: Tree, path: string, uname = 'glenda'): Promise<TreeFid> {
  let fid = t.attach(uname, '', req(uname)).node;
  for (const name of path.split('/').filter((s) => s !== '')) fid = (await t.walk(fid, name, req(uname))).node;
  return fid;
}

async function open(t: Tree, path: string, mode = OREAD, uname = 'glenda'): Promise<TreeFid> {
  return (await t.open(await walk(t, path, uname), mode, req(uname))).node!;
}

async function readAll(t: Tree, fid: TreeFid): Promise<string> {
  let out = '', off = 0;
  for (;;) {
    const b = await t.read(fid, off, 5, req());
    if (b.length === 0) return out;
    out += str(b);
    off += b.length;
  }
}

async function cat(t: Tree, path: string): Promise<string> {
  const fid = await open(t, path);
  try {
    return await readAll(t, fid);
  } finally {
    await t.clunk(fid, req());
  }
}

/** A promise's state without waiting for it. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(() => { done = true; }, () => { done = true; });
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
}

describe('Tree static files and directories', () => {
  it('serves text files, static or generated per read from offset 0', async () => {
    let n = 0;
    const t = new Tree([text('version', 'cohesix 1\n'), text('count', () => `count ${++n} ${'x'.repeat(10)}\n`)]);
    expect(await cat(t, 'version')).toBe('cohesix 1\n');
    // one open reads one consistent snapshot across offsets
    expect(await cat(t, 'count')).toBe(`count 1 ${'x'.repeat(10)}\n`);
    expect(await cat(t, 'count')).toBe(`count 2 ${'x'.repeat(10)}\n`);
    const fid = await open(t, 'count');
    expect(str(await t.read(fid, 0, 7, req()))).toBe('count 3');
    expect(str(await t.read(fid, 6, 1, req()))).toBe('3');
    expect(str(await t.read(fid, 0, 7, req()))).toBe('count 4');
    expect(await errOf(() => t.write(fid, 0, bytes('x'), req()))).toBe(Eperm);
  });

  it('stats nodes with modes, owners, and qid paths stable per node', async () => {
    const t = new Tree(
      [dir('sub', [text('a', 'a')], { owner: 'adm', group: 'sys', mode: 0o750 }), text('b', 'b', { mode: 0o400 })],
      { owner: 'cuda', now: () => 77 },
    );
    const root = t.stat(await walk(t, ''), req());
    expect(root).toMatchObject({ name: '/', uid: 'cuda', gid: 'cuda', mode: (DMDIR | 0o555) >>> 0, atime: 77, mtime: 77 });
    expect(root.qid.type).toBe(QTDIR);
    const sub = t.stat(await walk(t, 'sub', 'adm'), req());
    expect(sub).toMatchObject({ name: 'sub', uid: 'adm', gid: 'sys', muid: 'adm', mode: (DMDIR | 0o750) >>> 0, length: 0 });
    const b = t.stat(await walk(t, 'b'), req());
    expect(b).toMatchObject({ name: 'b', uid: 'cuda', mode: 0o400 });
    expect(b.qid.type).toBe(QTFILE);
    const a1 = (await walk(t, 'sub/a', 'adm')).node, a2 = (await walk(t, 'sub/a', 'adm')).node;
    expect(t.qidOf(a1).path).toBe(t.qidOf(a2).path);
    const paths = new Set([root.qid.path, sub.qid.path, b.qid.path, t.qidOf(a1).path]);
    expect(paths.size).toBe(4);
  });

  it('walks by name, .. to the parent, and .. at the root stays there', async () => {
    const t = new Tree([dir('a', [dir('b', [text('f', '')])])]);
    const b = await walk(t, 'a/b');
    expect(b.node.name).toBe('b');
    expect((await t.walk(b, '..', req())).node.node.name).toBe('a');
    const root = await walk(t, '');
    const up = await t.walk(root, '..', req());
    expect(up.node.node).toBe(t.root);
    expect(up.qid.path).toBe(t.qidOf(t.root).path);
    expect(await errOf(() => walk(t, 'a/nope'))).toBe(Enoent);
    expect(await errOf(() => walk(t, 'a/b/f/x'))).toBe(Enotdir);
  });

  it('needs exec permission on a directory to walk it', async () => {
    const t = new Tree([dir('priv', [text('f', 'secret')], { owner: 'adm', mode: 0o700 })]);
    expect(await errOf(() => walk(t, 'priv/f', 'glenda'))).toBe(Eperm);
    expect((await walk(t, 'priv', 'glenda')).node.name).toBe('priv');
    const fid = await walk(t, 'priv/f', 'adm');
    expect(fid.node.name).toBe('f');
  });

  it('lists directories with readdir; files are not directories', async () => {
    const t = new Tree([text('a', ''), dir('d', []), ctl('ctl', { command: () => undefined })]);
    const ents = await t.readdir(await open(t, ''), req());
    expect(ents.map((d) => d.name)).toEqual(['a', 'd', 'ctl']);
    expect(ents[1]!.qid.type).toBe(QTDIR);
    expect(ents[2]!.mode).toBe(0o666);
    expect(await errOf(async () => t.readdir(await walk(t, 'a'), req()))).toBe(Enotdir);
    expect(await errOf(async () => t.read(await open(t, 'd'), 0, 10, req()))).toBe(Eisdir);
    expect(await errOf(async () => t.read(await walk(t, 'a'), 0, 10, req()))).toBe(Enotopen);
  });

  it('adds and drops children of a static directory at run time', async () => {
    const srv = dir('srv', []);
    const t = new Tree([srv]);
    srv.add(text('cohrole', 'QueenPrimary\n'));
    expect(await cat(t, 'srv/cohrole')).toBe('QueenPrimary\n');
    expect(() => srv.add(text('cohrole', ''))).toThrow(Eexist);
    srv.drop('cohrole');
    expect(await errOf(() => walk(t, 'srv/cohrole'))).toBe(Enoent);
  });
});

describe('Tree ctl files', () => {
  function counter() {
    const done: string[] = [];
    const t = new Tree([ctl('ctl', {
      status: () => `done ${done.length}\n`,
      command: (line, r) => {
        if (line === 'bad') throw new Error(Ebadctl);
        done.push(`${r.uname}:${line}`);
      },
    })]);
    return { t, done };
  }

  it('reads the status and runs each written line', async () => {
    const { t, done } = counter();
    expect(await cat(t, 'ctl')).toBe('done 0\n');
    const fid = await open(t, 'ctl', ORDWR);
    expect(await t.write(fid, 0, bytes('step\n  go fast \n\n'), req())).toBe(17);
    expect(done).toEqual(['glenda:step', 'glenda:go fast']);
    expect(str(await t.read(fid, 0, 100, req()))).toBe('done 2\n');
    await t.clunk(fid, req());
  });

  it('joins lines split across writes at increasing offsets, running the last one at clunk', async () => {
    const { t, done } = counter();
    const fid = await open(t, 'ctl', OWRITE);
    await t.write(fid, 0, bytes('lo'), req());
    expect(done).toEqual([]);
    await t.write(fid, 2, bytes('ad mlp\nst'), req());
    expect(done).toEqual(['glenda:load mlp']);
    await t.write(fid, 11, bytes('ep'), req());
    expect(done).toEqual(['glenda:load mlp']);
    await t.clunk(fid, req());
    expect(done).toEqual(['glenda:load mlp', 'glenda:step']);
  });

  it('fails the write with the handler error and drops the rest of that write', async () => {
    const { t, done } = counter();
    const fid = await open(t, 'ctl', OWRITE);
    expect(await errOf(() => t.write(fid, 0, bytes('one\nbad\ntwo\n'), req()))).toBe(Ebadctl);
    expect(done).toEqual(['glenda:one']);
    await t.write(fid, 12, bytes('three\n'), req());
    expect(done).toEqual(['glenda:one', 'glenda:three']);
    await t.write(fid, 18, bytes('bad'), req());
    expect(await errOf(() => t.clunk(fid, req()))).toBe(Ebadctl);
  });

  it('refuses an endless unterminated line', async () => {
    const { t } = counter();
    const fid = await open(t, 'ctl', OWRITE);
    const big = new Uint8Array(MAXLINE).fill(0x61);
    await t.write(fid, 0, big, req());
    expect(await errOf(() => t.write(fid, MAXLINE, bytes('a'), req()))).toBe(Elinelong);
  });

  it('serializes concurrent writes of one open', async () => {
    const order: string[] = [];
    const t = new Tree([ctl('ctl', {
      command: async (line) => { await new Promise((r) => setTimeout(r, line === 'slow' ? 20 : 0)); order.push(line); },
    })]);
    const fid = await open(t, 'ctl', OWRITE);
    await Promise.all([t.write(fid, 0, bytes('slow\n'), req()), t.write(fid, 5, bytes('fast\n'), req())]);
    expect(order).toEqual(['slow', 'fast']);
  });
});

describe('Tree callback files and sessions', () => {
  it('serves stateless read/write handlers with modes from the handlers', async () => {
    let value = 'v0';
    const t = new Tree([
      file('rw', {
        read: (off, count) => readStr(`${value}\n`, off, count),
        write: (_off, data) => { value = str(data).trim(); },
      }),
      file('ro', { read: () => 'abcdefgh' }),
      file('wo', { write: () => 2 }),
    ]);
    const modes = (await t.readdir(await open(t, ''), req())).map((d) => d.mode);
    expect(modes).toEqual([0o666, 0o444, 0o222]);
    const rw = await open(t, 'rw', ORDWR);
    expect(await t.write(rw, 0, bytes('v1\n'), req())).toBe(3);
    expect(await cat(t, 'rw')).toBe('v1\n');
    const ro = await open(t, 'ro');
    expect(str(await t.read(ro, 0, 3, req()))).toBe('abc'); // cut to count
    expect(await errOf(() => t.write(ro, 0, bytes('x'), req()))).toBe(Eperm);
    const wo = await open(t, 'wo', OWRITE);
    expect(await t.write(wo, 0, bytes('xyz'), req())).toBe(2);
    expect(await errOf(() => t.read(wo, 0, 1, req()))).toBe(Eperm);
  });

  it('gives every open its own session, clunked at the end', async () => {
    const events: string[] = [];
    const t = new Tree([session('infer', (mode, r) => {
      let input = '';
      events.push(`open ${r.uname} ${mode}`);
      return {
        write: (_off, data) => { input += str(data); },
        read: (off, count) => readStr(input.toUpperCase(), off, count),
        clunk: () => { events.push(`clunk ${input}`); },
      } satisfies Session;
    })]);
    const a = await open(t, 'infer', ORDWR), b = await open(t, 'infer', ORDWR, 'rob');
    await t.write(a, 0, bytes('hello'), req());
    await t.write(b, 0, bytes('other'), req('rob'));
    expect(str(await t.read(a, 0, 100, req()))).toBe('HELLO');
    expect(str(await t.read(b, 0, 100, req()))).toBe('OTHER');
    await t.clunk(a, req());
    await t.clunk(a, req()); // only once
    await t.clunk(b, req());
    expect(events).toEqual([`open glenda ${ORDWR}`, `open rob ${ORDWR}`, 'clunk hello', 'clunk other']);
  });

  it('blocks reads until data arrives, and ends them with Einterrupted when the request is flushed', async () => {
    const t = new Tree([session('infer', () => {
      let out: string | undefined;
      const ready = new Rendez();
      return {
        write: (_off, data) => { out = `result(${str(data)})`; ready.wakeup(); },
        read: async (off, count, r) => { await ready.sleep(r.signal, () => out !== undefined); return readStr(out!, off, count); },
      };
    })]);
    const fid = await open(t, 'infer', ORDWR);
    const pending = t.read(fid, 0, 100, req());
    expect(await settled(pending)).toBe(false);
    await t.write(fid, 0, bytes('x'), req());
    expect(str(await pending)).toBe('result(x)');
    const other = await open(t, 'infer', ORDWR);
    const ac = new AbortController();
    const blocked = t.read(other, 0, 100, req('glenda', ac.signal));
    expect(await settled(blocked)).toBe(false);
    ac.abort();
    expect(await errOf(() => blocked)).toBe(Einterrupted);
    expect(await errOf(() => t.read(other, 0, 100, req('glenda', ac.signal)))).toBe(Einterrupted);
  });

  it('reports opener errors and keeps DMEXCL files to one open at a time', async () => {
    let fail = true;
    const t = new Tree([
      session('flaky', () => { if (fail) throw new Error(Enoent); return {}; }, { mode: DMEXCL | 0o666 }),
      text('lock', 'x', { mode: DMEXCL | 0o444 }),
    ]);
    expect(t.qidOf((await walk(t, 'lock')).node).type).toBe(QTEXCL);
    const a = await open(t, 'lock');
    expect(await errOf(() => open(t, 'lock'))).toBe(Einuse);
    await t.clunk(await walk(t, 'lock'), req()); // an unopened fid releases nothing
    expect(await errOf(() => open(t, 'lock'))).toBe(Einuse);
    await t.clunk(a, req());
    await t.clunk(await open(t, 'lock'), req());
    expect(await errOf(() => open(t, 'flaky', ORDWR))).toBe(Enoent);
    fail = false;
    const b = await open(t, 'flaky', ORDWR); // the failed open did not count
    expect(await errOf(() => open(t, 'flaky', ORDWR))).toBe(Einuse);
    await t.clunk(b, req());
  });
});

describe('Tree feeds', () => {
  it('streams records pushed after open, one per read, blocking between them', async () => {
    const events = new Feed();
    events.push('before\n');
    const t = new Tree([feed('events', events)]);
    const fid = await open(t, 'events');
    expect(events.readers).toBe(1);
    events.push('one\n');
    events.push('two\n');
    expect(str(await t.read(fid, 0, 100, req()))).toBe('one\n');
    expect(str(await t.read(fid, 4, 2, req()))).toBe('tw');
    expect(str(await t.read(fid, 6, 100, req()))).toBe('o\n');
    const next = t.read(fid, 8, 100, req());
    expect(await settled(next)).toBe(false);
    events.push('three\n');
    expect(str(await next)).toBe('three\n');
    const ac = new AbortController();
    const stuck = t.read(fid, 14, 100, req('glenda', ac.signal));
    ac.abort();
    expect(await errOf(() => stuck)).toBe(Einterrupted);
    events.end();
    expect((await t.read(fid, 14, 100, req())).length).toBe(0);
    await t.clunk(fid, req());
    expect(events.readers).toBe(0);
  });

  it('replays kept history to new readers and drops the oldest records of slow readers', async () => {
    const log = new Feed({ keep: 8, backlog: 9 });
    log.push('aaaa');
    log.push('bbbb');
    log.push('cccc');
    const r = log.open();
    expect(r.pending).toBe(8);
    expect(str(await r.read(100, new AbortController().signal))).toBe('bbbb');
    log.push('dddd');
    log.push('eeee'); // past the backlog of 9: cccc is dropped
    expect(r.pending).toBe(8);
    expect(str(await r.read(100, new AbortController().signal))).toBe('dddd');
    r.close();
    expect(log.readers).toBe(0);
    expect((await r.read(100, new AbortController().signal)).length).toBe(0);
    log.end();
    const late = log.open();
    expect(str(await late.read(100, new AbortController().signal))).toBe('dddd');
    expect(str(await late.read(100, new AbortController().signal))).toBe('eeee');
    expect((await late.read(100, new AbortController().signal)).length).toBe(0);
  });

  it('interruptible ends a wait with Einterrupted', async () => {
    const ac = new AbortController();
    const p = interruptible(new Promise<number>(() => undefined), ac.signal);
    ac.abort();
    expect(await errOf(() => p)).toBe(Einterrupted);
    expect(await interruptible(Promise.resolve(5), new AbortController().signal)).toBe(5);
  });

  it('interruptible takes a request: its onAbort when it has one (no signal made), else its signal', async () => {
    const fl = new Flight();
    let signalAsked = 0;
    const req = { get signal() { signalAsked++; return fl.signal; }, onAbort: (cb: () => void) => fl.onAbort(cb) };
    const p = interruptible(new Promise<number>(() => undefined), req);
    fl.abort(new Error('flushed'));
    expect(await errOf(() => p)).toBe(Einterrupted);
    expect(signalAsked).toBe(0);
    const done = new Flight();
    expect(await interruptible(Promise.resolve(7), { signal: done.signal, onAbort: (cb) => done.onAbort(cb) })).toBe(7);
    done.abort('late'); // after the wait: nothing left listening, nothing thrown
    const ac = new AbortController();
    const q = interruptible(new Promise<number>(() => undefined), { signal: ac.signal });
    ac.abort();
    expect(await errOf(() => q)).toBe(Einterrupted);
  });
});

describe('Tree generated directories', () => {
  it('lists children on demand, keeping their qids while they stay listed', async () => {
    const procs = new Map<string, string>([['1', 'init'], ['7', 'rc']]);
    let made = 0;
    const t = new Tree([gen('proc', {
      list: () => procs.keys(),
      make: (pid) => { made++; return dir(pid, [text('status', () => `${pid} ${procs.get(pid) ?? 'gone'}\n`)]); },
    })]);
    expect((await t.readdir(await open(t, 'proc'), req())).map((d) => d.name)).toEqual(['1', '7']);
    expect(await cat(t, 'proc/7/status')).toBe('7 rc\n');
    const q1 = t.qidOf((await walk(t, 'proc/7')).node);
    const q2 = t.qidOf((await walk(t, 'proc/7')).node);
    expect(q2.path).toBe(q1.path);
    expect(q1.type).toBe(QTDIR);
    expect(made).toBe(2);
    const seven = await walk(t, 'proc/7');
    expect((await t.walk(seven, '..', req())).node.node.name).toBe('proc');
    procs.delete('7');
    expect(await errOf(() => walk(t, 'proc/7'))).toBe(Enoent);
    expect((await t.readdir(await open(t, 'proc'), req())).map((d) => d.name)).toEqual(['1']);
    procs.set('7', 'acme');
    const q3 = t.qidOf((await walk(t, 'proc/7')).node);
    expect(q3.path).not.toBe(q1.path); // a new process is a new file
    expect(await cat(t, 'proc/7/status')).toBe('7 acme\n');
  });

  it('treats make returning undefined as a missing child', async () => {
    const t = new Tree([gen('g', { list: async () => ['a', 'b'], make: (n): TreeNode | undefined => (n === 'a' ? text(n, 'A') : undefined) })]);
    expect(await cat(t, 'g/a')).toBe('A');
    expect(await errOf(() => walk(t, 'g/b'))).toBe(Enoent);
    expect(await errOf(() => walk(t, 'g/c'))).toBe(Enoent);
    expect((await t.readdir(await open(t, 'g'), req())).map((d) => d.name)).toEqual(['a']);
  });
});

describe('Tree create, remove and wstat', () => {
  function srv() {
    const removed: string[] = [];
    const posted = dir('srv', [], {
      create: (name, perm, r) => text(name, `${name} by ${r.uname} perm ${perm.toString(8)}\n`, {
        owner: r.uname, remove: (rr) => { removed.push(`${name} by ${rr.uname}`); },
      }),
    });
    const t = new Tree([posted, text('fixed', 'x'), dir('ro', [], { create: () => text('x', '') , mode: 0o555 })]);
    return { t, removed };
  }

  it('creates through the directory hook and opens the new node', async () => {
    const { t } = srv();
    const e = await t.create(await walk(t, 'srv'), 'cuda', 0o644, OREAD, req('rob'));
    expect(e.node.omode).toBe(OREAD);
    expect(e.node.session).toBeDefined();
    expect(str(await t.read(e.node, 0, 100, req('rob')))).toBe('cuda by rob perm 644\n');
    expect(t.stat(await walk(t, 'srv/cuda'), req()).uid).toBe('rob');
    expect(await errOf(async () => t.create(await walk(t, 'srv'), 'cuda', 0o644, OREAD, req()))).toBe(Eexist);
    expect(await errOf(async () => t.create(await walk(t, 'srv'), 'a/b', 0o644, OREAD, req()))).toBe(Ebadname);
    expect(await errOf(async () => t.create(await walk(t, ''), 'new', 0o644, OREAD, req()))).toBe(Eperm);
    expect(await errOf(async () => t.create(await walk(t, 'ro'), 'new', 0o644, OREAD, req()))).toBe(Eperm);
    expect(await errOf(async () => t.create(await walk(t, 'fixed'), 'new', 0o644, OREAD, req()))).toBe(Enotdir);
  });

  it('removes through the node hook, and only there', async () => {
    const { t, removed } = srv();
    await t.clunk((await t.create(await walk(t, 'srv'), 'a', 0o644, OREAD, req())).node, req());
    const a = await walk(t, 'srv/a');
    await t.remove(a, req('rob'));
    expect(removed).toEqual(['a by rob']);
    expect(await errOf(() => walk(t, 'srv/a'))).toBe(Enoent);
    expect(await errOf(() => t.remove(a, req()))).toBe(Enoent);
    expect(await errOf(async () => t.remove(await walk(t, 'fixed'), req()))).toBe(Eperm);
    expect(await errOf(async () => t.remove(await walk(t, ''), req()))).toBe(Eperm);
  });

  it('removes ORCLOSE files at clunk, where a remove hook allows it', async () => {
    const { t, removed } = srv();
    const e = await t.create(await walk(t, 'srv'), 'tmp', 0o644, OREAD | ORCLOSE, req());
    expect(await cat(t, 'srv/tmp')).toContain('tmp by glenda');
    await t.clunk(e.node, req());
    expect(removed).toEqual(['tmp by glenda']);
    expect(await errOf(() => walk(t, 'srv/tmp'))).toBe(Enoent);
    expect(await errOf(() => open(t, 'fixed', OREAD | ORCLOSE))).toBe(Eperm);
  });

  it('accepts only no-op wstats and file lengths', async () => {
    const { t } = srv();
    const f = await walk(t, 'fixed');
    t.wstat(f, nullDir(), req());
    t.wstat(f, { ...nullDir(), length: 0 }, req());
    t.wstat(f, { ...t.stat(f, req()) }, req());
    expect(await errOf(() => t.wstat(f, { ...nullDir(), mode: 0o777 }, req()))).toBe(Eperm);
    expect(await errOf(() => t.wstat(f, { ...nullDir(), name: 'other' }, req()))).toBe(Eperm);
    expect(await errOf(async () => t.wstat(await walk(t, 'srv'), { ...nullDir(), length: 5 }, req()))).toBe(Eperm);
  });
});
