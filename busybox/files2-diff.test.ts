// The file commands against the host's own: the same fixture files are written to a host
// temporary directory and to the node's /tmp/w, the same command runs on both sides, and
// standard output and success or failure must agree. The references are GNU coreutils,
// diffutils and tar, Debian's busybox (busybox-static) and Plan 9's 9base
// (/usr/lib/plan9/bin); a case whose tool is missing is skipped, saying which.

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHosted } from '../bin/hostio.ts';
import { userland } from '../bin/userland.ts';
import { boot } from '../kernel/boot.ts';
import type { BootResult } from '../kernel/boot.ts';
import { rcMain } from '../rc/main.ts';
import { FILE_COMMANDS } from './group-files.ts';

const P9 = '/usr/lib/plan9/bin';
const BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'].find(existsSync);
const APPLETS = new Set(BUSYBOX ? spawnSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).stdout.split('\n') : []);
const gnu = (tool: string): boolean => spawnSync(tool, ['--version'], { encoding: 'utf8' }).stdout?.includes('GNU') ?? false;
const HAVE = {
  busybox: (applet: string): boolean => APPLETS.has(applet), p9: (t: string): boolean => existsSync(`${P9}/${t}`),
  cmp: gnu('cmp'), coreutils: gnu('sha1sum') && gnu('dirname') && gnu('split') && gnu('du') && gnu('stat') && gnu('chmod') && gnu('cp'), tar: gnu('tar'),
};
/** A test that needs a host tool: skipped, saying why, when the tool is missing. */
function when(ok: boolean, why: string): (name: string, fn: () => Promise<void>) => void {
  return (name, fn) => { if (ok) it(name, fn); else it.skip(`${name} (skipped: ${why})`, fn); };
}

const T0 = 1700000000;
const FIXTURES: Record<string, string | Buffer> = {
  a: 'hello\nworld\n', b: 'hello\nwarld\nmore\n', c: 'hello\n',
  h: Buffer.from('hello world, this is a test\0\x01\xff\n', 'latin1'),
  z: Buffer.concat([Buffer.alloc(64), Buffer.from('abc')]),
  bin: Buffer.from(Array.from({ length: 800 }, (_, i) => (i * 7 + (i >> 8)) & 255)),
  empty: '', lines: Array.from({ length: 2500 }, (_, i) => `${i + 1}\n`).join(''),
  't/': '', 't/x': 'x'.repeat(1500), 't/s/': '', 't/s/y': 'y'.repeat(3000), 't/s/e': '', 't/z': 'z',
};

let host = '';
let node: BootResult;

beforeAll(async () => {
  host = mkdtempSync(join(tmpdir(), 'cohesix-files2-'));
  node = await boot({ role: 'QueenPrimary', programs: new Map([...userland(), ...FILE_COMMANDS]) });
  await node.sys.mkdir('/tmp/w');
  const entries = Object.entries(FIXTURES);
  for (const [name, data] of entries) {
    const hp = join(host, name), np = `/tmp/w/${name.replace(/\/$/, '')}`;
    if (name.endsWith('/')) { mkdirSync(hp); chmodSync(hp, 0o775); await node.sys.mkdir(np, 0o775); continue; }
    writeFileSync(hp, data);
    chmodSync(hp, 0o664);
    await node.sys.writeFile(np, data, 0o664);
  }
  // Directories last, so filling them does not move their times.
  for (const [i, [name]] of [...entries.entries()].reverse()) {
    const t = T0 + i * 1000;
    utimesSync(join(host, name), t, t);
    await node.sys.wstat(`/tmp/w/${name.replace(/\/$/, '')}`, { mtime: t, atime: t });
  }
});

afterAll(async () => {
  await node?.kernel.shutdown();
  if (host) rmSync(host, { recursive: true, force: true });
});

interface Out { out: string; ok: boolean }

