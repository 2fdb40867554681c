// Namespace semantics against Plan 9's bind(1), bind(2), namespace(4) and rfork(2):
// union order for -b/-a, creation through -c members, unmount of one member or all,
// file-over-file binds, rfork n/N isolation, lexical '..', nested mount points, the
// skeleton root, and `ns` output that replays to the same view.

import { TestKernels, errOf } from './testkit.ts';
import type { TestNode } from './testkit.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { Kernel } from './kernel.ts';
import type { Program } from './kernel.ts';
import { ALL_RIGHTS, CSpace, Right } from './cap.ts';
import type { Proc } from './proc.ts';
import { MAFTER, MBEFORE, MCREATE, MREPL, OREAD, ORDWR, OWRITE, Sys } from './sys.ts';
import { DMDIR, QTDIR } from '../fs/9p/constants.ts';
import type { Dir } from '../fs/9p/fcall.ts';
import { unpackDirs } from '../fs/9p/wire.ts';

// ---- fixtures ----

const kernels = new TestKernels();
afterEach(() => kernels.shutdown());

type Node = TestNode;

const DEVICES = ['#r1', '#r2', '#r3'];

/**
 * A kernel with three ramfs devices and a '#b' bin device listing the given programs, and an
 * init process holding every capability it needs. Unless bare, the ramfs devices are mounted
 * (with -c) at /a, /b and /c and populated; '#b' is at /bin.
 */
async function boot(opts: { programs?: Record<string, Program>; bare?: boolean } = {}): Promise<Node> {
  const { k, init, sys } = kernels.make({ ramfs: DEVICES, ...(opts.programs ? { programs: opts.programs } : {}) });
  if (!opts.bare) {
    await sys.mount('#b', '/bin');
    await sys.mount('#r1', '/a', MCREATE);
    await sys.mount('#r2', '/b', MCREATE);
    await sys.mount('#r3', '/c', MCREATE);
    await populate(sys);
  }
  return { k, init, sys };
}

function grantAll(k: Kernel, p: Proc): void {
  for (const o of ['ns', 'proc', 'dev:#b', ...DEVICES.map((d) => `dev:${d}`)]) k.grant(p, o, ALL_RIGHTS);
}

async function populate(sys: Sys): Promise<void> {
  // r1 at /a
  await sys.writeFile('/a/f1', 'r1 f1');
  await sys.writeFile('/a/shared', 'shared from r1');
  await sys.writeFile('/a/only1', 'only in r1');
  await sys.mkdir('/a/sub');
  await sys.writeFile('/a/sub/inner1', 'r1 sub inner');
  await sys.writeFile('/a/sub/same', 'r1 sub same');
  await sys.mkdir('/a/x');
  await sys.writeFile('/a/x/hidden', 'r1 x hidden');
  // r2 at /b
  await sys.writeFile('/b/f2', 'r2 f2');
  await sys.writeFile('/b/shared', 'shared from r2, longer');
  await sys.writeFile('/b/only2', 'only in r2');
  await sys.mkdir('/b/sub');
  await sys.writeFile('/b/sub/inner2', 'r2 sub inner');
  await sys.writeFile('/b/sub/same', 'r2 sub same, longer');
  await sys.mkdir('/b/y');
  await sys.writeFile('/b/y/iny', 'r2 y file');
  // r3 at /c
  await sys.writeFile('/c/f3', 'r3 f3');
  await sys.writeFile('/c/shared', 'r3 shared!');
  await sys.mkdir('/c/p');
  await sys.mkdir('/c/p/q');
  await sys.writeFile('/c/p/q/leaf', 'r3 leaf');
  await sys.writeFile('/c/p/pfile', 'r3 p file');
}

/** The exact error message an operation fails with, or 'no error'. */
const names = (ds: Dir[]): string[] => ds.map((d) => d.name);

async function ls(sys: Sys, path: string): Promise<string[]> {
  return names(await sys.dirread(path));
}

async function cat(sys: Sys, path: string): Promise<string> {
  return (await sys.readFile(path)).toString();
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

/** Every name reachable from path, in listing order: 'dir/' lines and 'file = content' lines. */
async function snapshot(sys: Sys, path = '/'): Promise<string[]> {
  const out: string[] = [];
  for (const d of await sys.dirread(path)) {
    const p = path === '/' ? `/${d.name}` : `${path}/${d.name}`;
    if (d.qid.type & QTDIR) {
      out.push(`${p}/`);
      out.push(...(await snapshot(sys, p)));
    } else {
      out.push(`${p} = ${await cat(sys, p)}`);
    }
  }
  return out;
}

/** rc-style words: blanks separate, '...' quotes with '' for a quote. */
function words(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ' || line[i] === '\t') { i++; continue; }
    let w = '';
    while (i < line.length && line[i] !== ' ' && line[i] !== '\t') {
      if (line[i] !== "'") { w += line[i++]; continue; }
      i++;
      for (;;) {
        if (i >= line.length) throw new Error(`unterminated quote in ${line}`);
        if (line[i] === "'") {
          if (line[i + 1] === "'") { w += "'"; i += 2; continue; }
          i++;
          break;
        }
        w += line[i++];
      }
    }
    out.push(w);
  }
  return out;
}

