// Capabilities: rights only shrink on mint, revoke kills every descendant, channels opened
// through a revoked capability fail, slots a process was not given cannot be used, mounts
// carry the rights of the capability they were made with, and spawn narrows what a child gets.

import { TestKernels, errOf, str } from './testkit.ts';
import type { TestNode } from './testkit.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { Kernel } from './kernel.ts';
import type { Program } from './kernel.ts';
import { ALL_RIGHTS, Cap, CSpace, Right, parseRights, rightsText } from './cap.ts';
import { MAFTER, MBEFORE, MCREATE, MREPL, OREAD, ORDWR, OWRITE, Sys } from './sys.ts';

// ---- fixtures ----

const kernels = new TestKernels();
afterEach(() => kernels.shutdown());

const DEVICES = ['#r1', '#r2', '#r3'];

type Node = TestNode;

/**
 * A kernel with ramfs devices '#r1'..'#r3' and a '#b' bin device for programs; init holds
 * `rights[object]` for each object (ALL_RIGHTS unless given; undefined leaves it out).
 * Unless bare, '#b' is at /bin and the ramfs devices are at /a /b /c (-c).
 */
async function boot(opts: { programs?: Record<string, Program>; rights?: Record<string, number | undefined>; bare?: boolean } = {}): Promise<Node> {
  const { k, init, sys } = kernels.make({ ramfs: DEVICES, ...opts });
  if (!opts.bare) {
    await sys.mount('#b', '/bin');
    await sys.mount('#r1', '/a', MCREATE);
    await sys.mount('#r2', '/b', MCREATE);
    await sys.mount('#r3', '/c', MCREATE);
    await sys.writeFile('/a/f1', 'r1 f1 contents');
    await sys.writeFile('/a/g1', 'r1 g1');
    await sys.mkdir('/a/sub');
    await sys.writeFile('/b/f2', 'r2 f2');
    await sys.writeFile('/c/f3', 'r3 f3');
    await sys.mkdir('/c/d3');
    await sys.writeFile('/c/d3/inner', 'r3 inner');
  }
  return { k, init, sys };
}

/** A second, unrelated process in k holding exactly the given capabilities. */
function otherInit(k: Kernel, caps: Record<string, number>): Sys {
  const p = k.newInit('glenda', new CSpace());
  for (const [o, r] of Object.entries(caps)) k.grant(p, o, r);
  return new Sys(k, p);
}

function slotOf(sys: Sys, object: string): number {
  const c = sys.caps().find((x) => x.object === object && !x.revoked);
  if (!c) throw new Error(`no capability for ${object}`);
  return c.slot;
}


function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

const RO = Right.read | Right.walk | Right.mount | Right.exec;

// ---- the Cap object ----

describe('Cap: mint', () => {
  it('mints equal or smaller rights, keeping object and badge', () => {
    const root = new Cap('dev:#r1', ALL_RIGHTS, 7);
    const rw = root.mint(Right.read | Right.write | Right.grant);
    expect(rw.object).toBe('dev:#r1');
    expect(rw.rights).toBe(Right.read | Right.write | Right.grant);
    expect(rw.badge).toBe(7);
    expect(rw.parent).toBe(root);
    const same = rw.mint(rw.rights, 9);
    expect(same.rights).toBe(rw.rights);
    expect(same.badge).toBe(9);
    const r = same.mint(Right.read);
    expect(r.has(Right.read)).toBe(true);
    expect(r.has(Right.write)).toBe(false);
    expect(r.mint(0).rights).toBe(0);
  });

  it('refuses to grow rights: "capability rights cannot grow"', () => {
    const c = new Cap('ns', Right.read | Right.walk);
    expect(() => c.mint(Right.read | Right.walk | Right.write)).toThrow(new Error('capability rights cannot grow'));
    expect(() => c.mint(Right.mount)).toThrow(new Error('capability rights cannot grow'));
    expect(() => c.mint(ALL_RIGHTS)).toThrow(new Error('capability rights cannot grow'));
    const r = c.mint(Right.read);
    expect(() => r.mint(Right.walk)).toThrow(new Error('capability rights cannot grow'));
  });

  it('check names the missing right and the object', () => {
    const c = new Cap('dev:#r1', Right.read | Right.walk);
    expect(() => c.check(Right.read, 'read')).not.toThrow();
    expect(() => c.check(Right.write, 'write')).toThrow(new Error('permission denied: write needs w on dev:#r1'));
    expect(() => c.check(Right.create | Right.remove, 'x')).toThrow(new Error('permission denied: x needs cd on dev:#r1'));
  });

  it('rights text and parsing agree', () => {
    expect(rightsText(ALL_RIGHTS)).toBe('rwlcdmxsg');
    expect(rightsText(0)).toBe('---------');
    expect(rightsText(Right.read | Right.mount | Right.grant)).toBe('r----m--g');
    expect(parseRights('rwl')).toBe(Right.read | Right.write | Right.walk);
    expect(parseRights('r----m--g')).toBe(Right.read | Right.mount | Right.grant);
    expect(parseRights('read,exec spawn')).toBe(Right.read | Right.exec | Right.spawn);
    expect(parseRights('all')).toBe(ALL_RIGHTS);
    for (let r = 0; r <= ALL_RIGHTS; r += 37) expect(parseRights(rightsText(r))).toBe(r);
    expect(() => parseRights('read,fly')).toThrow(new Error("unknown right 'fly' (want read write walk create remove mount exec spawn grant)"));
  });
});

