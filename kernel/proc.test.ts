// Processes: spawn and await (pid, Plan 9 wait message), exits, fds (dup shares the offset,
// close-on-exec, rfork f/F), notes (interrupt aborts a blocking call, kill kills), and
// isolation of failures: a program or a file server that throws does not take the kernel down.

import { TestKernels, errOf, str } from './testkit.ts';
import type { TestNode } from './testkit.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { Kernel } from './kernel.ts';
import type { Program } from './kernel.ts';
import { CSpace } from './cap.ts';
import { MCREATE, OREAD, ORDWR, OWRITE } from './sys.ts';
import { ORCLOSE } from '../fs/9p/constants.ts';
import { Ramfs } from '../fs/server/ramfs.ts';
import type { RamHandle } from '../fs/server/ramfs.ts';
import type { FileServer, Req } from '../fs/server/fileserver.ts';
import { Tree, file, gen, interruptible, text } from '../fs/server/tree.ts';
import type { TreeNode } from '../fs/server/tree.ts';

// ---- fixtures ----

const kernels = new TestKernels();
afterEach(() => kernels.shutdown());

type Node = TestNode;

/** Extra devices: name -> server. */
type Devices = Record<string, FileServer<unknown>>;

/**
 * A kernel with ramfs '#r1' (at /a, -c, holding /a/data = '0123456789') and '#r2' (at /b),
 * a '#b' bin device listing the programs (at /bin), any extra devices (not mounted), and an
 * init holding every capability.
 */
async function boot(programs: Record<string, Program> = {}, extra: Devices = {}): Promise<Node> {
  const bins: TreeNode[] = [
    text('script', '#!/bin/interp -x\nbody\n', { mode: 0o555 }),
    text('nobuiltin', '#!builtin missing\n', { mode: 0o555 }),
    text('junk', 'not a program\n', { mode: 0o555 }),
  ];
  const { k, init, sys } = kernels.make({ ramfs: ['#r1', '#r2'], devices: extra, programs, bins });
  await sys.mount('#b', '/bin');
  await sys.mount('#r1', '/a', MCREATE);
  await sys.mount('#r2', '/b', MCREATE);
  await sys.writeFile('/a/data', '0123456789');
  return { k, init, sys };
}


function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