/** Apply `ns` output line by line through the syscalls, as a namespace file would be. */
async function replay(sys: Sys, nsText: string): Promise<void> {
  for (const line of nsText.split('\n')) {
    if (line.trim() === '') continue;
    const [verb, ...rest] = words(line);
    let args = rest;
    let flags = MREPL;
    if (args[0]?.startsWith('-')) {
      for (const ch of args[0].slice(1)) {
        if (ch === 'b') flags |= MBEFORE;
        else if (ch === 'a') flags |= MAFTER;
        else if (ch === 'c') flags |= MCREATE;
        else throw new Error(`bad flag ${ch} in ${line}`);
      }
      args = args.slice(1);
    }
    if (verb === 'bind' && args.length === 2) await sys.bind(args[0]!, args[1]!, flags);
    else if (verb === 'mount' && (args.length === 2 || args.length === 3)) await sys.mount(args[0]!, args[1]!, flags, args[2] ?? '');
    else if (verb === 'unmount' && args.length === 2) await sys.unmount(args[0]!, args[1]!);
    else if (verb === 'unmount' && args.length === 1) await sys.unmount(undefined, args[0]!);
    else throw new Error(`cannot replay: ${line}`);
  }
}

// ---- tests ----

describe('skeleton root', () => {
  it('an empty namespace has an empty root and nothing else', async () => {
    const { sys } = await boot({ bare: true });
    expect(await ls(sys, '/')).toEqual([]);
    const st = await sys.stat('/');
    expect(st.qid.type & QTDIR).toBe(QTDIR);
    expect((st.mode & DMDIR) !== 0).toBe(true);
    expect(await errOf(() => sys.open('/a', OREAD))).toBe('file does not exist');
    expect(await errOf(() => sys.dirread('/a/b'))).toBe('file does not exist');
    expect(sys.proc.ns.nsText()).toBe('');
  });

  it('lists only mount points, as directories, sorted; unmount removes them', async () => {
    const { sys } = await boot();
    expect(await ls(sys, '/')).toEqual(['a', 'b', 'bin', 'c']);
    for (const d of await sys.dirread('/')) {
      expect(d.qid.type & QTDIR).toBe(QTDIR);
      expect((d.mode & DMDIR) !== 0).toBe(true);
    }
    // mounting inside a mounted tree does not add to the root
    await sys.bind('/c', '/a/x');
    expect(await ls(sys, '/')).toEqual(['a', 'b', 'bin', 'c']);
    await sys.unmount(undefined, '/b');
    expect(await ls(sys, '/')).toEqual(['a', 'bin', 'c']);
    expect(await errOf(() => sys.stat('/b'))).toBe('file does not exist');
    expect(await errOf(() => sys.readFile('/b/f2'))).toBe('file does not exist');
  });

  it('refuses to create in the skeleton root', async () => {
    const { sys } = await boot();
    expect(await errOf(() => sys.create('/newfile', OWRITE, 0o644))).toBe('permission denied');
    expect(await errOf(() => sys.mkdir('/newdir'))).toBe('permission denied');
    expect(await ls(sys, '/')).toEqual(['a', 'b', 'bin', 'c']);
  });

  it('a new mount point needs an existing parent (bind(2): old must exist)', async () => {
    const { sys } = await boot();
    expect(await errOf(() => sys.mount('#r1', '/no/such'))).toBe('file does not exist');
    expect(await errOf(() => sys.bind('/b', '/a/nosuch'))).toBe('file does not exist');
    expect(await ls(sys, '/')).toEqual(['a', 'b', 'bin', 'c']);
  });

  it('a device is not reachable by its name without a bind: no back door', async () => {
    const { sys } = await boot();
    expect(await errOf(() => sys.open('#r1/f1', OREAD))).toBe('file does not exist');
    expect(await errOf(() => sys.stat('/#r1'))).toBe('file does not exist');
  });

  it('bind -a onto the skeleton root keeps the mount points listed and reachable', async () => {
    const { sys } = await boot();
    await sys.bind('/c/p', '/', MAFTER);
    expect(await ls(sys, '/')).toEqual(['a', 'b', 'bin', 'c', 'q', 'pfile']);
    expect(await cat(sys, '/pfile')).toBe('r3 p file');
    expect(await cat(sys, '/a/f1')).toBe('r1 f1');
    expect(await cat(sys, '/q/leaf')).toBe('r3 leaf');
    // new mount points can still be made in the root, and are listed with the rest
    await sys.mount('#r2', '/new');
    expect(await ls(sys, '/')).toEqual(['a', 'b', 'bin', 'c', 'new', 'q', 'pfile']);
    await sys.unmount('/c/p', '/');
    expect(await ls(sys, '/')).toEqual(['a', 'b', 'bin', 'c', 'new']);
  });

  it('bind -b onto the skeleton root puts the new directory first', async () => {
    const { sys } = await boot();
    await sys.bind('/c/p', '/', MBEFORE);
    expect(await ls(sys, '/')).toEqual(['q', 'pfile', 'a', 'b', 'bin', 'c']);
    expect(await cat(sys, '/b/f2')).toBe('r2 f2');
  });
});