describe('Cap: revoke', () => {
  it('revoke kills every descendant, keeps the capability itself, and counts the dead', () => {
    const root = new Cap('obj', ALL_RIGHTS);
    const a = root.mint(Right.read | Right.write | Right.grant);
    const a1 = a.mint(Right.read | Right.grant);
    const a11 = a1.mint(Right.read);
    const a2 = a.mint(Right.write);
    const b = root.mint(Right.read);
    expect(root.revoke()).toBe(5);
    for (const c of [a, a1, a11, a2, b]) {
      expect(c.revoked).toBe(true);
      expect(c.has(0)).toBe(false);
      expect(() => c.check(0, 'use')).toThrow(new Error('capability revoked'));
      expect(() => c.mint(0)).toThrow(new Error('capability revoked'));
    }
    expect(root.revoked).toBe(false);
    expect(root.has(ALL_RIGHTS)).toBe(true);
    // the root can derive again afterwards
    expect(root.mint(Right.read).revoked).toBe(false);
    expect(root.revoke()).toBe(1);
  });

  it('revoking a middle capability spares its ancestors and siblings', () => {
    const root = new Cap('obj', ALL_RIGHTS);
    const a = root.mint(ALL_RIGHTS);
    const a1 = a.mint(Right.read);
    const a2 = a.mint(Right.read);
    const a2x = a2.mint(Right.read);
    const b = root.mint(Right.read);
    expect(a2.destroy()).toBe(2);
    expect([a2.revoked, a2x.revoked]).toEqual([true, true]);
    expect([root.revoked, a.revoked, a1.revoked, b.revoked]).toEqual([false, false, false, false]);
    expect(a.revoke()).toBe(1);
    expect(a1.revoked).toBe(true);
    expect(b.revoked).toBe(false);
    expect(a2.destroy()).toBe(0);
  });

  it('whenRevoked runs once when the capability dies, at once if already dead', () => {
    const root = new Cap('obj', ALL_RIGHTS);
    const c = root.mint(Right.read).mint(Right.read);
    let n = 0;
    c.whenRevoked(() => n++);
    root.revoke();
    root.revoke();
    expect(n).toBe(1);
    c.whenRevoked(() => n++);
    expect(n).toBe(2);
  });
});

