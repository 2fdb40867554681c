// Dir.type and Dir.dev through the kernel (stat(5), intro(3)): every Dir a process gets from
// stat, fstat and directory reads names the device its file is on, so (type, dev, qid.path)
// tells files apart as Plan 9 programs expect; and the 9P connections the kernel dials
// (mounts, /srv posts) are closed when nothing uses them, or at shutdown.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Ramfs } from '../fs/server/ramfs.ts';
import { Server } from '../fs/server/server.ts';
import { listen } from '../fs/transport/net.ts';
import type { Listener } from '../fs/transport/net.ts';
import type { Dir } from '../fs/9p/fcall.ts';
import { ALL_RIGHTS } from './cap.ts';
import { boot } from './dev/testing.ts';
import type { Booted } from './dev/testing.ts';
import { MAFTER, MCREATE, OREAD } from './sys.ts';

const made: Booted[] = [];
afterEach(async () => { for (const b of made.splice(0)) await b.k.shutdown(); });

let l: Listener;
const server = new Server(new Ramfs());
beforeAll(async () => { l = await listen('tcp!127.0.0.1!0', (link) => server.serve(link)); });
afterAll(async () => { server.closeAll(); await l.close(); });

const letter = (d: Dir): string => String.fromCharCode(d.type);
const id = (d: Dir): string => `${letter(d)} ${d.dev} ${d.qid.path}`;

/** Devices at /tmp (#r), /dev (#c), /adm, and two services (ramfs devices with long names). */
async function node(): Promise<Booted> {
  const b = boot();
  made.push(b);
  const { k, p, sys } = b;
  for (const s of ['#svc', '#other']) { k.addDevice(s, new Ramfs()); k.grant(p, `dev:${s}`, ALL_RIGHTS); }
  await sys.mount('#r', '/tmp', MCREATE);
  await sys.mount('#c', '/dev');
  await sys.mount('#adm', '/adm');
  await sys.mount('#svc', '/svc', MCREATE);
  await sys.mount('#other', '/other', MCREATE);
  await sys.bind('#s', '/srv', MCREATE);
  return b;
}

/** Wait until cond holds (a socket's close reaches the server a little later). */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

/** The server's sessions that are not in old, once there are n of them. */
async function newSessions(old: ReadonlySet<unknown>, n: number): Promise<unknown[]> {
  const fresh = (): unknown[] => [...server.sessions].filter((s) => !old.has(s));
  await until(() => fresh().length === n);
  return fresh();
}

const gone = (ss: unknown[]) => (): boolean => ss.every((s) => !server.sessions.has(s as never));