describe('bind and mount: replace', () => {
  it('bind new old makes old an alias of new; new still names its file', async () => {
    const { sys } = await boot();
    await sys.bind('/b', '/a');
    expect(await ls(sys, '/a')).toEqual(await ls(sys, '/b'));
    expect(await cat(sys, '/a/f2')).toBe('r2 f2');
    expect(await errOf(() => sys.readFile('/a/f1'))).toBe('file does not exist');
    expect(await cat(sys, '/b/f2')).toBe('r2 f2');
    expect(sys.proc.ns.nsText().split('\n').filter(Boolean).pop()).toBe('bind /b /a');
  });

  it('new is evaluated at bind time, not when the binding is used', async () => {
    const { sys } = await boot();
    await sys.bind('/b/sub', '/a/x');
    await sys.bind('/c', '/b'); // /b now names r3; /a/x still names r2's sub
    expect(await cat(sys, '/a/x/inner2')).toBe('r2 sub inner');
    expect(await errOf(() => sys.readFile('/b/sub/inner2'))).toBe('file does not exist');
  });

  it('a replace drops every member of a union', async () => {
    const { sys } = await boot();
    await sys.bind('/b', '/a', MAFTER);
    await sys.bind('/c', '/a', MBEFORE);
    await sys.bind('/b/y', '/a');
    expect(await ls(sys, '/a')).toEqual(['iny']);
    expect(sys.proc.ns.membersAt('/a').map((m) => m.src)).toEqual(['/b/y']);
  });

  it('binds a file over a file: reads and writes reach the new file', async () => {
    const { sys } = await boot();
    await sys.bind('/b/f2', '/a/f1');
    expect(await cat(sys, '/a/f1')).toBe('r2 f2');
    const fd = await sys.open('/a/f1', OWRITE);
    await sys.write(fd, 'R2');
    await sys.close(fd);
    expect(await cat(sys, '/b/f2')).toBe('R2 f2');
    // the directory itself still lists its own names
    expect(await ls(sys, '/a')).toContain('f1');
    await sys.unmount(undefined, '/a/f1');
    expect(await cat(sys, '/a/f1')).toBe('r1 f1');
  });

  it('refuses to bind a file over a directory, or a directory over a file', async () => {
    const { sys } = await boot();
    expect(await errOf(() => sys.bind('/b/f2', '/a/sub'))).toBe('inconsistent mount: cannot mix files and directories');
    expect(await errOf(() => sys.bind('/b/sub', '/a/f1'))).toBe('inconsistent mount: cannot mix files and directories');
    expect(await errOf(() => sys.mount('#r3', '/a/f1'))).toBe('inconsistent mount: cannot mix files and directories');
    // nothing changed
    expect(await ls(sys, '/a/sub')).toEqual(['inner1', 'same']);
    expect(await cat(sys, '/a/f1')).toBe('r1 f1');
    expect(sys.proc.ns.mountPoints().sort()).toEqual(['/a', '/b', '/bin', '/c']);
  });

  it('refuses -a or -b unless both are directories', async () => {
    const { sys } = await boot();
    expect(await errOf(() => sys.bind('/b/f2', '/a/f1', MAFTER))).toBe('union needs two directories');
    expect(await errOf(() => sys.bind('/b/f2', '/a/sub', MBEFORE))).toBe('union needs two directories');
    expect(await errOf(() => sys.bind('/b/sub', '/a/f1', MAFTER))).toBe('union needs two directories');
    expect(await cat(sys, '/a/f1')).toBe('r1 f1');
  });
});