describe('CSpace', () => {
  it('installs in the lowest free slot and refuses slots it does not hold', () => {
    const cs = new CSpace();
    const root = new Cap('x', ALL_RIGHTS);
    expect(cs.install(root.mint(1))).toBe(0);
    expect(cs.install(root.mint(2))).toBe(1);
    expect(cs.install(root.mint(4))).toBe(2);
    cs.delete(1);
    expect(() => cs.get(1)).toThrow(new Error('bad capability slot'));
    expect(cs.install(root.mint(8))).toBe(1);
    for (const bad of [3, -1, 1.5, NaN, 1e9]) expect(() => cs.get(bad)).toThrow(new Error('bad capability slot'));
    expect(() => cs.delete(7)).toThrow(new Error('bad capability slot'));
  });

  it('find and need skip revoked capabilities and name what is missing', () => {
    const cs = new CSpace();
    const ns = new Cap('ns', ALL_RIGHTS);
    const weak = ns.mint(Right.read);
    cs.install(weak);
    expect(cs.find('ns', Right.read)).toBe(weak);
    expect(cs.find('ns', Right.mount)).toBeUndefined();
    expect(() => cs.need('ns', Right.mount, 'bind')).toThrow(new Error('permission denied: bind needs m on ns'));
    expect(() => cs.need('proc', Right.spawn, 'spawn')).toThrow(new Error('permission denied: spawn needs a capability for proc'));
    const strong = ns.mint(Right.read | Right.mount);
    cs.install(strong);
    expect(cs.need('ns', Right.mount, 'bind')).toBe(strong);
    ns.revoke();
    expect(cs.find('ns')).toBeUndefined();
    expect(() => cs.need('ns', Right.read, 'read')).toThrow(new Error('permission denied: read needs a capability for ns'));
  });

  it('derive mints every live capability, narrowed by the filter but never grown', () => {
    const cs = new CSpace();
    const a = new Cap('a', ALL_RIGHTS);
    const b = new Cap('b', Right.read | Right.write);
    const c = new Cap('c', Right.read);
    cs.install(a.mint(ALL_RIGHTS));
    cs.install(b.mint(Right.read | Right.write));
    const dead = c.mint(Right.read);
    cs.install(dead);
    dead.destroy();
    const child = cs.derive((cap) => (cap.object === 'b' ? ALL_RIGHTS : cap.object === 'a' ? Right.read : undefined));
    expect(child.list().map(({ cap }) => `${cap.object} ${rightsText(cap.rights)}`)).toEqual(['a r--------', 'b rw-------']);
    const all = cs.derive();
    expect(all.list().map(({ cap }) => cap.object)).toEqual(['a', 'b']);
    // derived capabilities are descendants: revoking the originals kills them
    a.revoke();
    expect(all.list()[0]!.cap.revoked).toBe(true);
    expect(all.list()[1]!.cap.revoked).toBe(false);
  });
});

// ---- capabilities through the syscalls ----

describe('syscalls: mint, revoke and slots', () => {
  it('a process mints only shrunken rights from a slot with grant', async () => {
    const { sys } = await boot({ bare: true, rights: { ns: Right.read | Right.walk | Right.mount | Right.grant } });
    const ns = slotOf(sys, 'ns');
    const s = sys.mint(ns, Right.read | Right.walk, 5);
    const mine = sys.caps().find((c) => c.slot === s)!;
    expect(mine).toEqual({ slot: s, object: 'ns', rights: 'r-l------', badge: 5, revoked: false });
    expect(await errOf(() => sys.mint(ns, Right.read | Right.write))).toBe('capability rights cannot grow');
    expect(await errOf(() => sys.mint(ns, ALL_RIGHTS))).toBe('capability rights cannot grow');
    // the minted one lacks grant, so it cannot mint in turn
    expect(await errOf(() => sys.mint(s, Right.read))).toBe('permission denied: mint needs g on ns');
  });

  it('revoke through a slot kills everything minted from it', async () => {
    const { sys } = await boot({ bare: true });
    const ns = slotOf(sys, 'ns');
    const s1 = sys.mint(ns, Right.read | Right.grant);
    const s2 = sys.mint(s1, Right.read);
    const s3 = sys.mint(ns, Right.walk);
    expect(sys.revoke(s1)).toBe(1);
    expect(sys.caps().find((c) => c.slot === s2)!.revoked).toBe(true);
    expect(sys.caps().find((c) => c.slot === s1)!.revoked).toBe(false);
    expect(sys.revoke(ns)).toBe(2);
    expect(sys.caps().filter((c) => c.revoked).map((c) => c.slot).sort()).toEqual([s1, s2, s3].sort());
    expect(await errOf(() => sys.mint(s1, Right.read))).toBe('capability revoked');
  });

  it('a slot that was never given is "bad capability slot"', async () => {
    const { sys } = await boot({ bare: true });
    const n = sys.caps().length;
    for (const bad of [n, n + 100, -1, 0.5]) {
      expect(await errOf(() => sys.mint(bad, 0))).toBe('bad capability slot');
      expect(await errOf(() => sys.revoke(bad))).toBe('bad capability slot');
    }
  });

  it('a child cannot use a slot for a capability it was not given', async () => {
    let childCaps: string[] = [];
    let err = '';
    const { sys } = await boot({
      programs: {
        probe: async (s) => {
          childCaps = s.caps().map((c) => c.object);
          err = await errOf(() => s.mint(s.caps().length, 0));
        },
      },
    });
    // dev:#r3 is the parent's last slot; the child is not given it
    const last = sys.caps()[sys.caps().length - 1]!;
    expect(last.object).toBe('dev:#r3');
    await sys.spawn('probe', ['probe'], { caps: (o, r) => (o === 'dev:#r3' ? undefined : r) });
    expect((await sys.await())!.status).toBe('');
    expect(childCaps).not.toContain('dev:#r3');
    expect(childCaps.length).toBe(sys.caps().length - 1);
    expect(err).toBe('bad capability slot');
  });
});