describe('Dir.type and Dir.dev', () => {
  it('stat names the device: its letter, or M for a service, with distinct instances', async () => {
    const { sys } = await node();
    for (const f of ['/tmp/a', '/svc/a', '/other/a']) await sys.writeFile(f, 'x');
    const [t, s, o] = [await sys.stat('/tmp/a'), await sys.stat('/svc/a'), await sys.stat('/other/a')];
    // The servers number their files alike: only type and dev tell them apart.
    expect(t.qid.path).toBe(s.qid.path);
    expect(s.qid.path).toBe(o.qid.path);
    expect([letter(t), t.dev]).toEqual(['r', 0]);
    expect(letter(s)).toBe('M');
    expect(letter(o)).toBe('M');
    expect(s.dev).not.toBe(o.dev);
    expect(letter(await sys.stat('/dev/cons'))).toBe('c');
    expect(letter(await sys.stat('/adm/wtmp'))).toBe('M');
    expect(letter(await sys.stat('/'))).toBe('/');
  });

  it('fstat and directory reads carry it too, a union entry its own member\'s', async () => {
    const { sys } = await node();
    await sys.writeFile('/tmp/a', 'x');
    await sys.writeFile('/svc/b', 'y');
    const fd = await sys.open('/tmp/a', OREAD);
    expect(id(await sys.fstat(fd))).toBe(id(await sys.stat('/tmp/a')));
    await sys.close(fd);
    const [r, w] = await sys.pipe();
    expect(letter(await sys.fstat(r))).toBe('|');
    await sys.close(r); await sys.close(w);
    expect((await sys.dirread('/tmp')).map(id)).toEqual([id(await sys.stat('/tmp/a'))]);
    await sys.bind('/svc', '/tmp', MAFTER);
    const ents = await sys.dirread('/tmp');
    expect(ents.map((d) => `${d.name} ${letter(d)}`)).toEqual(['a r', 'b M']);
    expect(id(ents[1]!)).toBe(id(await sys.stat('/svc/b')));
    expect((await sys.dirread('/')).every((d) => letter(d) === '/')).toBe(true);
    // Reading the directory through an fd (read(5)) gives the same records.
    expect(letter((await sys.dirread('/dev'))[0]!)).toBe('c');
  });

  it('one file reached by two names is one (type, dev, qid)', async () => {
    const { sys } = await node();
    await sys.writeFile('/svc/f', 'x');
    await sys.bind('/svc', '/tmp', MAFTER);
    expect(id(await sys.stat('/tmp/f'))).toBe(id(await sys.stat('/svc/f')));
  });

  it('an attach name is an instance: numbered per process device, first seen otherwise', async () => {
    const { k } = await node();
    const c = k.device('#c'), e = k.device('#e'), svc = k.device('#svc');
    expect(c.instance('')).toBe(c.devid);
    expect(c.instance('console').dev).toBe(0);
    expect(c.instance('web1').dev).toBe(1);
    expect(c.instance('web1')).toBe(c.instance('web1'));
    expect(e.instance('17')).toMatchObject({ type: 'e'.charCodeAt(0), dev: 17 });
    expect(svc.instance('x').dev).not.toBe(svc.devid.dev);
    expect(svc.instance('x').dev).not.toBe(k.device('#other').devid.dev);
  });

  it('each dialed connection is M with a dev of its own; mounts of one posted session share it', async () => {
    const { sys, k } = await node();
    await sys.mount(l.address, '/n1', MCREATE);
    await sys.writeFile('/n1/f', 'remote');
    await sys.mount(l.address, '/n2');
    const [a, b] = [await sys.stat('/n1/f'), await sys.stat('/n2/f')];
    expect([letter(a), letter(b)]).toEqual(['M', 'M']);
    expect(a.dev).not.toBe(b.dev);
    expect(a.dev).not.toBe(k.device('#svc').devid.dev);
    await sys.srv('x', l.address);
    await sys.mount('/srv/x', '/n3');
    await sys.mount('/srv/x', '/n4');
    const [c, d] = [await sys.stat('/n3/f'), await sys.stat('/n4/f')];
    expect(id(c)).toBe(id(d));
    expect(c.dev).not.toBe(a.dev);
  });
});

describe('dialed connections', () => {
  it('a mount\'s connection closes at unmount, or when its last open file closes', async () => {
    const { sys, k } = await node();
    const old = new Set(server.sessions);
    await sys.mount(l.address, '/n', MCREATE);
    expect(k.mnts.size).toBe(1);
    const ss = await newSessions(old, 1);
    await sys.writeFile('/n/f', 'x');
    const fd = await sys.open('/n/f', OREAD);
    await sys.unmount(undefined, '/n');
    expect(k.mnts.size).toBe(1); // the open file still needs it
    expect(new TextDecoder().decode(await sys.read(fd, 10))).toBe('x');
    expect(gone(ss)()).toBe(false);
    await sys.close(fd);
    expect(k.mnts.size).toBe(0);
    await until(gone(ss));
  });

  it('srv; mount; rm /srv/x (import\'s way): the mount keeps it, unmount closes it', async () => {
    const { sys, k } = await node();
    await sys.srv('x', l.address);
    await sys.mount('/srv/x', '/n');
    await sys.remove('/srv/x');
    expect(k.mnts.size).toBe(1);
    expect((await sys.dirread('/n')).length).toBeGreaterThanOrEqual(0);
    await sys.unmount(undefined, '/n');
    expect(k.mnts.size).toBe(0);
    await sys.srv('y', l.address);
    await sys.remove('/srv/y');
    expect(k.mnts.size).toBe(0);
  });

  it('shutdown closes every connection still in use, posted or not', async () => {
    const b = await node();
    const old = new Set(server.sessions);
    await b.sys.mount(l.address, '/n');
    await b.sys.srv('x', l.address);
    await b.sys.mount('/srv/x', '/m');
    await b.sys.remove('/srv/x');
    expect(b.k.mnts.size).toBe(2);
    const ss = await newSessions(old, 2);
    await b.k.shutdown();
    expect(b.k.mnts.size).toBe(0);
    await until(gone(ss));
  });
});