describe('union directories', () => {
  it('-b: the new directory comes first; a name in both resolves to it; listings merge, first wins', async () => {
    const { sys } = await boot();
    await sys.bind('/b', '/a', MBEFORE);
    expect(await cat(sys, '/a/shared')).toBe('shared from r2, longer');
    expect(await cat(sys, '/a/only1')).toBe('only in r1');
    expect(await cat(sys, '/a/only2')).toBe('only in r2');
    const ds = await sys.dirread('/a');
    expect(names(ds)).toEqual(['f2', 'shared', 'only2', 'sub', 'y', 'f1', 'only1', 'x']);
    expect(ds.find((d) => d.name === 'shared')!.length).toBe('shared from r2, longer'.length);
    // a directory in both: the walk enters the first member's, not a merge of the two
    expect(await ls(sys, '/a/sub')).toEqual(['inner2', 'same']);
  });

  it('-a: the new directory comes last; a name in both resolves to the old one', async () => {
    const { sys } = await boot();
    await sys.bind('/b', '/a', MAFTER);
    expect(await cat(sys, '/a/shared')).toBe('shared from r1');
    expect(await cat(sys, '/a/only2')).toBe('only in r2');
    const ds = await sys.dirread('/a');
    expect(names(ds)).toEqual(['f1', 'shared', 'only1', 'sub', 'x', 'f2', 'only2', 'y']);
    expect(ds.find((d) => d.name === 'shared')!.length).toBe('shared from r1'.length);
    expect(await ls(sys, '/a/sub')).toEqual(['inner1', 'same']);
  });

  it('several binds build the union in order: -b prepends, -a appends', async () => {
    const { sys } = await boot();
    await sys.bind('/b', '/a', MAFTER);
    await sys.bind('/c', '/a', MBEFORE);
    expect(sys.proc.ns.membersAt('/a').map((m) => m.src)).toEqual(['/c', '#r1', '/b']);
    expect(await cat(sys, '/a/shared')).toBe('r3 shared!');
    expect(await ls(sys, '/a')).toEqual(['f3', 'shared', 'p', 'f1', 'only1', 'sub', 'x', 'f2', 'only2', 'y']);
  });

  it('a union of a directory inside a mounted tree keeps the old directory as a member', async () => {
    const { sys } = await boot();
    await sys.bind('/b/sub', '/a/sub', MAFTER);
    expect(await ls(sys, '/a/sub')).toEqual(['inner1', 'same', 'inner2']);
    expect(await cat(sys, '/a/sub/same')).toBe('r1 sub same');
    expect(await cat(sys, '/a/sub/inner2')).toBe('r2 sub inner');
    // the rest of /a is untouched
    expect(await cat(sys, '/a/f1')).toBe('r1 f1');
  });

  it('reading an open union directory returns the merged entries, first wins (read(5) stat records)', async () => {
    const { sys } = await boot();
    await sys.bind('/b', '/a', MBEFORE);
    const fd = await sys.open('/a', OREAD);
    const parts: Uint8Array[] = [];
    for (;;) {
      const d = await sys.read(fd, 100); // small reads: whole records only, never split
      if (d.length === 0) break;
      parts.push(d);
    }
    await sys.close(fd);
    const ds = parts.flatMap((p) => unpackDirs(p));
    expect(names(ds)).toEqual(['f2', 'shared', 'only2', 'sub', 'y', 'f1', 'only1', 'x']);
    expect(ds.find((d) => d.name === 'shared')!.length).toBe('shared from r2, longer'.length);
    expect(await errOf(() => sys.open('/a', OWRITE))).toBe('is a directory');
  });

  it('an existing file in a union stays writable where it lives', async () => {
    const { sys } = await boot();
    await sys.bind('/b/sub', '/a/sub', MAFTER);
    const fd = await sys.open('/a/sub/inner2', ORDWR);
    await sys.write(fd, 'R2');
    await sys.close(fd);
    expect(await cat(sys, '/b/sub/inner2')).toBe('R2 sub inner');
  });
});