describe('syscalls: namespace authority', () => {
  it('bind, mount and unmount need mount on ns', async () => {
    const none = await boot({ bare: true, rights: { ns: undefined } });
    expect(await errOf(() => none.sys.mount('#r1', '/a'))).toBe('permission denied: mount needs a capability for ns');
    expect(await errOf(() => none.sys.bind('#r1', '/a'))).toBe('permission denied: bind needs a capability for ns');
    expect(await errOf(() => none.sys.unmount(undefined, '/a'))).toBe('permission denied: unmount needs a capability for ns');
    const weak = await boot({ bare: true, rights: { ns: Right.read | Right.walk } });
    expect(await errOf(() => weak.sys.mount('#r1', '/a'))).toBe('permission denied: mount needs m on ns');
    expect(await errOf(() => weak.sys.bind('#r1', '/a'))).toBe('permission denied: bind needs m on ns');
    expect(await weak.sys.dirread('/')).toEqual([]);
  });

  it('attaching a device needs a capability for it, and the error names it', async () => {
    const { sys } = await boot({ bare: true, rights: { 'dev:#r2': undefined, 'dev:#r3': Right.read | Right.walk } });
    expect(await errOf(() => sys.mount('#r2', '/b'))).toBe('permission denied: mount #r2 needs a capability for dev:#r2');
    expect(await errOf(() => sys.bind('#r2', '/b'))).toBe('permission denied: bind #r2 needs a capability for dev:#r2');
    expect(await errOf(() => sys.bind('#r2/sub', '/b'))).toBe('permission denied: bind #r2 needs a capability for dev:#r2');
    expect(await errOf(() => sys.mount('#r3', '/c'))).toBe('permission denied: mount #r3 needs m on dev:#r3');
    expect(await errOf(() => sys.mount('#nodev', '/c'))).toBe('file does not exist: no device #nodev');
    await sys.mount('#r1', '/a');
    expect((await sys.dirread('/')).map((d) => d.name)).toEqual(['a']);
  });

  it('revoking the device capability at the kernel stops every process from attaching it', async () => {
    const { k, sys } = await boot();
    k.rootCap('dev:#r2').revoke();
    expect(await errOf(() => sys.mount('#r2', '/b2'))).toBe('permission denied: mount #r2 needs a capability for dev:#r2');
    expect(await errOf(() => sys.readFile('/b/f2'))).toBe('capability revoked');
    expect(str(await sys.readFile('/a/f1'))).toBe('r1 f1 contents');
  });
});

