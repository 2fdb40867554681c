import { describe, expect, it } from 'vitest';
import { PerAttach, PerHandle } from './perattach.ts';
import { Ramfs } from '../../fs/server/ramfs.ts';
import { Tree, text } from '../../fs/server/tree.ts';
import type { FileServer } from '../../fs/server/fileserver.ts';
import { nullDir } from '../../fs/9p/fcall.ts';
import { DMDIR, OREAD, ORDWR, OWRITE } from '../../fs/9p/constants.ts';
import { Ebadattach, Enotsup, Exdev } from '../../fs/9p/errors.ts';
import { ALL_RIGHTS } from '../cap.ts';
import { MCREATE, MREPL } from '../sys.ts';
import { boot, bytes, errOf, req, str } from './testing.ts';

function rams(): { fs: PerAttach; made: string[] } {
  const made: string[] = [];
  const fs = new PerAttach((key, uname) => { made.push(`${key}/${uname}`); return new Ramfs({ owner: uname }); });
  return { fs, made };
}

async function put(fs: PerAttach, aname: string, name: string, data: string): Promise<PerHandle> {
  const root = (await fs.attach('glenda', aname, req())).node;
  const f = (await fs.create(root, name, 0o644, ORDWR, req())).node;
  await fs.write(f, 0, bytes(data), req());
  return f;
}