const rcQuote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** Run argv in the node (through rc, in /tmp/w or a directory below it). */
async function inNode(argv: string[], dir = ''): Promise<Out> {
  const parts: Buffer[] = [];
  const status = await runHosted(node, rcMain, ['rc', '-c', argv.map(rcQuote).join(' ')], {
    cwd: `/tmp/w${dir ? `/${dir}` : ''}`, stdout: (b) => { parts.push(Buffer.from(b)); }, stderr: () => {},
  });
  return { out: Buffer.concat(parts).toString('latin1'), ok: status === '' };
}

/** Run argv on the host, in the fixture directory or one below it. */
function onHost(argv: string[], dir = ''): Out {
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: join(host, dir), env: { ...process.env, LC_ALL: 'C' } });
  return { out: r.stdout.toString('latin1'), ok: r.status === 0 };
}

/** The same command both sides: the node's argv, and the host's (its program spelled out). */
async function same(nodeArgv: string[], hostArgv: string[], fix: (s: string) => string = (s) => s): Promise<void> {
  const n = await inNode(nodeArgv), h = onHost(hostArgv);
  expect({ argv: nodeArgv, out: n.out, ok: n.ok }).toEqual({ argv: nodeArgv, out: fix(h.out), ok: h.ok });
}

/** 9base prints %lud as a number followed by 'd'; the Plan 9 format is the number. */
const p9fix = (s: string): string => s.replace(/^(\s*\d+)d/gm, '$1');

/** A tree as name -> contents ('/' for a directory), on either side. */
function hostTree(dir: string): Record<string, string> {
  const t: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { t[`${e.name}/`] = '/'; for (const [k, v] of Object.entries(hostTree(p))) t[`${e.name}/${k}`] = v; } else t[e.name] = readFileSync(p, 'latin1');
  }
  return t;
}
async function nodeTree(dir: string): Promise<Record<string, string>> {
  const t: Record<string, string> = {};
  for (const d of await node.sys.dirread(dir)) {
    const p = `${dir}/${d.name}`;
    if (d.mode & 0x80000000) { t[`${d.name}/`] = '/'; for (const [k, v] of Object.entries(await nodeTree(p))) t[`${d.name}/${k}`] = v; } else t[d.name] = (await node.sys.readFile(p)).toString('latin1');
  }
  return t;
}

describe('cmp', () => {
  const cases = [['a', 'b'], ['a', 'c'], ['c', 'a'], ['a', 'a'], ['-l', 'a', 'b'], ['-l', 'a', 'c'], ['-l', 'h', 'bin'], ['-s', 'a', 'b'], ['-s', 'a', 'a'],
    ['a', 'b', '6', '6'], ['a', 'b', '8', '8'], ['bin', 'bin'], ['h', 'bin'], ['a', 'nosuch'], ['-s', 'c', 'a']];
  when(HAVE.busybox('cmp'), 'busybox has no cmp applet')('against busybox cmp: output and status', async () => {
    for (const args of cases) await same(['cmp', ...args], [BUSYBOX!, 'cmp', ...args]);
  });
  when(HAVE.cmp, 'no GNU cmp')('against GNU cmp -s: status', async () => {
    for (const args of cases.filter((a) => a[0] !== '-l')) await same(['cmp', '-s', ...args.filter((x) => x !== '-s')], ['cmp', '-s', ...args.filter((x) => x !== '-s')]);
  });
  when(HAVE.p9('cmp'), 'no 9base cmp')('against Plan 9 cmp -s: status', async () => {
    for (const args of cases.filter((a) => a[0] !== '-l' && a.length <= 3)) await same(['cmp', '-s', ...args.filter((x) => x !== '-s')], [`${P9}/cmp`, '-s', ...args.filter((x) => x !== '-s')]);
  });
});

