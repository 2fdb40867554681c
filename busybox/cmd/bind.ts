// bind [-abc] new old: Plan 9's bind(1), through the bind syscall (it checks the capability).
//   -b  union: new before old's contents     -a  union: new after them
//   -c  creation allowed in the union (with -a or -b, or alone on a plain bind)

import { MAFTER, MBEFORE, MCREATE, MREPL } from '../../kernel/sys.ts';
import { UsageError, parseFlags } from '../flags.ts';
import { command } from '../io.ts';

/** The mount flags from -a -b -c (Plan 9 bind/mount share them). */
export function mountFlags(f: { has(l: string): boolean }): number {
  if (f.has('a') && f.has('b')) throw new UsageError();
  return (f.has('a') ? MAFTER : f.has('b') ? MBEFORE : MREPL) | (f.has('c') ? MCREATE : 0);
}

export const bind = command('bind', '[-abc] new old', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'abcq' });
  if (f.args.length !== 2) throw new UsageError();
  const [src, old] = f.args as [string, string];
  try { await c.sys.bind(src, old, mountFlags(f)); } catch (e) {
    if (!f.has('q')) await c.warn(`${src} ${old}: ${(e as Error).message}`);
    return (e as Error).message;
  }
});
