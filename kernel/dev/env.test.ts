import { describe, expect, it } from 'vitest';
import { EnvDevice, EnvHandle, MAXENVVAL } from './env.ts';
import { EnvGroup } from '../proc.ts';
import { nullDir } from '../../fs/9p/fcall.ts';
import { DMDIR, OREAD, ORCLOSE, ORDWR, OTRUNC, OWRITE } from '../../fs/9p/constants.ts';
import { Ebadattach, Enoent, Enotdir, Eperm, Etoobig } from '../../fs/9p/errors.ts';
import type { Program } from '../kernel.ts';
import { MCREATE, MREPL } from '../sys.ts';
import { boot, bytes, errOf, req, str } from './testing.ts';

function device(): { env: EnvDevice; g: EnvGroup; envs: Map<number, EnvGroup> } {
  const envs = new Map<number, EnvGroup>();
  const g = new EnvGroup(7);
  envs.set(7, g);
  return { env: new EnvDevice({ envs, bootTime: Date.now() }), g, envs };
}

function root(env: EnvDevice, aname = '7'): EnvHandle {
  return env.attach('glenda', aname, req()).node;
}

describe('#e directly', () => {
  it('create makes a variable, write sets it at offsets, read returns it, readdir lists it', () => {
    const { env, g } = device();
    const f = env.create(root(env), 'path', 0o664, OWRITE, req()).node;
    expect(g.vars.get('path')?.length).toBe(0);
    expect(env.write(f, 0, bytes('/bin'), req())).toBe(4);
    expect(env.write(f, 4, bytes(' /usr/bin'), req())).toBe(9);
    env.write(f, 1, bytes('B'), req());
    expect(g.vars.get('path')!.toString()).toBe('/Bin /usr/bin');
    env.write(f, 16, bytes('!'), req()); // past the end: the gap is zeros
    expect(g.vars.get('path')!.subarray(13).toString('latin1')).toBe('\0\0\0!');
    const names = env.readdir(root(env), req()).map((d) => `${d.name}:${d.length}`);
    expect(names).toEqual(['path:17']);
    const r = env.open(env.walk(root(env), 'path', req()).node, OREAD, req()).node!;
    expect(str(env.read(r, 1, 3, req()))).toBe('Bin');
    expect(env.read(r, 100, 3, req()).length).toBe(0);
  });

  it('a write inside a value makes a new buffer: a value shared by two groups changes in one only', () => {
    const { env, g, envs } = device();
    const shared = Buffer.from('abc');
    g.vars.set('v', shared);
    const other = new EnvGroup(8);
    envs.set(8, other);
    other.vars.set('v', shared); // as rfork e and a shell's exports share values
    env.write(env.open(env.walk(root(env, '8'), 'v', req()).node, ORDWR, req()).node, 1, bytes('X'), req());
    expect(other.vars.get('v')!.toString()).toBe('aXc');
    expect(g.vars.get('v')!.toString()).toBe('abc');
    expect(shared.toString()).toBe('abc');
  });

  it('sees variables the kernel set, walks them, and refuses unknown names', () => {
    const { env, g } = device();
    g.vars.set('user', Buffer.from('glenda'));
    const h = env.walk(root(env), 'user', req());
    expect(h.qid.type).toBe(0);
    expect(env.stat(h.node, req()).length).toBe(6);
    expect(() => env.walk(root(env), 'nope', req())).toThrow(Enoent);
    expect(() => env.walk(h.node, 'x', req())).toThrow(Enotdir);
    expect(env.walk(root(env), '..', req()).qid.type & 0x80).toBe(0x80);
  });

  it('OTRUNC empties, create on an existing variable truncates, remove deletes', () => {
    const { env, g } = device();
    g.vars.set('a', Buffer.from('12345'));
    env.open(env.walk(root(env), 'a', req()).node, OWRITE | OTRUNC, req());
    expect(g.vars.get('a')!.length).toBe(0);
    g.vars.set('b', Buffer.from('old'));
    const b = env.create(root(env), 'b', 0o666, ORDWR, req()).node;
    expect(g.vars.get('b')!.length).toBe(0);
    env.write(b, 0, bytes('new'), req());
    env.remove(env.walk(root(env), 'b', req()).node, req());
    expect(g.vars.has('b')).toBe(false);
    expect(() => env.read(b, 0, 10, req())).toThrow(Enoent);
    expect(() => env.remove(b, req())).toThrow(Enoent);
    expect(() => env.remove(root(env), req())).toThrow(Eperm);
  });

  it('ORCLOSE removes at clunk; directories cannot be created', () => {
    const { env, g } = device();
    const t = env.create(root(env), 'tmp', 0o666, OWRITE | ORCLOSE, req()).node;
    expect(g.vars.has('tmp')).toBe(true);
    env.clunk(t, req());
    expect(g.vars.has('tmp')).toBe(false);
    expect(() => env.create(root(env), 'd', DMDIR | 0o777, OREAD, req())).toThrow(Eperm);
  });

  it('qids: stable path per variable, version bumps on writes, distinct across groups', () => {
    const { env, g, envs } = device();
    const h = env.create(root(env), 'v', 0o666, OWRITE, req());
    const q1 = env.walk(root(env), 'v', req()).qid;
    env.write(h.node, 0, bytes('x'), req());
    const q2 = env.walk(root(env), 'v', req()).qid;
    expect(q2.path).toBe(q1.path);
    expect(q2.version).toBeGreaterThan(q1.version);
    const g2 = new EnvGroup(8);
    g2.vars.set('v', Buffer.from(g.vars.get('v')!));
    envs.set(8, g2);
    expect(env.walk(root(env, '8'), 'v', req()).qid.path).not.toBe(q1.path);
    expect(root(env, '8')).toBeInstanceOf(EnvHandle);
  });

  it('wstat changes only the length', () => {
    const { env, g } = device();
    g.vars.set('x', Buffer.from('abcdef'));
    const h = env.walk(root(env), 'x', req()).node;
    env.wstat(h, { ...nullDir(), length: 2 }, req());
    expect(g.vars.get('x')!.toString()).toBe('ab');
    env.wstat(h, nullDir(), req());
    expect(() => env.wstat(h, { ...nullDir(), name: 'y' }, req())).toThrow(Eperm);
    expect(() => env.wstat(h, { ...nullDir(), length: MAXENVVAL + 1 }, req())).toThrow(Etoobig);
  });

  it('unknown group ids fail the attach; "" is an empty directory', () => {
    const { env } = device();
    expect(() => env.attach('glenda', '99', req())).toThrow(Ebadattach);
    expect(() => env.attach('glenda', 'abc', req())).toThrow(Ebadattach);
    const empty = env.attach('glenda', '', req()).node;
    expect(env.readdir(empty, req())).toEqual([]);
    expect(() => env.create(empty, 'x', 0o666, OWRITE, req())).toThrow(Eperm);
  });

  it('values are bounded', () => {
    const { env } = device();
    const h = env.create(root(env), 'big', 0o666, OWRITE, req()).node;
    expect(() => env.write(h, MAXENVVAL, bytes('x'), req())).toThrow(Etoobig);
  });
});