describe('checksums', () => {
  when(HAVE.coreutils, 'no GNU coreutils')('sha1sum and sha256sum, also -c, against GNU', async () => {
    const files = ['a', 'b', 'bin', 'empty', 'lines', 'nosuch'];
    for (const tool of ['sha1sum', 'sha256sum']) {
      await same([tool, ...files], [tool, ...files]);
      const sums = `${onHost([tool, 'a', 'bin', 'lines']).out}${'0'.repeat(tool === 'sha1sum' ? 40 : 64)}  c\n`;
      writeFileSync(join(host, `${tool}.sums`), sums);
      await node.sys.writeFile(`/tmp/w/${tool}.sums`, sums);
      await same([tool, '-c', `${tool}.sums`], [tool, '-c', `${tool}.sums`]);
    }
  });
});

describe('dirname', () => {
  const names = ['a/b', 'a/b/', '/', '//', '//a', '///a///b//', '', '.', '..', 'a/.', './a', 'a//b/', '/usr/', 'a', 'x y/z'];
  when(HAVE.coreutils, 'no GNU dirname')('against GNU, all names in one call', async () => {
    await same(['dirname', ...names], ['dirname', ...names]);
  });
  when(HAVE.busybox('dirname'), 'busybox has no dirname applet')('against busybox, one name a call (busybox keeps a leading //)', async () => {
    for (const n of names.filter((x) => !x.startsWith('//'))) await same(['dirname', n], [BUSYBOX!, 'dirname', n]);
  });
});

describe('split', () => {
  const runs: Array<[string, string[]]> = [['l', ['-l', '300', '../lines']], ['b', ['-b', '100', '../bin']], ['k', ['-b', '1k', '../lines', 'p']], ['ad', ['-a', '3', '-l', '1000', '../lines', 'q']], ['dflt', ['../lines']]];
  async function compare(tag: string, nodeArgs: string[], hostArgv: string[]): Promise<void> {
    mkdirSync(join(host, tag));
    await node.sys.mkdir(`/tmp/w/${tag}`);
    const n = await inNode(['split', ...nodeArgs], tag), h = onHost(hostArgv, tag);
    expect(n.ok).toBe(h.ok);
    expect(await nodeTree(`/tmp/w/${tag}`)).toEqual(hostTree(join(host, tag)));
  }
  when(HAVE.coreutils, 'no GNU split')('against GNU split: the pieces and their contents', async () => {
    for (const [tag, args] of runs) await compare(`gnu-${tag}`, args, ['split', ...args]);
    await compare('gnu-d', ['-d', '-l', '700', '../lines'], ['split', '-d', '-l', '700', '../lines']);
  });
  when(HAVE.busybox('split'), 'this busybox has no split applet')('against busybox split', async () => {
    for (const [tag, args] of runs) await compare(`bb-${tag}`, args, [BUSYBOX!, 'split', ...args]);
  });
  when(HAVE.p9('split'), 'no 9base split')('against Plan 9 split -n (our -l)', async () => {
    await compare('p9', ['-l', '400', '../lines'], [`${P9}/split`, '-n', '400', '../lines']);
  });
});

describe('du', () => {
  when(HAVE.p9('du'), 'no 9base du')('against Plan 9 du: -s, -a, default (lines sorted: 9base keeps readdir order)', async () => {
    const sorted = (s: string): string => s.split('\n').filter(Boolean).sort().join('\n');
    // Not `du nosuch`: 9base prints `0 nosuch` and succeeds; here it is an error (see man/1/du).
    for (const args of [['-s', 't'], ['-s', 'a', 'bin', 'lines', 't/x'], ['-a', 't'], ['t'], ['-a', '.']]) {
      const n = await inNode(['du', ...args]), h = onHost([`${P9}/du`, ...args]);
      expect({ args, out: sorted(n.out), ok: n.ok }).toEqual({ args, out: sorted(p9fix(h.out)), ok: h.ok });
    }
  });
  when(HAVE.coreutils, 'no GNU du')('-h against GNU du -h --apparent-size on files', async () => {
    for (const f of ['a', 'bin', 'lines', 't/x', 't/s/y', 'empty']) await same(['du', '-sh', f], ['du', '-sh', '--apparent-size', f]);
  });
});