describe('creation in mounted directories (bind -c)', () => {
  it('create in a union goes to the -c member (-a)', async () => {
    const { sys } = await boot();
    await sys.bind('/b/sub', '/a/sub', MAFTER | MCREATE);
    await sys.writeFile('/a/sub/made', 'created');
    expect(await cat(sys, '/b/sub/made')).toBe('created');
    expect(await cat(sys, '/a/sub/made')).toBe('created');
    expect(await ls(sys, '/a/sub')).toEqual(['inner1', 'same', 'inner2', 'made']);
    // and not in the old directory
    await sys.unmount('/b/sub', '/a/sub');
    expect(await ls(sys, '/a/sub')).toEqual(['inner1', 'same']);
  });

  it('create in a union goes to the -c member (-b), directories too', async () => {
    const { sys } = await boot();
    await sys.bind('/c/p', '/a/sub', MBEFORE | MCREATE);
    await sys.mkdir('/a/sub/newdir');
    await sys.writeFile('/a/sub/newdir/f', 'deep');
    expect(await ls(sys, '/c/p')).toEqual(['q', 'pfile', 'newdir']);
    expect(await cat(sys, '/c/p/newdir/f')).toBe('deep');
  });

  it('the first -c member in union order receives the file', async () => {
    const { sys } = await boot();
    await sys.bind('/b/sub', '/a/sub', MAFTER | MCREATE);
    await sys.bind('/c/p', '/a/sub', MAFTER | MCREATE);
    await sys.writeFile('/a/sub/one', '1');
    expect(await ls(sys, '/b/sub')).toContain('one');
    expect(await ls(sys, '/c/p')).not.toContain('one');
    await sys.bind('/c/p', '/a/sub', MBEFORE | MCREATE);
    await sys.writeFile('/a/sub/two', '2');
    expect(await ls(sys, '/c/p')).toContain('two');
    expect(await ls(sys, '/b/sub')).not.toContain('two');
  });

  it('a union with no -c member forbids creation', async () => {
    const { sys } = await boot();
    await sys.bind('/b/sub', '/a/sub', MAFTER);
    expect(await errOf(() => sys.create('/a/sub/nope', OWRITE, 0o644))).toBe('mounted directory forbids creation');
    expect(await errOf(() => sys.mkdir('/a/sub/nope'))).toBe('mounted directory forbids creation');
    expect(await errOf(() => sys.writeFile('/a/sub/nope', 'x'))).toBe('mounted directory forbids creation');
    await sys.bind('/c/p', '/a/sub', MBEFORE);
    expect(await errOf(() => sys.create('/a/sub/nope', OWRITE, 0o644))).toBe('mounted directory forbids creation');
    expect(await ls(sys, '/b/sub')).toEqual(['inner2', 'same']);
    expect(await ls(sys, '/c/p')).toEqual(['q', 'pfile']);
    expect(await ls(sys, '/a/sub')).toEqual(['q', 'pfile', 'inner1', 'same', 'inner2']);
  });

  it('creation below a union, in a plain subdirectory of a member, is ordinary', async () => {
    const { sys } = await boot();
    await sys.bind('/b', '/a/x', MAFTER);
    await sys.writeFile('/a/x/y/made', 'in r2 y');
    expect(await cat(sys, '/b/y/made')).toBe('in r2 y');
  });

  it('a replacing bind without -c is a union of one directory and forbids creation (bind(1))', async () => {
    const { sys } = await boot();
    await sys.bind('/b/sub', '/a/sub');
    expect(await errOf(() => sys.create('/a/sub/nope', OWRITE, 0o644))).toBe('mounted directory forbids creation');
    await sys.mount('#r3', '/a/x');
    expect(await errOf(() => sys.mkdir('/a/x/nope'))).toBe('mounted directory forbids creation');
    expect(await ls(sys, '/b/sub')).toEqual(['inner2', 'same']);
  });

  it('a replacing bind -c permits creation in the new directory', async () => {
    const { sys } = await boot();
    await sys.bind('/b/sub', '/a/sub', MREPL | MCREATE);
    await sys.writeFile('/a/sub/made', 'ok');
    expect(await cat(sys, '/b/sub/made')).toBe('ok');
  });
});

describe('unmount', () => {
  it('unmount new old removes that member and keeps the others in order', async () => {
    const { sys } = await boot();
    await sys.bind('/b', '/a', MAFTER);
    await sys.bind('/c', '/a', MAFTER);
    await sys.unmount('/b', '/a');
    expect(sys.proc.ns.membersAt('/a').map((m) => m.src)).toEqual(['#r1', '/c']);
    expect(await ls(sys, '/a')).toEqual(['f1', 'shared', 'only1', 'sub', 'x', 'f3', 'p']);
    expect(await errOf(() => sys.readFile('/a/only2'))).toBe('file does not exist');
    expect(await cat(sys, '/a/f3')).toBe('r3 f3');
    // /b itself is unaffected
    expect(await cat(sys, '/b/only2')).toBe('only in r2');
  });

  it('unmount by a device source removes the mounted device member', async () => {
    const { sys } = await boot();
    await sys.bind('/b', '/a', MBEFORE);
    await sys.unmount('#r1', '/a');
    expect(await ls(sys, '/a')).toEqual(await ls(sys, '/b'));
    expect(await errOf(() => sys.readFile('/a/only1'))).toBe('file does not exist');
  });

  it('unmount of the new member leaves the original directory of a union', async () => {
    const { sys } = await boot();
    await sys.bind('/b/sub', '/a/sub', MBEFORE);
    await sys.unmount('/b/sub', '/a/sub');
    expect(await ls(sys, '/a/sub')).toEqual(['inner1', 'same']);
    expect(await cat(sys, '/a/sub/same')).toBe('r1 sub same');
  });

  it('unmount old removes everything at old and restores what was there', async () => {
    const { sys } = await boot();
    await sys.bind('/b/sub', '/a/sub', MBEFORE);
    await sys.bind('/c/p', '/a/sub', MAFTER);
    await sys.unmount(undefined, '/a/sub');
    expect(await ls(sys, '/a/sub')).toEqual(['inner1', 'same']);
    expect(sys.proc.ns.mountPoints()).not.toContain('/a/sub');
    await sys.bind('/b', '/a', MAFTER);
    await sys.unmount(undefined, '/a');
    expect(await errOf(() => sys.dirread('/a'))).toBe('file does not exist');
    expect(await ls(sys, '/')).toEqual(['b', 'bin', 'c']);
  });

  it('unmount of something not mounted there is refused with "not mounted"', async () => {
    const { sys } = await boot();
    expect(await errOf(() => sys.unmount(undefined, '/a/sub'))).toBe('not mounted');
    expect(await errOf(() => sys.unmount('/b', '/a'))).toBe('not mounted');
    expect(await errOf(() => sys.unmount('#r2', '/a'))).toBe('not mounted');
    expect(await errOf(() => sys.unmount(undefined, '/nowhere'))).toBe('not mounted');
    expect(await cat(sys, '/a/f1')).toBe('r1 f1');
  });

  it('unmount names new relative to the current directory, lexically cleaned', async () => {
    const { sys } = await boot();
    await sys.bind('/b/sub', '/a/sub', MAFTER);
    await sys.chdir('/b');
    await sys.unmount('./sub/../sub', '/a/sub');
    expect(await ls(sys, '/a/sub')).toEqual(['inner1', 'same']);
  });
});