describe('channels through a revoked capability', () => {
  it('an open fd fails its next read and write with "capability revoked"', async () => {
    const { sys } = await boot();
    const r = await sys.open('/a/f1', OREAD);
    const w = await sys.open('/a/g1', ORDWR);
    expect(str(await sys.read(r, 3))).toBe('r1 ');
    expect(await sys.write(w, 'R1')).toBe(2);
    const other = await sys.open('/b/f2', OREAD);
    // revoke what was minted from init's #r1 capability: the mount's capability is among them
    expect(sys.revoke(slotOf(sys, 'dev:#r1'))).toBeGreaterThan(0);
    expect(await errOf(() => sys.read(r, 3))).toBe('capability revoked');
    expect(await errOf(() => sys.write(w, 'x'))).toBe('capability revoked');
    expect(await errOf(() => sys.pread(w, 3, 0))).toBe('capability revoked');
    expect(await errOf(() => sys.fstat(r))).toBe('capability revoked');
    expect(sys.errstr()).toBe('capability revoked');
    // new walks through the mount fail the same way
    expect(await errOf(() => sys.open('/a/f1', OREAD))).toBe('capability revoked');
    expect(await errOf(() => sys.dirread('/a'))).toBe('capability revoked');
    expect(await errOf(() => sys.stat('/a/sub'))).toBe('capability revoked');
    expect(await errOf(() => sys.create('/a/new', OWRITE, 0o644))).toBe('capability revoked');
    // other mounts and fds are untouched
    expect(str(await sys.read(other, 100))).toBe('r2 f2');
    // the fds can still be closed, and init (whose own capability survives) can mount again
    await sys.close(r);
    await sys.close(w);
    await sys.unmount(undefined, '/a');
    await sys.mount('#r1', '/a');
    expect(str(await sys.readFile('/a/g1'))).toBe('R1 g1');
  });

  it('a bind of a path through the revoked mount is revoked too', async () => {
    const { sys } = await boot();
    await sys.bind('/a', '/b');
    await sys.bind('/a/f1', '/c/f3');
    sys.revoke(slotOf(sys, 'dev:#r1'));
    expect(await errOf(() => sys.readFile('/b/f1'))).toBe('capability revoked');
    expect(await errOf(() => sys.readFile('/c/f3'))).toBe('capability revoked');
    expect(str(await sys.readFile('/c/d3/inner'))).toBe('r3 inner');
  });

  it("revoking a parent's slot revokes what the child derived from it, while the child runs", async () => {
    const opened = deferred();
    const go = deferred();
    let childCaps: Array<{ object: string; revoked: boolean }> = [];
    const { sys } = await boot({
      programs: {
        holder: async (s) => {
          await s.rfork('N');
          await s.mount('#r2', '/mine');
          const fd = await s.open('/mine/f2', OREAD);
          opened.resolve();
          await go.promise;
          childCaps = s.caps().map((c) => ({ object: c.object, revoked: c.revoked }));
          const a = await errOf(() => s.read(fd, 10));
          const b = await errOf(() => s.mount('#r2', '/again'));
          return `${a}; ${b}`;
        },
      },
    });
    await sys.spawn('holder', ['holder']);
    await opened.promise;
    sys.revoke(slotOf(sys, 'dev:#r2'));
    go.resolve();
    expect((await sys.await())!.status).toBe('holder 2: capability revoked; permission denied: mount #r2 needs a capability for dev:#r2');
    expect(childCaps.find((c) => c.object === 'dev:#r2')!.revoked).toBe(true);
    expect(childCaps.find((c) => c.object === 'dev:#r1')!.revoked).toBe(false);
  });
});