describe('hexdump', () => {
  const flags = [[], ['-C'], ['-b'], ['-c'], ['-d'], ['-o'], ['-x'], ['-Cv'], ['-b', '-c'], ['-C', '-x'], ['-x', '-C'], ['-C', '-n', '20', '-s', '5'], ['-C', '-s', '100'], ['-v', '-n', '40'], ['-C', '-s', '0x10', '-n', '1000'], ['-C', '-s', '010'], ['-C', '-n', '1k']];
  when(HAVE.busybox('hexdump'), 'busybox has no hexdump applet')('against busybox hexdump, every built-in format', async () => {
    for (const f of flags) {
      for (const files of [['h'], ['z'], ['bin'], ['empty'], ['h', 'z'], ['a', 'nosuch', 'c']]) await same(['hexdump', ...f, ...files], [BUSYBOX!, 'hexdump', ...f, ...files]);
    }
  });
});

describe('xd', () => {
  it.skip('against Plan 9 xd (skipped: 9base ships no xd; the output is pinned from Plan 9 xd.c in files2.test.ts)', () => {});
});

describe('mtime, stat, chmod', () => {
  when(HAVE.p9('mtime'), 'no 9base mtime')('mtime against Plan 9', async () => {
    await same(['mtime', 'a', 'bin', 't', 't/s/y'], [`${P9}/mtime`, 'a', 'bin', 't', 't/s/y'], p9fix);
    await same(['mtime', 'nosuch'], [`${P9}/mtime`, 'nosuch']);
  });
  when(HAVE.coreutils, 'no GNU stat')('stat -c against GNU for what both know', async () => {
    await same(['stat', '-c', '%n %s %F %a %Y', 'a', 'empty', 'bin'], ['stat', '-c', '%n %s %F %a %Y', 'a', 'empty', 'bin']);
    await same(['stat', '-c', '%n|%F|%a|%Y|%%', 't', 't/s'], ['stat', '-c', '%n|%F|%a|%Y|%%', 't', 't/s']);
    await same(['stat', '-c', '%s', 'nosuch'], ['stat', '-c', '%s', 'nosuch']);
  });
  when(HAVE.coreutils, 'no GNU chmod')('chmod modes against GNU (umask 0: who omitted means all)', async () => {
    const modes = ['600', 'u+x', 'a-w', 'go=r', 'u=rw,go=', '+x', '-x', 'o+rX', 'a+X', 'u+x', 'a+X', '0751', 'g-x,o=rwx', 'a=', 'ug+rw', 'o+X'];
    writeFileSync(join(host, 'cm'), '');
    await node.sys.writeFile('/tmp/w/cm', '');
    const h = spawnSync('sh', ['-c', `umask 0; for m in ${modes.join(' ')}; do chmod -- "$m" cm; stat -c %a cm; done`], { cwd: host, encoding: 'utf8' });
    const n = await inNode(['rc', '-c', `for(m in ${modes.map(rcQuote).join(' ')}) { chmod $m cm; stat -c %a cm }`]);
    expect(n.out).toBe(h.stdout);
  });
});

describe('cp and mv', () => {
  when(HAVE.coreutils, 'no GNU cp and mv')('the trees they leave agree with GNU', async () => {
    const steps = [['cp', '-r', 't', 'cpt'], ['cp', '-r', 't', 'cpt'], ['cp', 'a', 'b', 'cpt/s'], ['mv', 'cpt', 'mvt'], ['mkdir', 'into'], ['mv', 'mvt', 'into'], ['cp', 'a', 'into/mvt/z']];
    mkdirSync(join(host, 'cpmv'));
    await node.sys.mkdir('/tmp/w/cpmv');
    for (const f of ['a', 'b']) { writeFileSync(join(host, 'cpmv', f), FIXTURES[f]!); await node.sys.writeFile(`/tmp/w/cpmv/${f}`, FIXTURES[f]!); }
    spawnSync('cp', ['-r', join(host, 't'), join(host, 'cpmv', 't')]);
    await inNode(['cp', '-r', 't', 'cpmv/t']);
    for (const s of steps) {
      const n = await inNode(s, 'cpmv'), h = onHost(s, 'cpmv');
      expect({ s, ok: n.ok }).toEqual({ s, ok: h.ok });
    }
    expect(await nodeTree('/tmp/w/cpmv')).toEqual(hostTree(join(host, 'cpmv')));
  });
});

