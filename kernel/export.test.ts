// ExportFs: a booted node's namespace as one 9P tree, in-process.

import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fsys } from '../fs/client/index.ts';
import { Dialect, DMSYMLINK, QTSYMLINK } from '../fs/9p/constants.ts';
import { Server } from '../fs/server/server.ts';
import { linkPair } from '../fs/transport/pair.ts';
import { boot } from './boot.ts';
import type { BootResult } from './boot.ts';
import { ExportFs } from './export.ts';

const nodes: BootResult[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.kernel.shutdown();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function exported(role: string, version: Dialect = Dialect.P2000, aname = '', rolesDir?: string): Promise<{ fs: Fsys; node: BootResult; ex: ExportFs }> {
  const node = await boot({ role, env: {}, ...(rolesDir ? { rolesDir } : {}) });
  nodes.push(node);
  const ex = new ExportFs(node.sys);
  const server = new Server(ex);
  node.exports.set('export', server);
  const [a, b] = linkPair();
  server.serve(a);
  return { fs: await Fsys.mount(b, { version, uname: 'glenda', aname }), node, ex };
}

describe('ExportFs', () => {
  it('serves what init sees, with qids unique across devices', async () => {
    const { fs } = await exported('QueenPrimary');
    expect((await fs.readFile('/srv/cohrole')).toString()).toBe('QueenPrimary');
    const paths = new Set<number>();
    for (const p of ['/', '/dev', '/tmp', '/input', '/srv', '/srv/telemetry', '/proc', '/env', '/bin', '/worker']) paths.add((await fs.stat(p)).qid.path);
    expect(paths.size).toBe(10);
    const names = (await fs.readdir('/srv')).map((d) => d.name).sort();
    expect(names).toEqual(['cohrole', 'telemetry', 'testlog']);
    fs.close();
  });

  it('shows files as the attaching user\'s, and keeps the devices\' modes', async () => {
    const { fs } = await exported('QueenPrimary');
    const d = await fs.stat('/srv/cohrole');
    expect(d.uid).toBe('glenda');
    expect(d.mode & 0o777).toBe(0o444);
    fs.close();
  });

  it('selects a subtree by aname; .. stops at it', async () => {
    const { fs, node } = await exported('QueenPrimary', Dialect.P2000, '/tmp');
    await node.sys.writeFile('/tmp/a', 'A');
    expect((await fs.readdir('/')).map((d) => d.name)).toEqual(['a']);
    expect((await fs.readdir('/../..')).map((d) => d.name)).toEqual(['a']);
    fs.close();
  });

  it('renames within a directory by wstat, and renumbers nothing on rename', async () => {
    const { fs, node } = await exported('QueenPrimary', Dialect.P2000L, '/tmp');
    await fs.mkdir('/d1');
    await fs.writeFile('/d1/f', 'data');
    const before = (await fs.stat('/d1/f')).qid.path;
    await fs.wstat('/d1/f', { name: 'g' });
    expect((await node.sys.readFile('/tmp/d1/g')).toString()).toBe('data');
    expect((await fs.stat('/d1/g')).qid.path).toBe(before);
    fs.close();
  });

  it('renames across directories of one device (the /tmp ramfs), keeping the qid path', async () => {
    const { fs, node } = await exported('QueenPrimary', Dialect.P2000L, '/tmp');
    await fs.mkdir('/d1');
    await fs.mkdir('/d2');
    await fs.mkdir('/d1/sub');
    await fs.writeFile('/d1/f', 'data');
    await fs.writeFile('/d1/sub/inner', 'in');
    await fs.writeFile('/d2/old', 'replaced');
    const before = (await fs.stat('/d1/f')).qid.path;
    const inner = (await fs.stat('/d1/sub/inner')).qid.path;
    const c = fs.client;
    // Trename (by fid) and Trenameat (by directory and name), as Linux sends them.
    const w1 = await fs.walk('/d1/f');
    const w2 = await fs.walk('/d2');
    await c.rpc({ type: 'Trename', fid: w1.fid, dfid: w2.fid, name: 'h' });
    await w1.clunk();
    expect((await node.sys.readFile('/tmp/d2/h')).toString()).toBe('data');
    expect((await fs.stat('/d2/h')).qid.path).toBe(before);
    await expect(fs.stat('/d1/f')).rejects.toThrow();
    const d1 = await fs.walk('/d1');
    await c.rpc({ type: 'Trenameat', olddirfid: d1.fid, oldname: 'sub', newdirfid: w2.fid, newname: 'moved' });
    await c.rpc({ type: 'Trenameat', olddirfid: w2.fid, oldname: 'h', newdirfid: d1.fid, newname: 'back' });
    await c.rpc({ type: 'Trenameat', olddirfid: d1.fid, oldname: 'back', newdirfid: w2.fid, newname: 'old' });
    expect((await node.sys.readFile('/tmp/d2/old')).toString()).toBe('data');
    expect((await fs.stat('/d2/old')).qid.path).toBe(before);
    expect((await fs.stat('/d2/moved/inner')).qid.path).toBe(inner);
    expect((await node.sys.dirread('/tmp/d1')).map((d) => d.name)).toEqual([]);
    // A directory into itself: the device's own refusal.
    const sub = await fs.walk('/d2/moved');
    await expect(c.rpc({ type: 'Trenameat', olddirfid: w2.fid, oldname: 'moved', newdirfid: sub.fid, newname: 'y' })).rejects.toThrow('invalid argument');
    for (const f of [d1, w2, sub]) await f.clunk();
    fs.close();
  });

  it('refuses a rename across devices (cross-device link), and leaves the file', async () => {
    const { fs, node } = await exported('QueenPrimary', Dialect.P2000L);
    await node.sys.writeFile('/tmp/f', 'data');
    const c = fs.client;
    const t = await fs.walk('/tmp');
    const e = await fs.walk('/env');
    await expect(c.rpc({ type: 'Trenameat', olddirfid: t.fid, oldname: 'f', newdirfid: e.fid, newname: 'f' })).rejects.toThrow('cross-device link');
    // A mount point cannot move: the mount table is by name.
    const root = await fs.walk('/');
    await expect(c.rpc({ type: 'Trenameat', olddirfid: root.fid, oldname: 'tmp', newdirfid: t.fid, newname: 'x' })).rejects.toThrow('file in use');
    for (const f of [t, e, root]) await f.clunk();
    expect((await node.sys.readFile('/tmp/f')).toString()).toBe('data');
    fs.close();
  });

  it('checks the process\'s capabilities for a rename across directories (w and d on the file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cohesix-roles-'));
    dirs.push(dir);
    const src = readFileSync(join(import.meta.dirname, 'roles', 'SensorRelay.role'), 'utf8');
    expect(src).toMatch(/^cap dev:#r rwlcd$/m);
    writeFileSync(join(dir, 'SensorRelay.role'), src.replace(/^cap dev:#r rwlcd$/m, 'cap dev:#r rwlc'));
    const { fs, node } = await exported('SensorRelay', Dialect.P2000L, '/tmp', dir);
    await fs.mkdir('/a');
    await fs.mkdir('/b');
    await fs.writeFile('/a/f', 'data');
    const c = fs.client;
    const a = await fs.walk('/a');
    const b = await fs.walk('/b');
    await expect(c.rpc({ type: 'Trenameat', olddirfid: a.fid, oldname: 'f', newdirfid: b.fid, newname: 'f' })).rejects.toThrow(/^permission denied$/);
    await c.rpc({ type: 'Trenameat', olddirfid: a.fid, oldname: 'f', newdirfid: a.fid, newname: 'g' }); // a wstat: w suffices
    await a.clunk();
    await b.clunk();
    expect((await node.sys.readFile('/tmp/a/g')).toString()).toBe('data');
    fs.close();
  });

  it('makes and reads symlinks on a device that has them (/tmp), not elsewhere', async () => {
    const { fs, node } = await exported('QueenPrimary', Dialect.P2000L);
    const c = fs.client;
    const t = await fs.walk('/tmp');
    const r = await c.rpc({ type: 'Tsymlink', fid: t.fid, name: 'ln', symtgt: '../no/such/place', gid: 0 });
    expect(r.qid.type & QTSYMLINK).toBe(QTSYMLINK);
    expect((await node.sys.stat('/tmp/ln')).mode & DMSYMLINK).toBe(DMSYMLINK);
    const d = await fs.stat('/tmp/ln');
    expect(d.qid.path).toBe(r.qid.path);
    const l = await fs.walk('/tmp/ln');
    expect((await c.rpc({ type: 'Treadlink', fid: l.fid })).target).toBe('../no/such/place');
    await l.clunk();
    await expect(c.rpc({ type: 'Tsymlink', fid: t.fid, name: 'ln', symtgt: 'x', gid: 0 })).rejects.toThrow('file exists');
    const e = await fs.walk('/env');
    await expect(c.rpc({ type: 'Tsymlink', fid: e.fid, name: 'ln', symtgt: 'x', gid: 0 })).rejects.toThrow('operation not supported');
    const f = await fs.walk('/srv/cohrole');
    await expect(c.rpc({ type: 'Treadlink', fid: f.fid })).rejects.toThrow('invalid argument');
    for (const x of [t, e, f]) await x.clunk();
    fs.close();
  });

  it('refuses what init may not do, with the kernel\'s reason (9P2000) or its errno (9P2000.L)', async () => {
    const a = await exported('SensorRelay');
    await expect(a.fs.remove('/srv/telemetry/telemetry.log')).rejects.toThrow('permission denied: remove needs d on dev:#telemetry');
    a.fs.close();
    const b = await exported('SensorRelay', Dialect.P2000L);
    await expect(b.fs.remove('/srv/telemetry/telemetry.log')).rejects.toThrow(/^permission denied$/);
    b.fs.close();
  });

  it('closes each fd once, and leaves none open after the session', async () => {
    const { fs, node } = await exported('QueenPrimary');
    const open0 = node.init.fds.list().length;
    await fs.writeFile('/tmp/x', '1');
    await fs.remove('/tmp/x');
    for (let i = 0; i < 5; i++) expect((await fs.readFile('/srv/cohrole')).toString()).toBe('QueenPrimary');
    expect(node.init.fds.list().length).toBe(open0);
    fs.close();
  });
});