describe('#e through the kernel', () => {
  it('/env shows the process group: writeFile creates, readFile reads, remove deletes', async () => {
    const { sys, p } = boot();
    await sys.bind('#e', '/env', MCREATE);
    await sys.writeFile('/env/home', '/usr/glenda');
    expect(p.env.vars.get('home')!.toString()).toBe('/usr/glenda');
    expect(str(await sys.readFile('/env/home'))).toBe('/usr/glenda');
    await sys.writeFile('/env/home', '/tmp');
    expect(str(await sys.readFile('/env/home'))).toBe('/tmp');
    p.env.vars.set('set-by-kernel', Buffer.from('1'));
    expect((await sys.dirread('/env')).map((d) => d.name).sort()).toEqual(['home', 'set-by-kernel']);
    await sys.remove('/env/home');
    expect(p.env.vars.has('home')).toBe(false);
    expect(await errOf(() => sys.readFile('/env/home'))).toBe(Enoent);
  });

  it("rfork e gives a process its own /env: the child's variables do not show in the parent", async () => {
    const { k, sys, p } = boot();
    await sys.bind('#e', '/env', MCREATE);
    await sys.bind('#b', '/bin');
    await sys.writeFile('/env/shared', 'from parent');
    const child: Program = async (cs) => {
      const inherited = (await cs.readFile('/env/shared')).toString();
      await cs.writeFile('/env/shared', 'changed by child');
      await cs.writeFile('/env/mine', 'child only');
      return inherited === 'from parent' ? '' : `inherited ${inherited}`;
    };
    k.programs.set('child', child);
    const pid = await sys.spawn('child', ['child'], { rfork: 'e' });
    expect(await sys.waitpid(pid)).toBe('');
    expect(str(await sys.readFile('/env/shared'))).toBe('from parent');
    expect(await errOf(() => sys.readFile('/env/mine'))).toBe(Enoent);
    expect(p.env.vars.has('mine')).toBe(false);
  });

  it('without rfork e a child shares the group; rfork E starts empty', async () => {
    const { k, sys } = boot();
    await sys.bind('#e', '/env', MCREATE);
    await sys.bind('#b', '/bin');
    await sys.writeFile('/env/x', '1');
    k.programs.set('setter', async (cs) => { await cs.writeFile('/env/y', '2'); });
    k.programs.set('lister', async (cs) => { const n = (await cs.dirread('/env')).length; return n === 0 ? '' : `saw ${n}`; });
    expect(await sys.waitpid(await sys.spawn('setter', ['setter']))).toBe('');
    expect(str(await sys.readFile('/env/y'))).toBe('2');
    expect(await sys.waitpid(await sys.spawn('lister', ['lister'], { rfork: 'E' }))).toBe('');
    await sys.rfork('E');
    expect(await sys.dirread('/env')).toEqual([]);
  });

  it('mounting an unknown group fails the attach', async () => {
    const { sys } = boot();
    expect(await errOf(() => sys.mount('#e', '/n/env', MREPL, '999'))).toContain(Ebadattach);
  });
});
