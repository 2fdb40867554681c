// Run one rc-diff case under our rc (in a fresh node) or under 9base's rc (on the host),
// the way tests/rc-diff/gen.sh recorded it.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boot } from '../../kernel/boot.ts';
import { runCollected } from '../../bin/hostio.ts';
import { userland } from '../../bin/userland.ts';
import { rcMain } from '../../rc/main.ts';

export const CASES = join(import.meta.dirname, 'cases');
export const PLAN9_RC = '/usr/lib/plan9/bin/rc';

export interface Outcome { out: string; err: string; status: string }

/** Our rc: the script in a fresh directory of a fresh node's /tmp, run as `rc ./NAME.rc`. */
export async function runOurs(name: string, script: string): Promise<Outcome> {
  const node = await boot({ role: 'QueenPrimary', programs: userland() });
  try {
    const dir = `/tmp/rcdiff-${name}`;
    await node.sys.mkdir(dir);
    await node.sys.writeFile(`${dir}/${name}.rc`, script);
    const run = runCollected(node, rcMain, ['rc', `./${name}.rc`], { cwd: dir, env: { home: dir } });
    const r = await Promise.race([run, new Promise<Outcome>((res) => setTimeout(() => res({ out: '', err: 'timeout', status: 'timeout' }), 10_000).unref())]);
    return { out: r.out.replaceAll(dir, '@TMP@'), err: r.err.replaceAll(dir, '@TMP@'), status: r.status };
  } finally { await node.kernel.shutdown(); }
}

/** 9base's rc on the host, as gen.sh runs it. */
export function runPlan9(name: string, script: string): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'rcdiff.'));
  writeFileSync(join(dir, `${name}.rc`), script);
  return new Promise((resolve) => {
    const child = execFile('timeout', ['10', PLAN9_RC, `./${name}.rc`], {
      cwd: dir, env: { PATH: '/usr/bin:/bin:/usr/lib/plan9/bin', HOME: dir, LC_ALL: 'C', TZ: 'UTC' }, encoding: 'utf8',
    }, (e, out, err) => {
      rmSync(dir, { recursive: true, force: true });
      const code = e ? (typeof e.code === 'number' ? e.code : 1) : 0;
      resolve({ out: out.replaceAll(dir, '@TMP@'), err: err.replaceAll(dir, '@TMP@'), status: String(code) });
    });
    child.stdin?.end();
  });
}

export function recorded(name: string): Outcome {
  const f = (ext: string): string => readFileSync(join(CASES, `${name}.${ext}`), 'utf8');
  return { out: f('out'), err: f('err'), status: f('status').trim() };
}

export function have9base(): boolean { return existsSync(PLAN9_RC); }