describe('mount rights gate what is reached through the mount', () => {
  it('a mount made with a read-only capability refuses writes, creates and removes', async () => {
    const { k, sys } = await boot();
    const ro = otherInit(k, { ns: ALL_RIGHTS, 'dev:#r1': RO });
    await ro.mount('#r1', '/ro', MCREATE);
    expect(str(await ro.readFile('/ro/f1'))).toBe('r1 f1 contents');
    expect((await ro.dirread('/ro')).map((d) => d.name)).toEqual(['f1', 'g1', 'sub']);
    expect(await errOf(() => ro.open('/ro/f1', OWRITE))).toBe('permission denied: open needs w on dev:#r1');
    expect(await errOf(() => ro.open('/ro/f1', ORDWR))).toBe('permission denied: open needs rw on dev:#r1');
    expect(await errOf(() => ro.writeFile('/ro/f1', 'x'))).toBe('permission denied: open needs w on dev:#r1');
    expect(await errOf(() => ro.create('/ro/new', OWRITE, 0o644))).toBe('permission denied: create needs c on dev:#r1');
    expect(await errOf(() => ro.mkdir('/ro/sub/newdir'))).toBe('permission denied: create needs c on dev:#r1');
    expect(await errOf(() => ro.remove('/ro/g1'))).toBe('permission denied: remove needs d on dev:#r1');
    expect(await errOf(() => ro.wstat('/ro/g1', { name: 'renamed' }))).toBe('permission denied: wstat needs w on dev:#r1');
    // the same files, through init's full-rights mount, are untouched
    expect(str(await sys.readFile('/a/f1'))).toBe('r1 f1 contents');
    expect((await sys.dirread('/a')).map((d) => d.name)).toEqual(['f1', 'g1', 'sub']);
  });

  it('the rights follow a path when it is bound elsewhere', async () => {
    const { k } = await boot();
    const ro = otherInit(k, { ns: ALL_RIGHTS, 'dev:#r1': RO, 'dev:#r2': ALL_RIGHTS });
    await ro.mount('#r1', '/ro');
    await ro.mount('#r2', '/rw', MCREATE);
    await ro.bind('/ro/sub', '/rw', MAFTER | MCREATE);
    // create goes to the first -c member, /rw's own root, which may create
    await ro.writeFile('/rw/ok', 'fine');
    // a file bound over a writable one brings its read-only capability along
    await ro.bind('/ro/f1', '/rw/ok');
    expect(str(await ro.readFile('/rw/ok'))).toBe('r1 f1 contents');
    expect(await errOf(() => ro.open('/rw/ok', OWRITE))).toBe('permission denied: open needs w on dev:#r1');
    // a directory bound with -c still cannot create through a read-only capability
    await ro.bind('/ro/sub', '/rw', MREPL | MCREATE);
    expect(await errOf(() => ro.create('/rw/nope', OWRITE, 0o644))).toBe('permission denied: create needs c on dev:#r1');
  });

  it('a -c member whose capability cannot create makes the create fail (no fallthrough)', async () => {
    const { k } = await boot();
    const p = otherInit(k, { ns: ALL_RIGHTS, 'dev:#r1': RO, 'dev:#r2': ALL_RIGHTS });
    await p.mount('#r2', '/u', MCREATE);
    await p.bind('#r1', '/u', MBEFORE | MCREATE);
    expect(await errOf(() => p.create('/u/x', OWRITE, 0o644))).toBe('permission denied: create needs c on dev:#r1');
    expect((await p.dirread('/u')).map((d) => d.name)).toEqual(['f1', 'g1', 'sub', 'f2']);
  });

  it('exec needs exec on the mount that holds the program', async () => {
    let ran = false;
    const { k } = await boot({ programs: { hello: () => { ran = true; } } });
    const p = otherInit(k, { ns: ALL_RIGHTS, proc: ALL_RIGHTS, 'dev:#b': Right.read | Right.walk | Right.mount });
    await p.mount('#b', '/bin');
    expect((await p.dirread('/bin')).map((d) => d.name)).toEqual(['hello']);
    expect(await errOf(() => p.spawn('hello', ['hello']))).toBe('permission denied: exec /bin/hello needs x on dev:#b');
    expect(ran).toBe(false);
  });
});

