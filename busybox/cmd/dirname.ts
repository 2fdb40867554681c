// dirname [-z] name ...: each name without its last element, as GNU dirname prints it:
// trailing slashes go first, then the last element and the slashes before it; nothing left
// is '.', and a rooted name keeps its '/'. Several names are allowed (GNU); -z ends each
// result with a NUL instead of a newline. Plan 9 has no dirname (basename -d does this).

import { parseFlags, UsageError } from '../flags.ts';
import { command } from '../io.ts';

export function dirname(p: string): string {
  // The start of the last element: past leading slashes, then after the last slash run.
  let base = 0;
  while (p[base] === '/') base++;
  let sawSlash = false;
  for (let i = base; i < p.length; i++) {
    if (p[i] === '/') sawSlash = true;
    else if (sawSlash) { base = i; sawSlash = false; }
  }
  const root = p.startsWith('/') ? 1 : 0;
  let len = base;
  while (len > root && p[len - 1] === '/') len--;
  return len === 0 ? '.' : p.slice(0, len);
}

export const dirnameCmd = command('dirname', '[-z] name ...', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'z' });
  if (f.args.length === 0) throw new UsageError();
  const end = f.has('z') ? '\0' : '\n';
  for (const name of f.args) await c.out.text(dirname(name) + end);
});