describe('walks', () => {
  it('walks through nested mount points', async () => {
    const { sys } = await boot();
    await sys.bind('/b', '/a/x');
    await sys.bind('/c', '/a/x/y');
    expect(await ls(sys, '/a/x')).toEqual(['f2', 'shared', 'only2', 'sub', 'y']);
    expect(await ls(sys, '/a/x/y')).toEqual(['f3', 'shared', 'p']);
    expect(await cat(sys, '/a/x/y/p/q/leaf')).toBe('r3 leaf');
    expect(await cat(sys, '/a/x/f2')).toBe('r2 f2');
    expect(await errOf(() => sys.readFile('/a/x/hidden'))).toBe('file does not exist');
    await sys.chdir('/a/x/y/p');
    expect(await cat(sys, 'q/leaf')).toBe('r3 leaf');
    expect(sys.cwd).toBe('/a/x/y/p');
  });

  it('walks through a mount point that sits inside a union', async () => {
    const { sys } = await boot();
    await sys.bind('/b', '/a', MAFTER);
    await sys.bind('/c/p', '/a/y'); // y exists only in the second member
    expect(await ls(sys, '/a/y')).toEqual(['q', 'pfile']);
    expect(await cat(sys, '/a/y/q/leaf')).toBe('r3 leaf');
  });

  it("'..' is lexical: /a/x/y/.. is /a/x even when y is bound from elsewhere", async () => {
    const { sys } = await boot();
    await sys.bind('/b', '/a/x');
    await sys.bind('/c/p/q', '/a/x/y'); // the server's parent of q is /c/p
    const viaDotDot = await ls(sys, '/a/x/y/..');
    expect(viaDotDot).toEqual(await ls(sys, '/a/x'));
    expect(viaDotDot).not.toEqual(await ls(sys, '/c/p'));
    expect((await sys.stat('/a/x/y/..')).qid).toEqual((await sys.stat('/a/x')).qid);
    expect((await sys.stat('/a/x/y/..')).qid).not.toEqual((await sys.stat('/c/p')).qid);
    await sys.chdir('/a/x/y');
    expect(await cat(sys, '../f2')).toBe('r2 f2');
    await sys.chdir('..');
    expect(sys.cwd).toBe('/a/x');
    await sys.chdir('../..');
    expect(sys.cwd).toBe('/');
    expect(await ls(sys, '/a/..')).toEqual(['a', 'b', 'bin', 'c']);
    expect(await ls(sys, '/..')).toEqual(['a', 'b', 'bin', 'c']);
  });

  it("'..' out of a mount point returns to the mount's parent, not the server's", async () => {
    const { sys } = await boot();
    await sys.bind('/c/p', '/b/y');
    expect(await cat(sys, '/b/y/../f2')).toBe('r2 f2');
    expect(await errOf(() => sys.readFile('/b/y/../f3'))).toBe('file does not exist');
  });

  it('stat names a mount point by the last element of the path used (Plan 9 sysstat)', async () => {
    const { sys } = await boot();
    await sys.bind('/c/p', '/a/x');
    await sys.bind('/b/f2', '/a/f1');
    expect((await sys.stat('/a')).name).toBe('a');
    expect((await sys.stat('/a/x')).name).toBe('x');
    expect((await sys.stat('/a/f1')).name).toBe('f1');
    expect((await sys.stat('/a/f1')).length).toBe('r2 f2'.length);
    expect((await sys.stat('/a/sub')).name).toBe('sub');
  });

  it('a path through a file fails', async () => {
    const { sys } = await boot();
    expect(await errOf(() => sys.readFile('/a/f1/x'))).toBe('not a directory');
    expect(await errOf(() => sys.dirread('/a/f1'))).toBe('not a directory');
    expect(await errOf(() => sys.chdir('/a/f1'))).toBe('not a directory');
  });
});

