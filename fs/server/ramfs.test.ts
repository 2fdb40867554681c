import { describe, expect, it } from 'vitest';
import type { Req } from './fileserver.ts';
import { Ramfs, RamHandle, V9FS_MAGIC, ramUsage } from './ramfs.ts';
import type { RamfsOptions } from './ramfs.ts';
import { nullDir } from '../9p/fcall.ts';
import type { Dir } from '../9p/fcall.ts';
import {
  DMAPPEND, DMDIR, DMEXCL, DMSYMLINK, OREAD, ORCLOSE, ORDWR, OTRUNC, OWRITE, QTAPPEND, QTDIR, QTEXCL, QTFILE, QTSYMLINK,
} from '../9p/constants.ts';
import {
  Ebadname, Ebadwstat, Edirchange, Eexist, Einuse, Einval, Eisdir, Enoent, Enospace, Enotdir, Enotempty, Enotsup, Eperm,
  Etoobig, Etoolong,
} from '../9p/errors.ts';

const req = (uname = 'glenda'): Req => ({ uname, signal: new AbortController().signal, dialect: '9P2000' });
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const str = (b: Uint8Array): string => new TextDecoder().decode(b);

/** The exact error string fn throws. */
function errOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

function setup(opts: RamfsOptions = {}) {
  const clock = { t: 1000 };
  const fs = new Ramfs({ now: () => clock.t, ...opts });
  const root = fs.attach('glenda', '', req()).node;
  const mk = (dir: RamHandle, name: string, perm = 0o644, uname = 'glenda'): RamHandle => {
    const h = fs.create(dir, name, perm, perm & DMDIR ? OREAD : ORDWR, req(uname)).node;
    fs.clunk(h, req(uname));
    return fs.walk(dir, name, req(uname)).node;
  };
  const put = (h: RamHandle, s: string, off = 0, uname = 'glenda'): number => fs.write(h, off, bytes(s), req(uname));
  const get = (h: RamHandle, off = 0, n = 1 << 20): string => str(fs.read(h, off, n, req()));
  const wstat = (h: RamHandle, d: Partial<Dir>, uname = 'glenda'): void => fs.wstat(h, { ...nullDir(), ...d }, req(uname));
  return { fs, root, clock, mk, put, get, wstat };
}

describe('Ramfs attach and walk', () => {
  it('serves a root directory with the configured owner, group and mode', () => {
    const fs = new Ramfs({ owner: 'adm', group: 'sys', rootMode: 0o755 });
    const e = fs.attach('glenda', '', req());
    expect(e.qid.type).toBe(QTDIR);
    const d = fs.stat(e.node, req());
    expect(d).toMatchObject({ name: '/', uid: 'adm', gid: 'sys', mode: (DMDIR | 0o755) >>> 0, length: 0 });
    const dflt = new Ramfs();
    expect(dflt.stat(dflt.attach('x', '', req()).node, req())).toMatchObject({ uid: 'none', gid: 'none', mode: (DMDIR | 0o777) >>> 0 });
  });

  it('walks down and back up; .. at the root stays at the root', () => {
    const { fs, root, mk } = setup();
    const a = mk(root, 'a', DMDIR | 0o755);
    const b = mk(a, 'b', DMDIR | 0o755);
    expect(fs.walk(b, '..', req()).node.file).toBe(a.file);
    expect(fs.walk(a, '..', req()).node.file).toBe(fs.root);
    expect(fs.walk(root, '..', req()).node.file).toBe(fs.root);
    expect(fs.walk(root, '..', req()).qid.path).toBe(fs.root.qid.path);
  });

  it('answers Enoent for a missing name, Enotdir from a file, Eperm without exec on the directory', () => {
    const { fs, root, mk } = setup();
    expect(errOf(() => fs.walk(root, 'nope', req()))).toBe(Enoent);
    const f = mk(root, 'f');
    expect(errOf(() => fs.walk(f, 'x', req()))).toBe(Enotdir);
    const priv = mk(root, 'priv', DMDIR | 0o700);
    mk(priv, 'inside');
    expect(fs.walk(priv, 'inside', req('glenda')).qid.type).toBe(QTFILE);
    expect(errOf(() => fs.walk(priv, 'inside', req('rob')))).toBe(Eperm);
    expect(errOf(() => fs.walk(priv, '..', req('rob')))).toBe(Eperm);
    // group bits apply to members of the group
    const grp = setup({ group: 'staff', inGroup: (u, g) => u === g || (g === 'staff' && u === 'rob') });
    const gdir = grp.mk(grp.root, 'g', DMDIR | 0o710);
    grp.mk(gdir, 'x');
    expect(grp.fs.walk(gdir, 'x', req('rob')).qid.type).toBe(QTFILE);
    expect(errOf(() => grp.fs.walk(gdir, 'x', req('ken')))).toBe(Eperm);
  });
});

