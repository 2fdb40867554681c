import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Fsys } from '../../fs/client/index.ts';
import { DMDIR, OREAD, ORDWR, OTRUNC, OWRITE } from '../../fs/9p/constants.ts';
import { Enoent, Eperm } from '../../fs/9p/errors.ts';
import { Server } from '../../fs/server/server.ts';
import { linkPair } from '../../fs/transport/pair.ts';
import { ALL_RIGHTS } from '../cap.ts';
import { ManDevice, manRoot } from './man.ts';
import { boot, errOf, str } from './testing.ts';

const temps: string[] = [];
afterEach(() => { for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** A small manual: 1/ls, 1/cat, 3/cons, an empty section 4, and things to leave out. */
function manual(): string {
  const d = mkdtempSync(join(tmpdir(), 'cohesix-man-'));
  temps.push(d);
  for (const s of ['1', '3', '4']) mkdirSync(join(d, s));
  writeFileSync(join(d, '1', 'ls'), 'NAME\n     ls - list contents of directory\n');
  writeFileSync(join(d, '1', 'cat'), 'NAME\n     cat - catenate files\n');
  writeFileSync(join(d, '3', 'cons'), 'NAME\n     cons - console\n');
  writeFileSync(join(d, '1', '.ls.swp'), 'editor litter');
  symlinkSync(d, join(d, '3', 'loop')); // a link back up is not followed forever
  return d;
}

async function mount(dev: ManDevice): Promise<Fsys> {
  const [a, b] = linkPair();
  new Server(dev).serve(a);
  return Fsys.mount(b, { uname: 'glenda' });
}

describe('#man through a 9P client', () => {
  it('serves the host tree: directories 0555, files 0444, owned by sys, with host sizes', async () => {
    const fs = await mount(new ManDevice({ root: manual() }));
    expect((await fs.readdir('/')).map((d) => d.name)).toEqual(['1', '3', '4']);
    const one = await fs.readdir('/1');
    expect(one.map((d) => d.name)).toEqual(['cat', 'ls']);
    for (const d of one) {
      expect(d.mode).toBe(0o444);
      expect(d.uid).toBe('sys');
    }
    const top = await fs.stat('/1');
    expect(top.mode).toBe((DMDIR | 0o555) >>> 0);
    expect(top.uid).toBe('sys');
    expect(one.find((d) => d.name === 'ls')!.length).toBe('NAME\n     ls - list contents of directory\n'.length);
    expect(str(await fs.readFile('/1/ls'))).toBe('NAME\n     ls - list contents of directory\n');
    expect(str(await fs.readFile('/3/cons'))).toContain('cons - console');
    expect(await fs.readdir('/4')).toEqual([]);
    expect((await fs.readdir('/3')).map((d) => d.name)).toEqual(['cons']);
    fs.close();
  });

  it('reads at offsets and past the end', async () => {
    const fs = await mount(new ManDevice({ root: manual() }));
    const f = await fs.open('/1/cat', OREAD);
    expect(str(await f.pread(4, 5))).toBe('    ');
    expect(str(await f.pread(100, 5))).toBe('     cat - catenate files\n');
    expect((await f.pread(10, 1000)).length).toBe(0);
    await f.clunk();
    fs.close();
  });

  it('is read-only: no writes, creates, removes or wstats that change anything', async () => {
    const fs = await mount(new ManDevice({ root: manual() }));
    expect(await errOf(() => fs.open('/1/ls', OWRITE))).toBe(Eperm);
    expect(await errOf(() => fs.open('/1/ls', ORDWR))).toBe(Eperm);
    expect(await errOf(() => fs.open('/1/ls', OREAD | OTRUNC))).toBe(Eperm);
    expect(await errOf(() => fs.create('/1/new', 0o644, OWRITE))).toBe(Eperm);
    expect(await errOf(() => fs.mkdir('/5'))).toBe(Eperm);
    expect(await errOf(() => fs.remove('/1/ls'))).toBe(Eperm);
    expect(await errOf(() => fs.wstat('/1/ls', { mode: 0o666 }))).toBe(Eperm);
    expect(str(await fs.readFile('/1/ls'))).toContain('ls - list');
    fs.close();
  });

  it('unknown names are "file does not exist"; .. stays inside', async () => {
    const fs = await mount(new ManDevice({ root: manual() }));
    expect(await errOf(() => fs.stat('/1/nosuch'))).toBe(Enoent);
    expect(await errOf(() => fs.stat('/9'))).toBe(Enoent);
    expect(await errOf(() => fs.stat('/1/.ls.swp'))).toBe(Enoent);
    expect((await fs.stat('/1/../3/cons')).name).toBe('cons');
    fs.close();
  });

  it('reads each directory when first used, and keeps what it read', async () => {
    const root = manual();
    const fs = await mount(new ManDevice({ root }));
    writeFileSync(join(root, '1', 'early'), 'NAME\n     early - before /1 was first listed\n');
    expect((await fs.readdir('/1')).map((d) => d.name)).toContain('early');
    expect(str(await fs.readFile('/1/early'))).toContain('early - before');
    writeFileSync(join(root, '1', 'late'), 'x');
    writeFileSync(join(root, '1', 'early'), 'changed');
    expect((await fs.readdir('/1')).map((d) => d.name)).not.toContain('late');
    expect(await errOf(() => fs.stat('/1/late'))).toBe(Enoent);
    expect(str(await fs.readFile('/1/early'))).toContain('early - before');
    fs.close();
  });

  it('a missing directory fails the attach', async () => {
    const dev = new ManDevice({ root: join(tmpdir(), 'cohesix-man-none-' + process.pid) });
    expect(await errOf(() => mount(dev))).toMatch(/file does not exist|no such file/);
  });

  it('finds the repository manual by default', () => {
    const d = manRoot();
    expect(d).toBeDefined();
    expect(d!.endsWith('man')).toBe(true);
    expect(new ManDevice({}).root).toBe(d);
  });
});

describe('#man through the kernel', () => {
  it('bound into the namespace, read with the process syscalls', async () => {
    const { k, p, sys } = boot();
    k.addDevice('#man', new ManDevice({ root: manual() }));
    k.grant(p, 'dev:#man', ALL_RIGHTS); // every right: the device itself refuses changes
    // The root is a skeleton: a new mount point may be made in it.
    await sys.bind('#man', '/man');
    expect((await sys.dirread('/man')).map((d) => d.name)).toEqual(['1', '3', '4']);
    expect(str(await sys.readFile('/man/3/cons'))).toContain('cons - console');
    expect(await errOf(() => sys.open('/man/1/ls', OWRITE))).toBe(Eperm);
    expect(await errOf(() => sys.remove('/man/1/ls'))).toBe(Eperm);
    await k.shutdown();
  });
});