describe('rfork n and N', () => {
  it('without rfork n, parent and child share one namespace', async () => {
    const node = await boot({
      programs: { binder: async (s) => { await s.bind('/b', '/a'); } },
    });
    const { sys } = node;
    await sys.spawn('binder', ['binder']);
    expect((await sys.await())!.status).toBe('');
    expect(await ls(sys, '/a')).toEqual(await ls(sys, '/b'));
  });

  it("rfork n: the child's binds are invisible to the parent and the parent's to the child", async () => {
    const bound = deferred();
    const go = deferred();
    let childA: string[] = [];
    let childC: string[] = [];
    const { sys } = await boot({
      programs: {
        isolated: async (s) => {
          await s.bind('/c', '/a');
          childA = await ls(s, '/a');
          bound.resolve();
          await go.promise;
          childC = await ls(s, '/c');
          return s.proc.ns.nsText().split('\n').filter(Boolean).pop();
        },
      },
    });
    const before = await ls(sys, '/a');
    await sys.spawn('isolated', ['isolated'], { rfork: 'n' });
    await bound.promise;
    expect(childA).toEqual(['f3', 'shared', 'p']);
    expect(await ls(sys, '/a')).toEqual(before);
    await sys.bind('/b', '/c');
    go.resolve();
    const w = await sys.await();
    expect(w!.status).toBe('isolated 2: bind /c /a');
    expect(childC).toEqual(['f3', 'shared', 'p']);
    expect(await ls(sys, '/c')).toEqual(await ls(sys, '/b'));
    expect(sys.proc.ns.nsText()).not.toContain('bind /c /a');
  });

  it('rfork n inside a running child separates it from then on', async () => {
    const { sys } = await boot({
      programs: {
        later: async (s) => {
          await s.bind('/b/y', '/a/x'); // shared
          await s.rfork('n');
          await s.bind('/c/p', '/a/sub'); // private
          return (await ls(s, '/a/sub')).join(' ');
        },
      },
    });
    await sys.spawn('later', ['later']);
    expect((await sys.await())!.status).toBe('later 2: q pfile');
    expect(await ls(sys, '/a/x')).toEqual(['iny']);
    expect(await ls(sys, '/a/sub')).toEqual(['inner1', 'same']);
  });

  it('unmount in an rfork n child leaves the parent its mounts', async () => {
    const { sys } = await boot({
      programs: {
        unmounter: async (s) => {
          await s.unmount(undefined, '/a');
          await s.unmount('/b', '/c');
          return (await ls(s, '/')).join(' ') + ' | ' + (await ls(s, '/c')).join(' ');
        },
      },
    });
    await sys.bind('/b', '/c', MAFTER);
    await sys.spawn('unmounter', ['unmounter'], { rfork: 'n' });
    expect((await sys.await())!.status).toBe('unmounter 2: b bin c | f3 shared p');
    expect(await ls(sys, '/')).toEqual(['a', 'b', 'bin', 'c']);
    expect(await cat(sys, '/a/f1')).toBe('r1 f1');
    expect(await ls(sys, '/c')).toEqual(['f3', 'shared', 'p', 'f2', 'only2', 'sub', 'y']);
  });

  it('rfork N: the child starts with a clean namespace it can build itself', async () => {
    let seen: string[] = ['unset'];
    let err = '';
    let rebuilt: string[] = [];
    let nsText = '';
    const { sys } = await boot({
      programs: {
        clean: async (s) => {
          seen = await ls(s, '/');
          err = await errOf(() => s.readFile('/a/f1'));
          await s.mount('#r3', '/m');
          rebuilt = await ls(s, '/');
          nsText = s.proc.ns.nsText();
          return cat(s, '/m/f3');
        },
      },
    });
    await sys.spawn('clean', ['clean'], { rfork: 'N' });
    expect((await sys.await())!.status).toBe('clean 2: r3 f3');
    expect(seen).toEqual([]);
    expect(err).toBe('file does not exist');
    expect(rebuilt).toEqual(['m']);
    expect(nsText).toBe('mount \'#r3\' /m\n');
    expect(await ls(sys, '/')).toEqual(['a', 'b', 'bin', 'c']);
    expect(await errOf(() => sys.stat('/m'))).toBe('file does not exist');
  });
});

