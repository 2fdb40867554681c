// last [-n N] [user ...]: the node's sessions, newest first, from /adm/wtmp: who, which
// session, from where, when, and for how long (or `still logged in`).

import { parseFlags, UsageError } from '../flags.ts';
import { command } from '../io.ts';
import { parseWtmp, readAdm, span, when } from '../adm.ts';

export const last = command('last', '[-n N] [user ...]', async (c) => {
  const f = parseFlags(c.sys.args, { values: 'n', numeric: 'n' });
  const n = f.has('n') ? Number(f.value('n')) : Infinity;
  if (!(n >= 0) || (n !== Infinity && !Number.isInteger(n))) throw new UsageError();
  let text: string;
  try { text = await readAdm(c.sys, 'wtmp'); } catch (e) { await c.fail('/adm/wtmp', e); return; }
  const users = new Set(f.args);
  const recs = parseWtmp(text).filter((r) => users.size === 0 || users.has(r.user)).reverse().slice(0, n);
  for (const r of recs) {
    const end = r.end === undefined ? 'still logged in' : `- ${when(r.end).slice(-5)}  (${span(r.end - r.start)})`;
    await c.out.text(`${r.user.padEnd(8)} ${r.session.padEnd(12)} ${r.from.padEnd(24)} ${when(r.start)}   ${end}\n`);
  }
});