describe('PerAttach directly', () => {
  it('makes one server per aname, on demand, and caches it', async () => {
    const { fs, made } = rams();
    await fs.attach('glenda', 'a', req());
    await fs.attach('alice', 'a', req('alice'));
    await fs.attach('alice', 'b', req('alice'));
    expect(made).toEqual(['a/glenda', 'b/alice']);
    expect(fs.keys()).toEqual(['a', 'b']);
    expect(fs.server('a')).toBeInstanceOf(Ramfs);
    expect(fs.server('c')).toBeUndefined();
    expect(fs.get('c')).toBeInstanceOf(Ramfs);
    expect(made).toContain('c/none');
  });

  it('each aname is its own tree; handles remember their server', async () => {
    const { fs } = rams();
    const fa = await put(fs, 'a', 'f', 'in a');
    await put(fs, 'b', 'f', 'in b');
    expect(fa.inner.key).toBe('a');
    expect(str(await fs.read(fa, 0, 100, req()))).toBe('in a');
    const rb = (await fs.attach('glenda', 'b', req())).node;
    const fb = (await fs.walk(rb, 'f', req())).node;
    expect(fb.inner.key).toBe('b');
    const ob = (await fs.open(fb, OREAD, req()))!.node!;
    expect(ob.inner.key).toBe('b');
    expect(str(await fs.read(ob, 0, 100, req()))).toBe('in b');
    expect((await fs.readdir(rb, req())).map((d) => d.name)).toEqual(['f']);
  });

  it('keeps qid paths of different servers apart, in attach, walk, open, stat and readdir', async () => {
    const { fs } = rams();
    await put(fs, 'a', 'f', 'x');
    await put(fs, 'b', 'f', 'x');
    const ra = await fs.attach('glenda', 'a', req());
    const rb = await fs.attach('glenda', 'b', req());
    expect(ra.qid.path).not.toBe(rb.qid.path);
    const wa = await fs.walk(ra.node, 'f', req());
    const wb = await fs.walk(rb.node, 'f', req());
    expect(wa.qid.path).not.toBe(wb.qid.path);
    expect((await fs.stat(wa.node, req())).qid.path).toBe(wa.qid.path);
    expect((await fs.readdir(ra.node, req()))[0]!.qid.path).toBe(wa.qid.path);
    expect((await fs.open(wa.node, OREAD, req()))!.qid!.path).toBe(wa.qid.path);
    const plain = new PerAttach(() => new Ramfs(), { spreadQids: false });
    expect((await plain.attach('glenda', 'a', req())).qid.path).toBe(0);
  });

  it('wstat sees the inner qid again (a stat written back is accepted)', async () => {
    const { fs } = rams();
    const f = await put(fs, 'a', 'f', 'hello');
    const d = await fs.stat(f, req());
    await fs.wstat(f, { ...d, length: 2, atime: 0xffffffff, mtime: 0xffffffff }, req());
    expect((await fs.stat(f, req())).length).toBe(2);
    await fs.wstat(f, nullDir(), req());
  });

  it('drop: the next attach makes a new server; fids already attached keep the old one', async () => {
    const { fs, made } = rams();
    const f = await put(fs, 'a', 'f', 'old');
    expect(fs.drop('a')).toBeInstanceOf(Ramfs);
    expect(fs.drop('a')).toBeUndefined();
    const r = (await fs.attach('glenda', 'a', req())).node;
    expect(await fs.readdir(r, req())).toEqual([]);
    expect(str(await fs.read(f, 0, 10, req()))).toBe('old');
    expect(made).toEqual(['a/glenda', 'a/glenda']);
  });

  it('key maps anames to servers and may refuse them; factory errors refuse the attach', async () => {
    const fs = new PerAttach((k) => new Tree([text('id', k)]), {
      key: (a) => { if (a === 'bad') throw new Error(Ebadattach); return a || 'default'; },
    });
    const r = (await fs.attach('glenda', '', req())).node;
    const id = (await fs.open((await fs.walk(r, 'id', req())).node, OREAD, req()))!.node!;
    expect(str(await fs.read(id, 0, 100, req()))).toBe('default');
    expect(await errOf(() => fs.attach('glenda', 'bad', req()))).toBe(Ebadattach);
    const failing = new PerAttach(() => { throw new Error('no such thing'); });
    expect(await errOf(() => failing.attach('glenda', 'x', req()))).toBe('no such thing');
    expect(failing.keys()).toEqual([]);
  });

  it('rename and link stay within one server; missing optional calls answer Enotsup', async () => {
    const { fs } = rams();
    const fa = await put(fs, 'a', 'f', 'x');
    const ra = (await fs.attach('glenda', 'a', req())).node;
    const rb = (await fs.attach('glenda', 'b', req())).node;
    expect(await errOf(() => fs.rename(fa, rb, 'g', req()))).toBe(Exdev);
    await fs.rename(fa, ra, 'g', req());
    expect((await fs.readdir(ra, req())).map((d) => d.name)).toEqual(['g']);
    const s = await fs.symlink(ra, 'ln', '/x', req());
    expect(await fs.readlink(s.node, req())).toBe('/x');
    const trees = new PerAttach(() => new Tree([]));
    const tr = (await trees.attach('glenda', 'a', req())).node;
    expect(await errOf(() => trees.symlink(tr, 'x', 'y', req()))).toBe(Enotsup);
    expect(await errOf(() => trees.readlink(tr, req()))).toBe(Enotsup);
    expect(await errOf(() => trees.statfs(req()))).toBe(Enotsup);
    expect((await fs.statfs(req())).namelen).toBe(255);
  });

  it('clunk and remove reach the inner server', async () => {
    const { fs } = rams();
    await put(fs, 'a', 'f', 'x');
    const ra = (await fs.attach('glenda', 'a', req())).node;
    const f = (await fs.walk(ra, 'f', req())).node;
    await fs.remove(f, req());
    expect(await fs.readdir(ra, req())).toEqual([]);
    const d = (await fs.create(ra, 'd', DMDIR | 0o755, OREAD, req())).node;
    await fs.clunk(d, req());
    expect((await fs.readdir(ra, req())).map((x) => x.name)).toEqual(['d']);
  });
});

describe('PerAttach through the kernel', () => {
  it('mounts with different attach names reach different trees; the same name, the same tree', async () => {
    const { k, sys, p } = boot();
    const per = new PerAttach(() => new Ramfs({ owner: 'glenda' }));
    k.addDevice('#x', per as FileServer<unknown>);
    k.grant(p, 'dev:#x', ALL_RIGHTS);
    await sys.mount('#x', '/a', MCREATE, 'one');
    await sys.mount('#x', '/b', MCREATE, 'two');
    await sys.mount('#x', '/c', MREPL, 'one');
    const fd = await sys.create('/a/file', OWRITE, 0o644);
    await sys.write(fd, 'in one');
    await sys.close(fd);
    expect(str(await sys.readFile('/c/file'))).toBe('in one');
    expect(await sys.dirread('/b')).toEqual([]);
    expect(per.keys().sort()).toEqual(['', 'one', 'two']); // '' is the device session's own attach
  });
});