describe('Ramfs create', () => {
  it('makes files owned by the creating user in the directory group, with unique qid paths', () => {
    const { fs, root, mk } = setup({ group: 'sys' });
    const f = fs.create(root, 'f', 0o640, OWRITE, req('rob'));
    expect(f.qid.type).toBe(QTFILE);
    expect(f.node.omode).toBe(OWRITE);
    expect(fs.stat(f.node, req())).toMatchObject({ name: 'f', uid: 'rob', gid: 'sys', muid: 'rob', mode: 0o640, length: 0 });
    const d = fs.create(root, 'd', DMDIR | 0o755, OREAD, req());
    expect(d.qid.type).toBe(QTDIR);
    const paths = new Set([fs.root.qid.path, f.qid.path, d.qid.path]);
    for (let i = 0; i < 50; i++) paths.add(mk(root, `n${i}`).file.qid.path);
    expect(paths.size).toBe(53);
  });

  it('bumps the directory version and mtime', () => {
    const { fs, root, mk, clock } = setup();
    const v = fs.stat(root, req()).qid.version;
    clock.t = 2000;
    mk(root, 'f');
    const d = fs.stat(root, req());
    expect(d.qid.version).toBeGreaterThan(v);
    expect(d.mtime).toBe(2000);
  });

  it('refuses duplicates, bad names, long names, non-directories, removed directories, and no write permission', () => {
    const { fs, root, mk } = setup();
    const f = mk(root, 'f');
    expect(errOf(() => fs.create(root, 'f', 0o644, OWRITE, req()))).toBe(Eexist);
    for (const bad of ['', '.', '..', 'a/b']) expect(errOf(() => fs.create(root, bad, 0o644, OWRITE, req()))).toBe(Ebadname);
    expect(errOf(() => fs.create(root, 'x'.repeat(256), 0o644, OWRITE, req()))).toBe(Etoolong);
    expect(errOf(() => fs.create(root, 'x'.repeat(255), 0o644, OWRITE, req()))).toBe('no error');
    expect(errOf(() => fs.create(f, 'x', 0o644, OWRITE, req()))).toBe(Enotdir);
    const ro = mk(root, 'ro', DMDIR | 0o755);
    expect(errOf(() => fs.create(ro, 'x', 0o644, OWRITE, req('rob')))).toBe(Eperm);
    const gone = mk(root, 'gone', DMDIR | 0o777);
    fs.remove(gone, req());
    expect(errOf(() => fs.create(gone, 'x', 0o644, OWRITE, req()))).toBe(Enoent);
  });

  it('refuses past maxFiles with Enospace', () => {
    const { fs, root, mk } = setup({ maxFiles: 3 });
    mk(root, 'a');
    mk(root, 'b');
    expect(errOf(() => fs.create(root, 'c', 0o644, OWRITE, req()))).toBe(Enospace);
  });
});

