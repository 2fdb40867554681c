// chmod [-R] mode file ...: change permissions with a wstat of the mode. mode is octal (the
// nine permission bits; the rest of the mode stays) or symbolic: comma-separated clauses
// [ugoa]*[+-=][rwxXalt]*, as Plan 9 and GNU write them. No who means all three (there is
// no umask). r w x X act on the chosen classes; a l t are Plan 9's append-only, exclusive
// and temporary bits and ignore who. '=' replaces the rwx bits of its classes. -R (GNU)
// changes directories' contents too. A mode such as -w is a mode, not a flag.

import { DMAPPEND, DMDIR, DMEXCL, DMTMP } from '../../fs/9p/constants.ts';
import { parseFlags, UsageError } from '../flags.ts';
import type { Cmd } from '../io.ts';
import { command } from '../io.ts';
import { join } from './copytree.ts';

/** A new mode from the old one and whether the file is a directory. */
export type ModeChange = (old: number, isDir: boolean) => number;

const CLAUSE = /^([ugoa]*)((?:[-+=][rwxXalt]*)+)$/;
const WHO: Record<string, number> = { u: 0o700, g: 0o070, o: 0o007, a: 0o777 };
const PERM: Record<string, number> = { r: 0o444, w: 0o222, x: 0o111 };
const SPECIAL: Record<string, number> = { a: DMAPPEND, l: DMEXCL, t: DMTMP };

/** Parse a mode argument; undefined when it is not one. */
export function parseMode(spec: string): ModeChange | undefined {
  if (/^[0-7]{1,4}$/.test(spec)) {
    const n = parseInt(spec, 8) & 0o777;
    return (old) => ((old & ~0o777) | n) >>> 0;
  }
  const clauses: Array<{ who: number; ops: Array<[string, string]> }> = [];
  for (const cl of spec.split(',')) {
    const m = CLAUSE.exec(cl);
    if (!m) return undefined;
    let who = 0;
    for (const w of m[1]!) who |= WHO[w]!;
    const ops = [...m[2]!.matchAll(/([-+=])([rwxXalt]*)/g)].map((o): [string, string] => [o[1]!, o[2]!]);
    clauses.push({ who: who || 0o777, ops });
  }
  return (old, isDir) => {
    let mode = old;
    for (const { who, ops } of clauses) {
      for (const [op, perms] of ops) {
        let bits = 0, special = 0;
        for (const p of perms) {
          if (p === 'X') { if (isDir || mode & 0o111) bits |= 0o111; } else if (p in PERM) bits |= PERM[p]!;
          else special |= SPECIAL[p]!;
        }
        bits &= who;
        if (op === '+') mode |= bits | special;
        else if (op === '-') mode &= ~(bits | special);
        else mode = (mode & ~who) | bits | special;
      }
    }
    return mode >>> 0;
  };
}

async function change(c: Cmd, path: string, ch: ModeChange, recursive: boolean): Promise<void> {
  try {
    const d = await c.sys.stat(path);
    const isDir = (d.mode & DMDIR) !== 0;
    const mode = ch(d.mode, isDir);
    if (mode !== d.mode) await c.sys.wstat(path, { mode });
    if (recursive && isDir) {
      for (const e of await c.sys.dirread(path)) await change(c, join(path, e.name), ch, true);
    }
  } catch (e) { await c.fail(path, e); }
}

export const chmod = command('chmod', '[-R] mode file ...', async (c) => {
  // A leading mode like -w would read as flags: take it out before parsing them.
  const argv = [...c.sys.args];
  const at = argv[1] === '-R' ? 2 : 1;
  let dashMode: string | undefined;
  if (argv[at]?.startsWith('-') && argv[at] !== '--' && parseMode(argv[at]!)) dashMode = argv.splice(at, 1)[0];
  const f = parseFlags(argv, { bools: 'R' });
  const args = dashMode === undefined ? f.args : [dashMode, ...f.args];
  if (args.length < 2) throw new UsageError();
  const ch = parseMode(args[0]!);
  if (!ch) throw new UsageError(`bad mode ${args[0]}`);
  for (const path of args.slice(1)) await change(c, path, ch, f.has('R'));
});
