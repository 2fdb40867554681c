// ExportFs: a booted node's namespace as one 9P tree, in-process.

import { afterEach, describe, expect, it } from 'vitest';
import { Fsys } from '../fs/client/index.ts';
import { Dialect } from '../fs/9p/constants.ts';
import { Server } from '../fs/server/server.ts';
import { linkPair } from '../fs/transport/pair.ts';
import { boot } from './boot.ts';
import type { BootResult } from './boot.ts';
import { ExportFs } from './export.ts';

const nodes: BootResult[] = [];
afterEach(async () => { for (const n of nodes.splice(0)) await n.kernel.shutdown(); });

async function exported(role: string, version: Dialect = Dialect.P2000, aname = ''): Promise<{ fs: Fsys; node: BootResult; ex: ExportFs }> {
  const node = await boot({ role, env: {} });
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

  it('renames within a directory, not across (cross-device link), and renumbers nothing on rename', async () => {
    const { fs, node } = await exported('QueenPrimary', Dialect.P2000L, '/tmp');
    await fs.mkdir('/d1');
    await fs.mkdir('/d2');
    await fs.writeFile('/d1/f', 'data');
    const before = (await fs.stat('/d1/f')).qid.path;
    await fs.wstat('/d1/f', { name: 'g' });
    expect((await node.sys.readFile('/tmp/d1/g')).toString()).toBe('data');
    expect((await fs.stat('/d1/g')).qid.path).toBe(before);
    const c = fs.client;
    const w1 = await fs.walk('/d1/g');
    const w2 = await fs.walk('/d2');
    await expect(c.rpc({ type: 'Trename', fid: w1.fid, dfid: w2.fid, name: 'h' })).rejects.toThrow('cross-device link');
    await w1.clunk();
    await w2.clunk();
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