describe('Ramfs read and write', () => {
  it('reads back what was written, updating times, muid and version', () => {
    const { fs, root, mk, put, get, clock } = setup();
    const f = mk(root, 'f');
    const v0 = f.file.qid.version;
    clock.t = 1500;
    expect(put(f, 'hello, world', 0, 'rob')).toBe(12);
    expect(get(f)).toBe('hello, world');
    expect(get(f, 7, 3)).toBe('wor');
    expect(get(f, 12)).toBe('');
    expect(get(f, 100)).toBe('');
    const d = fs.stat(f, req());
    expect(d).toMatchObject({ length: 12, mtime: 1500, muid: 'rob' });
    expect(d.qid.version).toBe(v0 + 1);
    put(f, 'W', 7);
    expect(get(f)).toBe('hello, World');
    expect(fs.stat(f, req()).qid.version).toBe(v0 + 2);
    clock.t = 1600;
    get(f);
    expect(fs.stat(f, req()).atime).toBe(1600);
    expect(fs.stat(f, req()).mtime).toBe(1500);
  });

  it('returns copies, not views of the file', () => {
    const { root, mk, put, fs } = setup();
    const f = mk(root, 'f');
    put(f, 'abc');
    const b = fs.read(f, 0, 3, req());
    put(f, 'xyz');
    expect(str(b)).toBe('abc');
  });

  it('fills holes with zeros, also after shrinking and growing', () => {
    const { fs, root, mk, put, wstat } = setup();
    const f = mk(root, 'f');
    put(f, 'x', 4);
    expect([...fs.read(f, 0, 10, req())]).toEqual([0, 0, 0, 0, 0x78]);
    put(f, 'abcdef', 0);
    wstat(f, { length: 2 });
    wstat(f, { length: 6 });
    expect([...fs.read(f, 0, 10, req())]).toEqual([0x61, 0x62, 0, 0, 0, 0]);
    put(f, 'Z', 8);
    expect([...fs.read(f, 0, 10, req())]).toEqual([0x61, 0x62, 0, 0, 0, 0, 0, 0, 0x5a]);
  });

  it('holds multi-megabyte files written in chunks with amortized growth', () => {
    const { fs, root, mk } = setup();
    const f = mk(root, 'big');
    const chunk = new Uint8Array(64 * 1024);
    let grows = 0, last = f.file.data;
    for (let i = 0; i < 256; i++) {
      chunk.fill(i & 0xff);
      fs.write(f, i * chunk.length, chunk, req());
      if (f.file.data !== last) { grows++; last = f.file.data; }
    }
    expect(fs.stat(f, req()).length).toBe(16 * 1024 * 1024);
    expect(grows).toBeLessThanOrEqual(14); // doubling: 64K..16M, not one copy per write
    const mib = new Uint8Array(1 << 20).fill(7);
    for (let i = 0; i < 4; i++) fs.write(f, 16 * 1024 * 1024 + i * mib.length, mib, req());
    expect(fs.stat(f, req()).length).toBe(20 * 1024 * 1024);
    const back = fs.read(f, 100 * 64 * 1024, 64 * 1024, req());
    expect(back.length).toBe(64 * 1024);
    expect(back.every((b) => b === 100)).toBe(true);
    expect(fs.read(f, 17 * 1024 * 1024, 10, req()).every((b) => b === 7)).toBe(true);
  });

  it('answers Etoobig past maxFileSize and Enospace past capacity', () => {
    const { root, mk, put } = setup({ maxFileSize: 10, capacity: 15 });
    const f = mk(root, 'f');
    expect(put(f, '0123456789')).toBe(10);
    expect(errOf(() => put(f, 'x', 10))).toBe(Etoobig);
    const g = mk(root, 'g');
    expect(put(g, '01234')).toBe(5);
    expect(errOf(() => put(g, 'x', 5))).toBe(Enospace);
    expect(put(g, 'abcde', 0)).toBe(5); // overwriting needs no space
  });

  it('appends to DMAPPEND files whatever the offset', () => {
    const { fs, root, mk, put, get } = setup();
    const f = mk(root, 'log', DMAPPEND | 0o666);
    expect(f.file.qid.type).toBe(QTAPPEND);
    put(f, 'one ');
    put(f, 'two ', 0);
    put(f, 'three', 1);
    expect(get(f)).toBe('one two three');
    expect(fs.stat(f, req()).mode).toBe((DMAPPEND | 0o666) >>> 0);
  });

  it('refuses reads and writes of directories', () => {
    const { fs, root } = setup();
    expect(errOf(() => fs.read(root, 0, 10, req()))).toBe(Eisdir);
    expect(errOf(() => fs.write(root, 0, bytes('x'), req()))).toBe(Eisdir);
    const f = fs.create(root, 'f', 0o644, OWRITE, req()).node;
    expect(errOf(() => fs.readdir(f, req()))).toBe(Enotdir);
  });
});