describe('ns: a replayable namespace file', () => {
  /** Build a varied namespace: mounts, -b/-a/-c unions, file binds, unmounts, device subtrees, a quoted name. */
  async function build(sys: Sys): Promise<void> {
    await sys.bind('/b', '/a', MAFTER);
    await sys.bind('/c/p', '/a/sub', MBEFORE | MCREATE);
    await sys.bind('/b/f2', '/a/f1');
    await sys.mount('#r3', "/it's here", MCREATE);
    await sys.bind('#r2/sub', '/c/p/q');
    await sys.bind('/c', '/a/x', MAFTER);
    await sys.unmount('/c', '/a/x');
    await sys.bind('/b/y', '/a/x', MAFTER);
    await sys.bind('/c/p/q', '/b/y');
    await sys.unmount(undefined, '/b/y');
    await sys.chdir('/a');
    await sys.bind('sub', 'x', MBEFORE); // relative names are recorded absolute
    await sys.chdir('/');
  }

  it('ns lines are bind/mount/unmount commands, with flags and quoting', async () => {
    const { sys } = await boot();
    await build(sys);
    expect(sys.proc.ns.nsText()).toBe([
      'mount \'#b\' /bin',
      'mount -c \'#r1\' /a',
      'mount -c \'#r2\' /b',
      'mount -c \'#r3\' /c',
      'bind -a /b /a',
      'bind -bc /c/p /a/sub',
      'bind /b/f2 /a/f1',
      "mount -c '#r3' '/it''s here'",
      'bind \'#r2/sub\' /c/p/q',
      'bind -a /c /a/x',
      'unmount /c /a/x',
      'bind -a /b/y /a/x',
      'bind /c/p/q /b/y',
      'unmount /b/y',
      'bind -b /a/sub /a/x',
      '',
    ].join('\n'));
  });

  it('replaying ns in a fresh process with an empty namespace reproduces the same view', async () => {
    const { k, sys } = await boot();
    await build(sys);
    const want = await snapshot(sys);
    expect(want.length).toBeGreaterThan(30);
    expect(want).toContain("/it's here/f3 = r3 f3");
    expect(want).toContain('/a/f1 = r2 f2');

    const fresh = k.newInit('glenda', new CSpace());
    grantAll(k, fresh);
    const fsys = new Sys(k, fresh);
    expect(await ls(fsys, '/')).toEqual([]);
    await replay(fsys, sys.proc.ns.nsText());
    expect(await snapshot(fsys)).toEqual(want);
    expect(fresh.ns.nsText()).toBe(sys.proc.ns.nsText());
    // the replayed view is live, not a copy: creation goes where the original's does
    await fsys.writeFile('/a/sub/replayed', 'yes');
    expect(await cat(sys, '/c/p/replayed')).toBe('yes');
  });

  it("an rfork n child's ns replays to the child's view", async () => {
    let childView: string[] = [];
    let childNs = '';
    const { k, sys } = await boot({
      programs: {
        shaper: async (s) => {
          await s.bind('/c', '/a', MBEFORE);
          await s.unmount(undefined, '/b');
          await s.bind('/a/sub', '/c/p');
          childView = await snapshot(s);
          childNs = s.proc.ns.nsText();
        },
      },
    });
    await sys.spawn('shaper', ['shaper'], { rfork: 'n' });
    expect((await sys.await())!.status).toBe('');
    expect(childNs.startsWith(sys.proc.ns.nsText())).toBe(true);
    const fresh = k.newInit('glenda', new CSpace());
    grantAll(k, fresh);
    const fsys = new Sys(k, fresh);
    await replay(fsys, childNs);
    expect(await snapshot(fsys)).toEqual(childView);
    expect(childView).not.toEqual(await snapshot(sys));
  });

  it('unmount-everything lines replay too', async () => {
    const { k, sys } = await boot();
    await sys.bind('/b', '/a', MBEFORE);
    await sys.unmount(undefined, '/a');
    await sys.unmount(undefined, '/c');
    const fresh = k.newInit('glenda', new CSpace());
    grantAll(k, fresh);
    const fsys = new Sys(k, fresh);
    await replay(fsys, sys.proc.ns.nsText());
    expect(await ls(fsys, '/')).toEqual(['b', 'bin']);
    expect(await snapshot(fsys)).toEqual(await snapshot(sys));
  });
});

describe('mount rights through the namespace', () => {
  it('a chan reached through a mount carries that mount capability', async () => {
    const { sys } = await boot();
    await sys.bind('/c/p', '/a/sub', MBEFORE);
    const ms = sys.proc.ns.membersAt('/a/sub');
    expect(ms[0]!.chan.cap.object).toBe('dev:#r3');
    expect(ms[1]!.chan.cap.object).toBe('dev:#r1');
    expect(ms[0]!.chan.cap.has(Right.read | Right.write | Right.create)).toBe(true);
  });
});