describe('spawn and capabilities', () => {
  it('spawn needs spawn on proc', async () => {
    const none = await boot({ programs: { t: () => {} }, rights: { proc: undefined } });
    expect(await errOf(() => none.sys.spawn('t', ['t']))).toBe('permission denied: spawn needs a capability for proc');
    const weak = await boot({ programs: { t: () => {} }, rights: { proc: Right.grant } });
    expect(await errOf(() => weak.sys.spawn('t', ['t']))).toBe('permission denied: spawn needs s on proc');
  });

  it('by default the child holds the same rights, derived from the parent', async () => {
    let seen: Array<{ object: string; rights: string }> = [];
    const { sys } = await boot({ programs: { look: (s) => { seen = s.caps().map(({ object, rights }) => ({ object, rights })); } } });
    await sys.spawn('look', ['look']);
    await sys.await();
    expect(seen).toEqual(sys.caps().map(({ object, rights }) => ({ object, rights })));
  });

  it('opts.caps gives the child less: dropped objects and narrowed rights', async () => {
    let seen: Array<{ object: string; rights: string }> = [];
    let results: string[] = [];
    const { sys } = await boot({
      programs: {
        narrow: async (s) => {
          seen = s.caps().map(({ object, rights }) => ({ object, rights }));
          await s.rfork('N');
          await s.mount('#r1', '/a');
          results = [
            str(await s.readFile('/a/f1')),
            await errOf(() => s.open('/a/f1', OWRITE)),
            await errOf(() => s.mount('#r2', '/b')),
            await errOf(() => s.mint(0, 0)),
          ];
        },
      },
    });
    await sys.spawn('narrow', ['narrow'], {
      caps: (o, r) => (o === 'dev:#r1' ? RO : o === 'dev:#r2' ? undefined : o === 'ns' ? Right.mount | Right.walk | Right.read : r),
    });
    expect((await sys.await())!.status).toBe('');
    expect(seen).toEqual([
      { object: 'ns', rights: 'r-l--m---' },
      { object: 'proc', rights: 'rwlcdmxsg' },
      { object: 'dev:#b', rights: 'rwlcdmxsg' },
      { object: 'dev:#r1', rights: 'r-l--mx--' },
      { object: 'dev:#r3', rights: 'rwlcdmxsg' },
    ]);
    expect(results).toEqual([
      'r1 f1 contents',
      'permission denied: open needs w on dev:#r1',
      'permission denied: mount #r2 needs a capability for dev:#r2',
      'permission denied: mint needs g on ns',
    ]);
    // the parent keeps everything
    expect(sys.caps().every((c) => c.rights === 'rwlcdmxsg' && !c.revoked)).toBe(true);
  });

  it('a filter cannot grow rights beyond the parent\'s', async () => {
    let seen: string[] = [];
    const { sys } = await boot({
      programs: { look: (s) => { seen = s.caps().map((c) => `${c.object} ${c.rights}`); } },
      rights: { 'dev:#b': RO },
    });
    await sys.spawn('look', ['look'], { caps: () => ALL_RIGHTS });
    await sys.await();
    expect(seen).toContain('dev:#b r-l--mx--');
    expect(seen).toContain('dev:#r3 rwlcdmxsg');
  });

  it('narrowing without grant on proc is refused', async () => {
    let ran = false;
    const { sys } = await boot({ programs: { t: () => { ran = true; } }, rights: { proc: ALL_RIGHTS & ~Right.grant } });
    expect(await errOf(() => sys.spawn('t', ['t'], { caps: (_o, r) => r }))).toBe('permission denied: spawn with narrowed capabilities needs g on proc');
    expect(ran).toBe(false);
    // without narrowing it may still spawn
    await sys.spawn('t', ['t']);
    expect((await sys.await())!.status).toBe('');
    expect(ran).toBe(true);
  });

  it('a child given no ns capability cannot change even a private namespace', async () => {
    const { sys } = await boot({
      programs: {
        noauth: async (s) => {
          await s.rfork('n');
          return errOf(() => s.bind('/b', '/a'));
        },
      },
    });
    await sys.spawn('noauth', ['noauth'], { caps: (o, r) => (o === 'ns' ? undefined : r) });
    expect((await sys.await())!.status).toBe('noauth 2: permission denied: bind needs a capability for ns');
  });
});

describe('notes need authority over the target', () => {
  it('posting a note to a process that is not yours needs grant on proc', async () => {
    const { k, sys } = await boot({ bare: true });
    const weak = otherInit(k, { proc: Right.spawn });
    expect(await errOf(() => weak.postnote(sys.pid, 'kill'))).toBe('permission denied: postnote to a process that is not yours needs g on proc');
    const none = otherInit(k, {});
    expect(await errOf(() => none.postnote(sys.pid, 'kill'))).toBe('permission denied: postnote to a process that is not yours needs a capability for proc');
    expect(sys.proc.killed).toBe(false);
    expect(await errOf(() => weak.postnote(9999, 'kill'))).toBe('process does not exist');
  });

  it('a process that ends leaves the derivation tree: a long-lived parent does not accumulate its children\'s capabilities', async () => {
    let grandchild: number | undefined;
    const { k, sys, init } = await boot({
      programs: {
        t: () => {},
        parent: async (s) => { grandchild = await s.spawn('/bin/slow', ['slow']); },
        slow: (s) => s.sleep(60_000),
      },
    });
    const procCap = init.cspace.find('proc')!;
    const before = procCap.derived;
    for (let i = 0; i < 50; i++) await sys.waitpid(await sys.spawn('/bin/t', ['t']));
    expect(procCap.derived).toBe(before);
    // What a child handed on survives its exit and stays revocable from above.
    await sys.waitpid(await sys.spawn('/bin/parent', ['parent']));
    expect(grandchild).toBeDefined();
    expect(procCap.revoke()).toBeGreaterThan(0);
    expect(k.procs.get(grandchild!)?.cspace.find('proc')).toBeUndefined();
  });
});