describe('Ramfs readdir', () => {
  it('lists the children, without . and ..', () => {
    const { fs, root, mk, put } = setup();
    const f = mk(root, 'f');
    put(f, 'abc');
    mk(root, 'd', DMDIR | 0o755);
    const ents = fs.readdir(root, req());
    expect(ents.map((d) => d.name).sort()).toEqual(['d', 'f']);
    expect(ents.find((d) => d.name === 'f')).toMatchObject({ length: 3, uid: 'glenda' });
    expect(ents.find((d) => d.name === 'd')!.qid.type).toBe(QTDIR);
    expect(fs.readdir(fs.walk(root, 'd', req()).node, req())).toEqual([]);
  });
});

describe('Ramfs open', () => {
  it('truncates with OTRUNC, bumping the version', () => {
    const { fs, root, mk, put, get } = setup();
    const f = mk(root, 'f');
    put(f, 'contents');
    const v = f.file.qid.version;
    const o = fs.open(f, OWRITE | OTRUNC, req());
    expect(o.qid!.version).toBeGreaterThan(v);
    expect(get(f)).toBe('');
    expect(fs.stat(f, req()).length).toBe(0);
    expect(fs.usage().bytes).toBe(0);
  });

  it('returns a per-open handle that stat, read and write accept', () => {
    const { fs, root, mk, put } = setup();
    const f = mk(root, 'f');
    put(f, 'abc');
    const o = fs.open(f, ORDWR, req()).node!;
    expect(o).not.toBe(f);
    expect(o.file).toBe(f.file);
    expect(o.omode).toBe(ORDWR);
    expect(str(fs.read(o, 0, 10, req()))).toBe('abc');
    fs.write(o, 3, bytes('d'), req());
    expect(fs.stat(o, req()).length).toBe(4);
    fs.clunk(o, req());
    expect(f.file.opens).toBe(0);
  });

  it('gives DMEXCL files to one open at a time', () => {
    const { fs, root, mk } = setup();
    const f = mk(root, 'lock', DMEXCL | 0o666);
    expect(f.file.qid.type).toBe(QTEXCL);
    const a = fs.open(f, OREAD, req()).node!;
    expect(errOf(() => fs.open(f, OREAD, req('rob')))).toBe(Einuse);
    fs.clunk(a, req());
    fs.clunk(a, req()); // a second clunk of the same handle releases nothing more
    const b = fs.open(f, OREAD, req('rob')).node!;
    expect(errOf(() => fs.open(f, OREAD, req()))).toBe(Einuse);
    fs.clunk(b, req());
    // create counts as the first open
    const c = fs.create(root, 'new', DMEXCL | 0o666, ORDWR, req());
    const walked = fs.walk(root, 'new', req()).node;
    expect(errOf(() => fs.open(walked, OREAD, req()))).toBe(Einuse);
    fs.clunk(walked, req()); // clunking an unopened fid releases nothing
    expect(errOf(() => fs.open(walked, OREAD, req()))).toBe(Einuse);
    fs.clunk(c.node, req());
    expect(errOf(() => fs.open(walked, OREAD, req()))).toBe('no error');
  });

  it('removes ORCLOSE files when the open fid is clunked', () => {
    const { fs, root, mk } = setup();
    const f = mk(root, 'tmp');
    const o = fs.open(f, OREAD | ORCLOSE, req()).node!;
    expect(fs.walk(root, 'tmp', req()).node.file).toBe(f.file);
    fs.clunk(o, req());
    expect(errOf(() => fs.walk(root, 'tmp', req()))).toBe(Enoent);
    const c = fs.create(root, 'tmp2', 0o644, ORDWR | ORCLOSE, req()).node;
    fs.clunk(c, req());
    expect(errOf(() => fs.walk(root, 'tmp2', req()))).toBe(Enoent);
    expect(fs.usage().files).toBe(1);
  });

  it('needs write permission in the parent for ORCLOSE', () => {
    const { fs, root, mk } = setup();
    const d = mk(root, 'd', DMDIR | 0o755);
    const f = mk(d, 'f', 0o666);
    expect(errOf(() => fs.open(f, OREAD | ORCLOSE, req('rob')))).toBe(Eperm);
    expect(errOf(() => fs.open(root, OREAD | ORCLOSE, req()))).toBe(Eperm);
    expect(f.file.opens).toBe(0);
  });
});