/** The message JavaScript gives for reading a property of undefined, as a buggy program would. */
function typeErrorMessage(): string {
  try {
    (undefined as unknown as { x: number }).x;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('unreachable');
}

// ---- tests ----

describe('spawn and wait', () => {
  it('spawn returns the pid; await returns that pid and an empty status on success', async () => {
    let args: string[] = [];
    let ppid = -1;
    const { sys, k } = await boot({ ok: (s) => { args = s.args; ppid = s.proc.ppid; } });
    const pid = await sys.spawn('ok', ['ok', 'one', 'two']);
    expect(pid).toBe(2);
    const w = await sys.await();
    expect(w).toBeDefined();
    expect(w!.pid).toBe(pid);
    expect(w!.status).toBe('');
    expect(w!.time).toBeGreaterThanOrEqual(0);
    expect(args).toEqual(['ok', 'one', 'two']);
    expect(ppid).toBe(sys.pid);
    expect(k.procs.has(pid)).toBe(false);
  });

  it('exits(msg) ends the program; the wait message is "name pid: msg"', async () => {
    let after = false;
    const { sys } = await boot({
      boom: (s) => { s.exits('boom'); after = true; },
      ret: () => 'returned status',
      quiet: (s) => s.exits(),
    });
    const p1 = await sys.spawn('boom', ['boom']);
    expect(await sys.await()).toMatchObject({ pid: p1, status: `boom ${p1}: boom` });
    expect(after).toBe(false);
    const p2 = await sys.spawn('ret', ['ret']);
    expect(await sys.await()).toMatchObject({ pid: p2, status: `ret ${p2}: returned status` });
    const p3 = await sys.spawn('quiet', ['quiet']);
    expect(await sys.await()).toMatchObject({ pid: p3, status: '' });
  });

  it('waitpid returns the bare exit status of that child', async () => {
    const { sys } = await boot({ boom: (s) => s.exits('boom'), ok: () => {} });
    const a = await sys.spawn('boom', ['boom']);
    const b = await sys.spawn('ok', ['ok']);
    expect(await sys.waitpid(a)).toBe('boom');
    expect(await sys.waitpid(b)).toBe('');
    expect(await errOf(() => sys.waitpid(999))).toBe('no such child');
  });

  it('await returns children in the order they exit', async () => {
    const { sys } = await boot({
      slow: async (s) => { await s.sleep(40); return 'slow'; },
      fast: async (s) => { await s.sleep(1); return 'fast'; },
    });
    const slow = await sys.spawn('slow', ['slow']);
    const fast = await sys.spawn('fast', ['fast']);
    expect((await sys.await())!.pid).toBe(fast);
    expect((await sys.await())!.pid).toBe(slow);
    expect(await sys.await()).toBeUndefined();
  });

  it('await with no children returns undefined, and again once all are reaped', async () => {
    const { sys } = await boot({ ok: () => {} });
    expect(await sys.await()).toBeUndefined();
    await sys.spawn('ok', ['ok']);
    expect(await sys.await()).toBeDefined();
    expect(await sys.await()).toBeUndefined();
  });

  it('a child sees its own children, not its siblings', async () => {
    const { sys } = await boot({
      leaf: () => 'leaf done',
      mid: async (s) => {
        const none = await s.await();
        const pid = await s.spawn('leaf', ['leaf']);
        const w = await s.await();
        return `${none === undefined} ${w!.pid === pid} ${w!.status}`;
      },
    });
    const mid = await sys.spawn('mid', ['mid']);
    expect(await sys.await()).toMatchObject({ pid: mid, status: `mid ${mid}: true true leaf ${mid + 1}: leaf done` });
  });

  it('spawn resolves programs through /bin in the namespace, and refuses what is not a program', async () => {
    let argv: string[] = [];
    const { sys } = await boot({ interp: (s) => { argv = s.args; } });
    // a #! script runs its interpreter with the script's path
    await sys.spawn('script', ['script', 'arg']);
    expect((await sys.await())!.status).toBe('');
    expect(argv).toEqual(['/bin/interp', '-x', '/bin/script', 'arg']);
    expect(await errOf(() => sys.spawn('nosuch', ['nosuch']))).toBe('file does not exist');
    expect(await errOf(() => sys.spawn('junk', ['junk']))).toBe('exec header invalid: /bin/junk');
    expect(await errOf(() => sys.spawn('nobuiltin', ['nobuiltin']))).toBe('exec header invalid: no builtin missing');
    expect(await errOf(() => sys.spawn('/bin', ['bin']))).toBe('is a directory');
    // binding over /bin changes what runs
    await sys.unmount(undefined, '/bin');
    expect(await errOf(() => sys.spawn('interp', ['interp']))).toBe('file does not exist');
  });

  it('spawn options: cwd, env and name', async () => {
    let cwd = '';
    let env = '';
    const { sys } = await boot({ where: (s) => { cwd = s.cwd; env = s.proc.env.vars.get('who')?.toString() ?? ''; } });
    await sys.spawn('where', ['where'], { cwd: '/a', env: { who: 'child' }, name: 'renamed' });
    const w = await sys.await();
    expect(w!.status).toBe('');
    expect(cwd).toBe('/a');
    expect(env).toBe('child');
    await sys.spawn('where', ['where'], { name: 'renamed' });
    expect(cwd).toBe('/');
  });
});

describe('file descriptors', () => {
  it('dup shares the offset; closing one leaves the other open', async () => {
    const { sys } = await boot();
    const fd = await sys.open('/a/data', OREAD);
    expect(str(await sys.read(fd, 3))).toBe('012');
    const fd2 = await sys.dup(fd);
    expect(fd2).not.toBe(fd);
    expect(str(await sys.read(fd2, 3))).toBe('345');
    expect(str(await sys.read(fd, 2))).toBe('67');
    expect(await sys.seek(fd2, 1, 0)).toBe(1);
    expect(str(await sys.read(fd, 1))).toBe('1');
    await sys.close(fd);
    expect(await errOf(() => sys.read(fd, 1))).toBe('fd out of range or not open');
    expect(str(await sys.read(fd2, 100))).toBe('23456789');
    await sys.close(fd2);
    expect(await errOf(() => sys.close(fd2))).toBe('fd out of range or not open');
  });

  it('dup(old, new) onto an open fd closes what new was and shares old', async () => {
    const { sys } = await boot();
    await sys.writeFile('/a/other', 'other');
    const a = await sys.open('/a/data', OREAD);
    const b = await sys.open('/a/other', OREAD);
    expect(await sys.dup(a, b)).toBe(b);
    expect(str(await sys.read(b, 4))).toBe('0123');
    expect(str(await sys.read(a, 2))).toBe('45');
    // dup onto itself is harmless
    expect(await sys.dup(a, a)).toBe(a);
    expect(str(await sys.read(a, 2))).toBe('67');
    await sys.close(b);
    expect(str(await sys.read(a, 10))).toBe('89');
  });

  it('a write through a read-only fd, or a read through a write-only one, is refused', async () => {
    const { sys } = await boot();
    const r = await sys.open('/a/data', OREAD);
    const w = await sys.open('/a/data', OWRITE);
    expect(await errOf(() => sys.write(r, 'x'))).toBe('inappropriate use of fd');
    expect(await errOf(() => sys.read(w, 1))).toBe('inappropriate use of fd');
    expect(await errOf(() => sys.read(42, 1))).toBe('fd out of range or not open');
  });

  it('a spawned child gets a copy of the table: the same open files, its own slots', async () => {
    const read = deferred<string>();
    const { sys } = await boot({
      child: async (s) => {
        read.resolve(str(await s.read(3, 4)));
        await s.close(3);
        const mine = await s.open('/a/data', OREAD);
        return String(mine);
      },
    });
    const fd = await sys.open('/a/data', OREAD);
    expect(fd).toBe(0);
    await sys.dup(fd, 3);
    await sys.spawn('child', ['child']);
    expect(await read.promise).toBe('0123');
    expect((await sys.await())!.status).toBe('child 2: 3');
    // the child's close and open did not touch the parent's fd 3, and the offset is shared
    expect(str(await sys.read(3, 3))).toBe('456');
    expect(sys.proc.fds.list().map((x) => x.n)).toEqual([0, 3]);
  });

  it('close-on-exec fds are closed in the child and stay open in the parent', async () => {
    const { sys } = await boot({
      look: async (s) => {
        const closed = await errOf(() => s.read(0, 1));
        const open = str(await s.read(1, 2));
        return `${closed} | ${open}`;
      },
    });
    const ce = await sys.open('/a/data', OREAD);
    const keep = await sys.open('/a/data', OREAD);
    sys.cloexec(ce);
    expect(str(await sys.read(ce, 2))).toBe('01');
    await sys.spawn('look', ['look']);
    expect((await sys.await())!.status).toBe('look 2: fd out of range or not open | 01');
    // the parent's close-on-exec fd is still open and usable
    expect(str(await sys.read(ce, 2))).toBe('23');
    expect(str(await sys.read(keep, 2))).toBe('23');
    // and it survives a second spawn too
    await sys.spawn('look', ['look']);
    await sys.await();
    expect(str(await sys.read(ce, 2))).toBe('45');
    await sys.close(ce);
    expect(await errOf(() => sys.read(ce, 1))).toBe('fd out of range or not open');
  });

  it('opts.fds gives the child exactly the listed fds, renumbered from 0', async () => {
    const { sys } = await boot({
      look: async (s) => `${s.proc.fds.list().map((x) => x.n).join(',')} ${str(await s.read(0, 3))} ${await errOf(() => s.read(1, 1))}`,
    });
    await sys.writeFile('/a/other', 'other');
    const a = await sys.open('/a/data', OREAD);
    const b = await sys.open('/a/other', OREAD);
    expect([a, b]).toEqual([0, 1]);
    await sys.spawn('look', ['look'], { fds: [b] });
    expect((await sys.await())!.status).toBe('look 2: 0 oth fd out of range or not open');
  });

  it('rfork F gives the process an empty table; rfork f keeps its open files', async () => {
    const { sys } = await boot({
      clean: async (s) => {
        const before = s.proc.fds.list().length;
        await s.rfork('F');
        return `${before} ${s.proc.fds.list().length} ${await errOf(() => s.read(0, 1))}`;
      },
      copy: async (s) => {
        await s.rfork('f');
        const got = str(await s.read(0, 2));
        await s.close(0);
        return got;
      },
    });
    const fd = await sys.open('/a/data', OREAD);
    await sys.spawn('clean', ['clean']);
    expect((await sys.await())!.status).toBe('clean 2: 1 0 fd out of range or not open');
    await sys.spawn('copy', ['copy']);
    expect((await sys.await())!.status).toBe('copy 3: 01');
    expect(str(await sys.read(fd, 2))).toBe('23');
    await sys.spawn('clean', ['clean'], { rfork: 'F' });
    expect((await sys.await())!.status).toBe('clean 4: 0 0 fd out of range or not open');
    expect(str(await sys.read(fd, 2))).toBe('45');
  });

  it('a file opened ORCLOSE is removed when the last fd on it closes (fds are counted across processes)', async () => {
    const { sys } = await boot({ exit: () => {} });
    await sys.writeFile('/a/tmp1', 'x');
    const fd = await sys.open('/a/tmp1', OREAD | ORCLOSE);
    const fd2 = await sys.dup(fd);
    await sys.spawn('exit', ['exit']);
    await sys.await();
    await sys.close(fd);
    expect((await sys.dirread('/a')).map((d) => d.name)).toContain('tmp1');
    await sys.close(fd2);
    expect((await sys.dirread('/a')).map((d) => d.name)).not.toContain('tmp1');
  });

  it('rfork f and F do not leak the open files of the table they replace', async () => {
    const { sys } = await boot({
      copyThenExit: async (s) => { await s.rfork('f'); },
      cleanThenExit: async (s) => { await s.rfork('F'); },
    });
    for (const [i, prog, opts] of [[1, 'copyThenExit', {}], [2, 'cleanThenExit', {}], [3, 'copyThenExit', { rfork: 'f' }]] as const) {
      const name = `tmp${i}`;
      await sys.writeFile(`/a/${name}`, 'x');
      const fd = await sys.open(`/a/${name}`, OREAD | ORCLOSE);
      await sys.spawn(prog, [prog], opts);
      expect((await sys.await())!.status).toBe('');
      await sys.close(fd);
      expect((await sys.dirread('/a')).map((d) => d.name), `${prog} ${JSON.stringify(opts)}`).not.toContain(name);
    }
  });

  it('rfork e/E copy or clean the environment; unknown flags are refused', async () => {
    const { sys } = await boot({
      envs: async (s) => {
        const shared = s.proc.env.vars.get('v')?.toString();
        await s.rfork('e');
        s.proc.env.vars.set('v', Buffer.from('child'));
        const copied = s.proc.env.vars.get('v')?.toString();
        await s.rfork('E');
        return `${shared} ${copied} ${s.proc.env.vars.size} ${await errOf(() => s.rfork('z'))}`;
      },
    });
    sys.proc.env.vars.set('v', Buffer.from('parent'));
    await sys.spawn('envs', ['envs']);
    expect((await sys.await())!.status).toBe("envs 2: parent child 0 rfork: unknown flag 'z'");
    expect(sys.proc.env.vars.get('v')?.toString()).toBe('parent');
  });
});

describe('notes', () => {
  it("postnote 'interrupt' aborts a child's blocking sleep with 'interrupted'", async () => {
    const asleep = deferred();
    const { sys } = await boot({
      napper: async (s) => {
        asleep.resolve();
        const t = Date.now();
        const e = await errOf(() => s.sleep(60_000));
        return `${e} after ${Date.now() - t < 10_000 ? 'a moment' : 'too long'}; errstr ${s.errstr()}`;
      },
    });
    const pid = await sys.spawn('napper', ['napper']);
    await asleep.promise;
    await sys.postnote(pid, 'interrupt');
    expect(await sys.await()).toMatchObject({ pid, status: `napper ${pid}: interrupted after a moment; errstr interrupted` });
  });

  it("a program's own AbortSignal (sys.signal) is aborted by the note, and the next one is fresh", async () => {
    const waiting = deferred();
    const { sys } = await boot({
      waiter: async (s) => {
        const sig = s.signal;
        const why = new Promise<string>((r) => sig.addEventListener('abort', () => r(String((sig.reason as Error).message))));
        waiting.resolve();
        return `${await why}; next ${s.signal.aborted ? 'aborted' : 'fresh'}`;
      },
    });
    const pid = await sys.spawn('waiter', ['waiter']);
    await waiting.promise;
    await sys.postnote(pid, 'interrupt');
    expect(await sys.await()).toMatchObject({ pid, status: `waiter ${pid}: interrupted; next fresh` });
  });

  it('an interrupted process keeps running and can block again', async () => {
    const asleep = deferred();
    const again = deferred();
    const { sys } = await boot({
      twice: async (s) => {
        asleep.resolve();
        const first = await errOf(() => s.sleep(60_000));
        again.resolve();
        await s.sleep(5);
        return `${first}, then slept`;
      },
    });
    const pid = await sys.spawn('twice', ['twice']);
    await asleep.promise;
    await sys.postnote(pid, 'interrupt');
    await again.promise;
    expect((await sys.await())!.status).toBe(`twice ${pid}: interrupted, then slept`);
  });

  it("postnote 'interrupt' aborts a blocking read from a file server", async () => {
    const reading = deferred();
    const { sys } = await boot(
      {
        reader: async (s) => {
          const fd = await s.open('/x/block', OREAD);
          reading.resolve();
          return errOf(() => s.read(fd, 10));
        },
      },
      {
        '#x': new Tree([file('block', { read: (_o, _c, req) => interruptible(new Promise<Uint8Array>(() => {}), req.signal) })]),
      },
    );
    await sys.mount('#x', '/x');
    const pid = await sys.spawn('reader', ['reader']);
    await reading.promise;
    await new Promise((r) => setTimeout(r, 10));
    await sys.postnote(pid, 'interrupt');
    expect((await sys.await())!.status).toBe(`reader ${pid}: interrupted`);
  });

  it("postnote 'kill' kills: the process cannot make another system call", async () => {
    const asleep = deferred();
    let interrupts = 0;
    let afterKill = false;
    const { sys, k } = await boot({
      stubborn: async (s) => {
        for (;;) {
          asleep.resolve();
          try {
            await s.sleep(60_000);
          } catch (e) {
            if ((e as Error).message !== 'interrupted') throw e;
            interrupts++;
            if (s.proc.killed) afterKill = true;
          }
        }
      },
    });
    const pid = await sys.spawn('stubborn', ['stubborn']);
    await asleep.promise;
    await sys.postnote(pid, 'interrupt');
    await new Promise((r) => setTimeout(r, 5));
    expect(k.procs.has(pid)).toBe(true);
    await sys.postnote(pid, 'kill');
    expect(await sys.await()).toMatchObject({ pid, status: `stubborn ${pid}: killed` });
    expect(interrupts).toBeGreaterThanOrEqual(1);
    expect(afterKill).toBe(true);
    expect(k.procs.has(pid)).toBe(false);
    expect(await errOf(() => sys.postnote(pid, 'kill'))).toBe('process does not exist');
  });

  it("a killed process exits 'killed' even if it swallows the error of its interrupted call", async () => {
    const asleep = deferred();
    const { sys } = await boot({
      swallow: async (s) => {
        asleep.resolve();
        try { await s.sleep(60_000); } catch { /* ignore everything */ }
        return 'survived';
      },
    });
    const pid = await sys.spawn('swallow', ['swallow']);
    await asleep.promise;
    await sys.postnote(pid, 'kill');
    expect(await sys.await()).toMatchObject({ pid, status: `swallow ${pid}: killed` });
  });

  it('a note interrupts a parent blocked in await', async () => {
    const asleep = deferred();
    const { sys, k, init } = await boot({ long: async (s) => { asleep.resolve(); await s.sleep(60_000); } });
    const pid = await sys.spawn('long', ['long']);
    await asleep.promise;
    const waiting = errOf(() => sys.await());
    await new Promise((r) => setTimeout(r, 5));
    k.postnote(init, init.pid, 'interrupt');
    expect(await waiting).toBe('interrupted');
    await sys.postnote(pid, 'kill');
    expect((await sys.await())!.status).toBe(`long ${pid}: killed`);
  });

  it('a process may post notes to its descendants', async () => {
    const ready = deferred<number>();
    const { sys } = await boot({
      grandchild: async (s) => { await s.sleep(60_000); },
      child: async (s) => {
        const gc = await s.spawn('grandchild', ['grandchild']);
        ready.resolve(gc);
        return (await s.await())!.status;
      },
    });
    const c = await sys.spawn('child', ['child']);
    const gc = await ready.promise;
    await new Promise((r) => setTimeout(r, 5));
    await sys.postnote(gc, 'kill');
    expect(await sys.await()).toMatchObject({ pid: c, status: `child ${c}: grandchild ${gc}: killed` });
  });
});

describe('failures stay contained', () => {
  it('a program that throws a TypeError exits with the message; others keep running', async () => {
    const msg = typeErrorMessage();
    const { sys, k } = await boot({
      buggy: () => { (undefined as unknown as { x: number }).x; },
      buggyAsync: async (s) => { await s.sleep(1); (null as unknown as { y: number }).y; },
      steady: async (s) => { await s.sleep(30); return str(await s.readFile('/a/data')); },
    });
    const steady = await sys.spawn('steady', ['steady']);
    const buggy = await sys.spawn('buggy', ['buggy']);
    const buggyAsync = await sys.spawn('buggyAsync', ['buggyAsync']);
    const got = new Map<number, string>();
    for (let i = 0; i < 3; i++) { const w = (await sys.await())!; got.set(w.pid, w.status); }
    expect(got.get(buggy)).toBe(`buggy ${buggy}: ${msg}`);
    expect(got.get(buggyAsync)).toBe(`buggyAsync ${buggyAsync}: Cannot read properties of null (reading 'y')`);
    expect(got.get(steady)).toBe(`steady ${steady}: 0123456789`);
    // the kernel carries on
    expect(k.procs.size).toBe(1);
    await sys.spawn('steady', ['steady']);
    expect((await sys.await())!.status).toBe(`steady ${steady + 3}: 0123456789`);
  });

  it('a program that throws a non-Error still exits with a status', async () => {
    const { sys } = await boot({ weird: () => { throw 'plain string'; } });
    const pid = await sys.spawn('weird', ['weird']);
    expect((await sys.await())!.status).toBe(`weird ${pid}: plain string`);
  });

  it('a file server whose handlers throw TypeErrors gives callers errors; the kernel and other devices carry on', async () => {
    const poison = new Tree([
      text('ok', 'still fine'),
      file('poison', { read: () => { throw new TypeError('poisoned read'); }, write: () => { throw new TypeError('poisoned write'); } }),
      gen('broken', { list: () => { throw new TypeError('list exploded'); }, make: () => undefined }),
    ]);
    const { sys, k } = await boot({ ok: () => 'ran' }, { '#x': poison });
    await sys.mount('#x', '/x');
    expect(await errOf(() => sys.readFile('/x/poison'))).toBe('poisoned read');
    const w = await sys.open('/x/poison', OWRITE);
    expect(await errOf(() => sys.write(w, 'data'))).toBe('poisoned write');
    expect(await errOf(() => sys.readFile('/x/broken/child'))).toBe('list exploded');
    expect(await errOf(() => sys.dirread('/x/broken'))).toBe('list exploded');
    // the same device still serves its healthy files
    expect(str(await sys.readFile('/x/ok'))).toBe('still fine');
    expect((await sys.dirread('/x')).map((d) => d.name)).toEqual(['ok', 'poison', 'broken']);
    // other devices and processes are unaffected
    expect(str(await sys.readFile('/a/data'))).toBe('0123456789');
    await sys.writeFile('/b/new', 'written');
    expect(str(await sys.readFile('/b/new'))).toBe('written');
    await sys.spawn('ok', ['ok']);
    expect((await sys.await())!.status).toMatch(/^ok \d+: ran$/);
    // the bug is logged for whoever runs the node
    expect(k.kmesg.some((l) => l.includes('#x: Tread: handler bug: TypeError: poisoned read'))).toBe(true);
  });

  it('a file server that fails in attach, walk or stat refuses the call without harm', async () => {
    class Faulty extends Ramfs {
      failAttach = false;
      override attach(uname: string, aname: string, req: Req): ReturnType<Ramfs['attach']> {
        if (this.failAttach) throw new TypeError('attach exploded');
        return super.attach(uname, aname, req);
      }
      override walk(h: RamHandle, name: string, req: Req): ReturnType<Ramfs['walk']> {
        if (name === 'trap') throw new RangeError('walk exploded');
        if (name === 'undef') return undefined as unknown as ReturnType<Ramfs['walk']>;
        return super.walk(h, name, req);
      }
      override stat(h: RamHandle, req: Req): ReturnType<Ramfs['stat']> {
        if (h.file.name === 'statbomb') throw new TypeError('stat exploded');
        return super.stat(h, req);
      }
    }
    const faulty = new Faulty();
    const { sys } = await boot({}, { '#f': faulty });
    await sys.mount('#f', '/f', MCREATE);
    await sys.writeFile('/f/statbomb', 'x');
    expect(await errOf(() => sys.stat('/f/trap'))).toBe('walk exploded');
    expect(await errOf(() => sys.stat('/f/statbomb'))).toBe('stat exploded');
    const e = await errOf(() => sys.stat('/f/undef'));
    expect(e).not.toBe('no error');
    await sys.writeFile('/f/plain', 'y');
    expect((await sys.stat('/f/plain')).length).toBe(1);
    faulty.failAttach = true;
    expect(await errOf(() => sys.mount('#f', '/g'))).toBe('attach exploded');
    expect(sys.proc.ns.mountPoints()).not.toContain('/g');
    // the existing mount keeps working, and so does everything else
    await sys.writeFile('/f/after', 'fine');
    expect(str(await sys.readFile('/f/after'))).toBe('fine');
    expect(str(await sys.readFile('/a/data'))).toBe('0123456789');
  });

  it('shutdown kills every running process', async () => {
    const asleep = deferred();
    const { sys, k } = await boot({ long: async (s) => { asleep.resolve(); await s.sleep(60_000); } });
    const pid = await sys.spawn('long', ['long']);
    await asleep.promise;
    const child = k.procs.get(pid)!;
    await k.shutdown();
    expect(await child.whenExited()).toBe('killed');
  });
});

describe('open modes', () => {
  it('ORDWR reads and writes through one fd sharing one offset', async () => {
    const { sys } = await boot();
    const fd = await sys.open('/a/data', ORDWR);
    expect(str(await sys.read(fd, 2))).toBe('01');
    await sys.write(fd, 'XY');
    expect(str(await sys.read(fd, 2))).toBe('45');
    expect(str(await sys.readFile('/a/data'))).toBe('01XY456789');
  });
});

describe('notify', () => {
  it('a note handler sees notes; continue keeps the process, default kills it', async () => {
    const k = new Kernel();
    const init = k.newInit('glenda', new CSpace());
    const seen: string[] = [];
    init.notify = (n) => { seen.push(n); return n === 'hangup' ? 'default' : 'continue'; };
    init.postnote('interrupt');
    await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual(['interrupt']);
    expect(init.killed).toBe(false);
    init.postnote('hangup');
    await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual(['interrupt', 'hangup']);
    expect(init.killed).toBe(true);
  });
});
