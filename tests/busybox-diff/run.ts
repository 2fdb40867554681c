// Run one busybox-diff case in our node (the command line run by our rc, in a fresh
// directory of a fresh node's /tmp) or by a reference on the host (9base's Plan 9 tool or
// /bin/busybox, in a fresh host temp dir holding the same files). Both sides report stdout,
// zero/non-zero status and the directory's tree afterwards (names, kinds and contents, so
// mkdir, rm, touch and output files are compared by what they leave, not only by what they say).

import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runHosted } from '../../bin/hostio.ts';
import { userland } from '../../bin/userland.ts';
import { DMDIR } from '../../fs/9p/constants.ts';
import { boot } from '../../kernel/boot.ts';
import type { Sys } from '../../kernel/sys.ts';
import { rcMain } from '../../rc/main.ts';
import type { Case, Ref } from './cases.ts';

export const PLAN9_BIN = '/usr/lib/plan9/bin';
export const BUSYBOX = '/bin/busybox';

export interface Outcome {
  /** stdout as a byte string (latin1), so any byte compares exactly. */
  out: string;
  ok: boolean;
  /** The working directory afterwards: one line per entry, `name/` or `name: "content"`. */
  tree: string;
  /** stderr, for failure messages only: its wording is never compared. */
  err: string;
}

/**
 * Input files get fixed, distinct modification times (a minute apart, in the order given,
 * at noon UTC in 2001) so ls -t orders the same on both sides and a date reads the same
 * in any time zone within 12 hours of UTC.
 */
export const MTIME_BASE = Date.UTC(2001, 1, 3, 12, 0, 0) / 1000;

/** The program that plays a reference for argv[0], or why there is none. */
export function referenceBinary(ref: Ref, cmd: string): { path: string; argv0: string[] } | { missing: string } {
  if (ref === 'busybox') {
    return existsSync(BUSYBOX) ? { path: BUSYBOX, argv0: [cmd] } : { missing: `${BUSYBOX} is not installed (apt-get install busybox)` };
  }
  const p = `${PLAN9_BIN}/${cmd}`;
  return existsSync(p) ? { path: p, argv0: [] } : { missing: `${p} is not installed (apt-get install 9base)` };
}

/** An rc word: quoted always, a quote doubled (rc(1)); newlines may stand inside quotes. */
export function rcQuote(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** The case's files in creation order: directories named with a trailing '/' (parents first as listed). */
function entries(c: Case): Array<[string, string]> {
  return Object.entries(c.files ?? {});
}

async function ourTree(sys: Sys, dir: string, prefix = ''): Promise<string> {
  const ds = (await sys.dirread(dir)).sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  let s = '';
  for (const d of ds) {
    const rel = prefix + d.name;
    if (d.mode & DMDIR) s += `${rel}/\n` + await ourTree(sys, `${dir}/${d.name}`, `${rel}/`);
    else s += `${rel}: ${JSON.stringify((await sys.readFile(`${dir}/${d.name}`)).toString('latin1'))}\n`;
  }
  return s;
}

function hostTree(dir: string, prefix = ''): string {
  const names = readdirSync(dir).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  let s = '';
  for (const n of names) {
    const p = join(dir, n);
    const rel = prefix + n;
    if (statSync(p).isDirectory()) s += `${rel}/\n` + hostTree(p, `${rel}/`);
    else s += `${rel}: ${JSON.stringify(readFileSync(p).toString('latin1'))}\n`;
  }
  return s;
}

/** Our side: a fresh node, the files under /tmp/bbdiff-ID, `rc -c 'argv...'` run there. */
export async function runOurs(c: Case): Promise<Outcome> {
  const node = await boot({ role: 'QueenPrimary', programs: userland() });
  try {
    const sys = node.sys;
    const dir = `/tmp/bbdiff-${c.id}`;
    await sys.mkdir(dir);
    const list = entries(c);
    for (const [name, data] of list) {
      if (name.endsWith('/')) await sys.mkdir(`${dir}/${name.slice(0, -1)}`);
      else await sys.writeFile(`${dir}/${name}`, Buffer.from(data, 'latin1'));
    }
    for (const [name, mode] of Object.entries(c.modes ?? {})) await sys.wstat(`${dir}/${name}`, { mode });
    // Times last (creating an entry changes its directory's), in the order given.
    for (const [i, [name]] of list.entries()) await sys.wstat(`${dir}/${name.replace(/\/$/, '')}`, { mtime: MTIME_BASE + 60 * i });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const run = runHosted(node, rcMain, ['rc', '-c', c.argv.map(rcQuote).join(' ')], {
      cwd: dir, env: { home: dir }, stdin: Buffer.from(c.stdin ?? '', 'latin1'),
      stdout: (b) => { out.push(Buffer.from(b)); },
      stderr: (b) => { err.push(Buffer.from(b)); },
    });
    const status = await Promise.race([run, new Promise<string>((r) => setTimeout(() => r('timeout'), 10_000).unref())]);
    return { out: Buffer.concat(out).toString('latin1'), ok: status === '', tree: await ourTree(sys, dir), err: Buffer.concat(err).toString('utf8') };
  } finally { await node.kernel.shutdown(); }
}

/** The reference's side: a fresh host temp dir with the same files and times, LC_ALL=C. */
export function runReference(c: Case, ref: Ref): Promise<Outcome> {
  const bin = referenceBinary(ref, c.argv[0]!);
  if ('missing' in bin) return Promise.reject(new Error(bin.missing));
  const dir = mkdtempSync(join(tmpdir(), `bbdiff-${c.id}-`));
  const list = entries(c);
  for (const [name, data] of list) {
    if (name.endsWith('/')) mkdirSync(join(dir, name), { recursive: true });
    else writeFileSync(join(dir, name), Buffer.from(data, 'latin1'));
  }
  for (const [name, mode] of Object.entries(c.modes ?? {})) chmodSync(join(dir, name), mode);
  for (const [i, [name]] of list.entries()) utimesSync(join(dir, name), MTIME_BASE + 60 * i, MTIME_BASE + 60 * i);
  return new Promise((resolve) => {
    const child = execFile(bin.path, [...bin.argv0, ...c.argv.slice(1)], {
      cwd: dir, encoding: 'buffer', timeout: 10_000,
      env: { LC_ALL: 'C', TZ: 'UTC', PATH: '/usr/bin:/bin', HOME: dir },
    }, (e, out, err) => {
      const tree = hostTree(dir);
      rmSync(dir, { recursive: true, force: true });
      resolve({ out: out.toString('latin1'), ok: e === null, tree, err: err.toString('utf8') });
    });
    child.stdin?.on('error', () => { /* the reference did not read it all */ });
    child.stdin?.end(Buffer.from(c.stdin ?? '', 'latin1'));
  });
}