describe('Ramfs remove', () => {
  it('removes files and empty directories, needing write permission in the parent', () => {
    const { fs, root, mk } = setup();
    const d = mk(root, 'd', DMDIR | 0o755);
    const f = mk(d, 'f', 0o666);
    expect(errOf(() => fs.remove(f, req('rob')))).toBe(Eperm);
    expect(errOf(() => fs.remove(d, req()))).toBe(Enotempty);
    const v = d.file.qid.version;
    fs.remove(f, req());
    expect(d.file.qid.version).toBeGreaterThan(v);
    expect(errOf(() => fs.remove(f, req()))).toBe(Enoent);
    fs.remove(d, req());
    expect(fs.readdir(root, req())).toEqual([]);
    expect(errOf(() => fs.remove(root, req()))).toBe(Eperm);
  });

  it('keeps removed files working through fids that hold them', () => {
    const { fs, root, mk, put } = setup();
    const f = mk(root, 'f');
    put(f, 'data');
    const o = fs.open(f, ORDWR, req()).node!;
    fs.remove(f, req());
    expect(errOf(() => fs.walk(root, 'f', req()))).toBe(Enoent);
    expect(str(fs.read(o, 0, 10, req()))).toBe('data');
    fs.write(o, 4, bytes('more'), req());
    expect(str(fs.read(o, 0, 10, req()))).toBe('datamore');
    expect(fs.stat(o, req()).length).toBe(8);
    expect(fs.usage()).toEqual({ files: 1, bytes: 0 });
    fs.clunk(o, req());
    // a new file of the same name is a different file
    const g = mk(root, 'f');
    expect(g.file.qid.path).not.toBe(f.file.qid.path);
  });
});