describe('tar', () => {
  when(HAVE.tar, 'no GNU tar')('an archive made in the node: GNU tar lists and extracts it', async () => {
    const long = `${'d'.repeat(80)}/${'e'.repeat(90)}/${'f'.repeat(110)}`;
    await node.sys.mkdir('/tmp/w/L');
    await node.sys.mkdir(`/tmp/w/L/${long.split('/')[0]}`);
    await node.sys.mkdir(`/tmp/w/L/${long.split('/').slice(0, 2).join('/')}`);
    await node.sys.writeFile(`/tmp/w/L/${long}`, 'long\n');
    expect((await inNode(['tar', 'cf', 'n.tar', 't', 'a', 'bin', 'L'])).ok).toBe(true);
    writeFileSync(join(host, 'n.tar'), await node.sys.readFile('/tmp/w/n.tar'));
    await same(['tar', 'tf', 'n.tar'], ['tar', 'tf', 'n.tar']);
    expect((await inNode(['tar', 'tf', 'n.tar'])).out).toContain(`L/${long}\n`);
    mkdirSync(join(host, 'gx'));
    expect(onHost(['tar', '--no-same-owner', '-xf', '../n.tar'], 'gx').ok).toBe(true);
    const tree = hostTree(join(host, 'gx'));
    expect(tree['t/s/y']).toBe(FIXTURES['t/s/y']);
    expect(tree[`L/${long}`]).toBe('long\n');
    expect(statSync(join(host, 'gx', 'bin')).mtimeMs / 1000).toBe(statSync(join(host, 'bin')).mtimeMs / 1000);
    expect(statSync(join(host, 'gx', 'a')).mode & 0o777).toBe(0o664);
  });
  when(HAVE.busybox('tar'), 'busybox has no tar applet')('busybox tar tv lists a node archive as the node does', async () => {
    if (!existsSync(join(host, 'n.tar'))) { await inNode(['tar', 'cf', 'n.tar', 't', 'a', 'bin']); writeFileSync(join(host, 'n.tar'), await node.sys.readFile('/tmp/w/n.tar')); }
    await same(['tar', 'tvf', 'n.tar'], [BUSYBOX!, 'tar', 'tvf', 'n.tar']);
  });
  when(HAVE.tar, 'no GNU tar')('archives made by GNU tar (gnu, ustar, pax): the node lists and extracts them', async () => {
    const long = `${'p'.repeat(120)}/${'q'.repeat(120)}`;
    mkdirSync(join(host, 'P', 'p'.repeat(120)), { recursive: true });
    writeFileSync(join(host, 'P', long), 'pax\n');
    for (const format of ['gnu', 'ustar', 'pax']) {
      const members = format === 'ustar' ? ['t', 'a'] : ['t', 'a', 'P'];
      expect(onHost(['tar', `--format=${format}`, '-cf', `${format}.tar`, ...members]).ok).toBe(true);
      await node.sys.writeFile(`/tmp/w/${format}.tar`, readFileSync(join(host, `${format}.tar`)));
      await same(['tar', 'tf', `${format}.tar`], ['tar', 'tf', `${format}.tar`]);
      await node.sys.mkdir(`/tmp/w/x-${format}`);
      expect((await inNode(['tar', 'xf', `../${format}.tar`], `x-${format}`)).ok).toBe(true);
      const got = await nodeTree(`/tmp/w/x-${format}`);
      expect(got['t/s/y']).toBe(FIXTURES['t/s/y']);
      if (format !== 'ustar') expect(got[`P/${long}`]).toBe('pax\n');
      expect((await node.sys.stat(`/tmp/w/x-${format}/t/x`)).mtime).toBe(statSync(join(host, 't/x')).mtimeMs / 1000);
    }
  });
});