describe('Ramfs wstat', () => {
  it('accepts a null wstat as a no-op', () => {
    const { fs, root, mk, put } = setup();
    const f = mk(root, 'f');
    put(f, 'x');
    const before = fs.stat(f, req());
    fs.wstat(f, nullDir(), req('rob'));
    expect(fs.stat(f, req())).toEqual(before);
  });

  it('lets the owner change mode and mtime, bumping the version; others get Eperm', () => {
    const { fs, root, mk, wstat } = setup();
    const f = mk(root, 'f', 0o644);
    const v = f.file.qid.version;
    wstat(f, { mode: 0o600 | DMAPPEND, mtime: 42, atime: 41 });
    expect(fs.stat(f, req())).toMatchObject({ mode: (0o600 | DMAPPEND) >>> 0, mtime: 42, atime: 41 });
    expect(f.file.qid.type).toBe(QTAPPEND);
    expect(f.file.qid.version).toBeGreaterThan(v);
    expect(errOf(() => wstat(f, { mode: 0o666 }, 'rob'))).toBe(Eperm);
    expect(errOf(() => wstat(f, { mtime: 1 }, 'rob'))).toBe(Eperm);
    expect(errOf(() => wstat(f, { mode: DMDIR | 0o755 }))).toBe(Edirchange);
    const d = mk(root, 'd', DMDIR | 0o755);
    expect(errOf(() => wstat(d, { mode: 0o755 }))).toBe(Edirchange);
    wstat(d, { mode: DMDIR | 0o700 });
    expect(fs.stat(d, req()).mode).toBe((DMDIR | 0o700) >>> 0);
  });

  it('renames within the directory with write permission there, refusing existing and bad names', () => {
    const { fs, root, mk, wstat } = setup();
    const f = mk(root, 'f');
    mk(root, 'g');
    wstat(f, { name: 'h' });
    expect(fs.walk(root, 'h', req()).node.file).toBe(f.file);
    expect(errOf(() => fs.walk(root, 'f', req()))).toBe(Enoent);
    expect(fs.stat(f, req()).name).toBe('h');
    expect(errOf(() => wstat(f, { name: 'g' }))).toBe(Eexist);
    expect(errOf(() => wstat(f, { name: 'a/b' }))).toBe(Ebadname);
    expect(errOf(() => wstat(f, { name: '..' }))).toBe(Ebadname);
    expect(errOf(() => wstat(root, { name: 'x' }))).toBe(Eperm);
    const ro = mk(root, 'ro', DMDIR | 0o755);
    const mine = mk(ro, 'mine', 0o666);
    expect(errOf(() => wstat(mine, { name: 'yours' }, 'rob'))).toBe(Eperm);
  });

  it('truncates and extends through length, with write permission, within maxFileSize', () => {
    const { fs, root, mk, put, get, wstat } = setup({ maxFileSize: 100 });
    const f = mk(root, 'f', 0o644);
    put(f, 'abcdef');
    wstat(f, { length: 3 }, 'glenda');
    expect(get(f)).toBe('abc');
    expect(fs.stat(f, req()).length).toBe(3);
    wstat(f, { length: 5 });
    expect(fs.stat(f, req()).length).toBe(5);
    expect(errOf(() => wstat(f, { length: 0 }, 'rob'))).toBe(Eperm);
    expect(errOf(() => wstat(f, { length: 101 }))).toBe(Etoobig);
    expect(errOf(() => wstat(root, { length: 1 }))).toBe(Eisdir);
    wstat(root, { length: 0 });
  });

  it('refuses uid changes, qid/type/dev/muid changes', () => {
    const { fs, root, mk, wstat } = setup();
    const f = mk(root, 'f');
    expect(errOf(() => wstat(f, { uid: 'rob' }))).toBe(Eperm);
    wstat(f, { uid: 'glenda' });
    expect(errOf(() => wstat(f, { muid: 'rob' }))).toBe(Ebadwstat);
    expect(errOf(() => wstat(f, { type: 7 }))).toBe(Ebadwstat);
    expect(errOf(() => wstat(f, { dev: 7 }))).toBe(Ebadwstat);
    expect(errOf(() => wstat(f, { qid: { type: 0xff, version: 0xffffffff, path: 999 } }))).toBe(Ebadwstat);
    wstat(f, { qid: { ...f.file.qid } });
    expect(fs.stat(f, req()).uid).toBe('glenda');
  });

  it('lets the owner change the group to one they are in', () => {
    const { fs, root, mk, wstat } = setup({ inGroup: (u, g) => u === g || (u === 'glenda' && g === 'sys') });
    const f = mk(root, 'f');
    wstat(f, { gid: 'sys' });
    expect(fs.stat(f, req()).gid).toBe('sys');
    expect(errOf(() => wstat(f, { gid: 'adm' }))).toBe(Eperm);
    expect(errOf(() => wstat(f, { gid: 'rob' }, 'rob'))).toBe(Eperm);
  });

  it('makes all changes or none', () => {
    const { fs, root, mk, put, wstat } = setup();
    const f = mk(root, 'f', 0o644);
    put(f, 'abc');
    mk(root, 'taken');
    const before = fs.stat(f, req());
    expect(errOf(() => wstat(f, { mode: 0o600, length: 0, mtime: 5, name: 'taken' }))).toBe(Eexist);
    expect(errOf(() => wstat(f, { mode: 0o600, name: 'new', uid: 'rob' }))).toBe(Eperm);
    expect(fs.stat(f, req())).toEqual(before);
  });
});

describe('Ramfs rename', () => {
  it('moves a file to another directory', () => {
    const { fs, root, mk, put, get } = setup();
    const a = mk(root, 'a', DMDIR | 0o755);
    const b = mk(root, 'b', DMDIR | 0o755);
    const f = mk(a, 'f');
    put(f, 'x');
    const va = a.file.qid.version, vb = b.file.qid.version;
    fs.rename(f, b, 'g', req());
    expect(errOf(() => fs.walk(a, 'f', req()))).toBe(Enoent);
    const g = fs.walk(b, 'g', req()).node;
    expect(g.file).toBe(f.file);
    expect(get(g)).toBe('x');
    expect(fs.walk(g.file.isDir ? g : b, '..', req()).node.file).toBe(fs.root);
    expect(f.file.parent).toBe(b.file);
    expect(a.file.qid.version).toBeGreaterThan(va);
    expect(b.file.qid.version).toBeGreaterThan(vb);
    fs.rename(g, b, 'g', req()); // onto itself: nothing happens
    expect(fs.walk(b, 'g', req()).node.file).toBe(f.file);
  });

  it('replaces an existing file target, which stays readable through open fids', () => {
    const { fs, root, mk, put } = setup();
    const f = mk(root, 'f');
    put(f, 'new');
    const old = mk(root, 'old');
    put(old, 'old data');
    const o = fs.open(old, OREAD, req()).node!;
    fs.rename(f, root, 'old', req());
    expect(fs.walk(root, 'old', req()).node.file).toBe(f.file);
    expect(str(fs.read(o, 0, 100, req()))).toBe('old data');
    expect(fs.usage()).toEqual({ files: 2, bytes: 3 });
  });

  it('replaces an empty directory by a directory, refusing non-empty ones and type mismatches', () => {
    const { fs, root, mk } = setup();
    const d = mk(root, 'd', DMDIR | 0o755);
    const e = mk(root, 'e', DMDIR | 0o755);
    const full = mk(root, 'full', DMDIR | 0o755);
    mk(full, 'x');
    const f = mk(root, 'f');
    expect(errOf(() => fs.rename(d, root, 'full', req()))).toBe(Enotempty);
    expect(errOf(() => fs.rename(d, root, 'f', req()))).toBe(Enotdir);
    expect(errOf(() => fs.rename(f, root, 'e', req()))).toBe(Eisdir);
    fs.rename(d, root, 'e', req());
    expect(fs.walk(root, 'e', req()).node.file).toBe(d.file);
    expect(e.file.removed).toBe(true);
  });

  it('refuses to move a directory into itself or below itself', () => {
    const { fs, root, mk } = setup();
    const a = mk(root, 'a', DMDIR | 0o755);
    const b = mk(a, 'b', DMDIR | 0o755);
    const c = mk(b, 'c', DMDIR | 0o755);
    expect(errOf(() => fs.rename(a, a, 'x', req()))).toBe(Einval);
    expect(errOf(() => fs.rename(a, c, 'x', req()))).toBe(Einval);
    fs.rename(c, root, 'c', req()); // up is fine
    expect(fs.walk(root, 'c', req()).node.file).toBe(c.file);
  });

  it('checks names, targets, the root and permissions', () => {
    const { fs, root, mk } = setup();
    const f = mk(root, 'f');
    const g = mk(root, 'g');
    const ro = mk(root, 'ro', DMDIR | 0o755);
    expect(errOf(() => fs.rename(f, root, 'a/b', req()))).toBe(Ebadname);
    expect(errOf(() => fs.rename(f, g, 'x', req()))).toBe(Enotdir);
    expect(errOf(() => fs.rename(root, ro, 'x', req()))).toBe(Eperm);
    expect(errOf(() => fs.rename(f, ro, 'x', req('rob')))).toBe(Eperm);
    const mine = mk(ro, 'mine', 0o666);
    expect(errOf(() => fs.rename(mine, root, 'x', req('rob')))).toBe(Eperm);
    fs.remove(g, req());
    expect(errOf(() => fs.rename(g, root, 'x', req()))).toBe(Enoent);
  });
});

describe('Ramfs symlinks and links', () => {
  it('makes symlinks as DMSYMLINK files and reads them back', () => {
    const { fs, root, mk } = setup();
    const e = fs.symlink(root, 'l', '/some/where', req('rob'));
    expect(e.qid.type).toBe(QTSYMLINK);
    expect(fs.stat(e.node, req())).toMatchObject({ mode: (DMSYMLINK | 0o777) >>> 0, uid: 'rob', length: 11 });
    expect(fs.readlink(e.node, req())).toBe('/some/where');
    expect(fs.readlink(fs.walk(root, 'l', req()).node, req())).toBe('/some/where');
    expect(errOf(() => fs.symlink(root, 'l', 'x', req()))).toBe(Eexist);
    expect(errOf(() => fs.walk(e.node, 'x', req()))).toBe(Enotdir);
    const f = mk(root, 'f');
    expect(errOf(() => fs.readlink(f, req()))).toBe(Einval);
    // chmod keeps it a symlink
    fs.wstat(e.node, { ...nullDir(), mode: 0o700 }, req('rob'));
    expect(fs.stat(e.node, req()).mode).toBe((DMSYMLINK | 0o700) >>> 0);
  });

  it('answers Enotsup for hard links', () => {
    const { fs, root, mk } = setup();
    const f = mk(root, 'f');
    expect(errOf(() => fs.link(root, f, 'g', req()))).toBe(Enotsup);
  });
});

describe('Ramfs statfs and usage', () => {
  it('reports V9FS magic, 4K blocks, name length and counts from this instance', () => {
    const { fs, root, mk, put } = setup({ capacity: 1 << 20, maxFiles: 100 });
    const s0 = fs.statfs(req());
    expect(s0).toMatchObject({ type: V9FS_MAGIC, bsize: 4096, namelen: 255, blocks: 256, bfree: 256, files: 100, ffree: 99 });
    const d = mk(root, 'd', DMDIR | 0o755);
    const f = mk(d, 'f');
    put(f, 'x'.repeat(10000));
    const s1 = fs.statfs(req());
    expect(s1.ffree).toBe(97);
    expect(s1.bfree).toBe(256 - 3);
    expect(s1.bavail).toBe(s1.bfree);
    expect(fs.usage()).toEqual({ files: 3, bytes: 10000 });
    expect(ramUsage(fs.root)).toEqual(fs.usage());
    expect(ramUsage(d.file)).toEqual({ files: 2, bytes: 10000 });
    fs.remove(f, req());
    expect(fs.usage()).toEqual({ files: 2, bytes: 0 });
    expect(ramUsage(fs.root)).toEqual(fs.usage());
    // a second instance counts on its own
    expect(new Ramfs().usage()).toEqual({ files: 1, bytes: 0 });
  });
});
