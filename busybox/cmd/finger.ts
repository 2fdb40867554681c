// finger [user ...]: who is on the node. Without users, one line per open session (login,
// session, idle, when, from); with users, each one's sessions and plan file
// ($home/lib/plan for yourself, /usr/USER/lib/plan for others).

import { command } from '../io.ts';
import { parseFlags } from '../flags.ts';
import { parseWho, readAdm, span, when } from '../adm.ts';
import type { LiveSession } from '../adm.ts';

function idle(s: LiveSession): string { return s.idle === undefined ? '-' : s.idle < 60 ? '' : span(s.idle); }

export const finger = command('finger', '[user ...]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'ls' });
  let live: LiveSession[];
  try { live = parseWho(await readAdm(c.sys, 'who')); } catch (e) { await c.fail('/adm/who', e); return; }
  if (f.args.length === 0) {
    await c.out.text(`${'Login'.padEnd(9)}${'Session'.padEnd(13)}${'Idle'.padEnd(9)}${'When'.padEnd(17)}From\n`);
    for (const s of live) await c.out.text(`${s.user.padEnd(9)}${s.session.padEnd(13)}${idle(s).padEnd(9)}${when(s.start).padEnd(17)}${s.from}\n`);
    return;
  }
  const me = (await c.sys.readFile('/dev/user').catch(() => Buffer.from(''))).toString().trim();
  let status = '';
  for (const user of f.args) {
    const mine = live.filter((s) => s.user === user);
    await c.out.text(`Login: ${user}\n`);
    if (mine.length === 0) await c.out.text('Not logged in.\n');
    for (const s of mine) await c.out.text(`On since ${when(s.start)} (UTC) on ${s.session} from ${s.from}${s.idle !== undefined && s.idle >= 60 ? `, idle ${span(s.idle)}` : ''}\n`);
    const home = user === me ? (await c.sys.readFile('/env/home').catch(() => Buffer.from(''))).toString().split('\0')[0] : `/usr/${user}`;
    const plan = home ? await c.sys.readFile(`${home.replace(/\/+$/, '')}/lib/plan`).catch(() => undefined) : undefined;
    await c.out.text(plan ? `Plan:\n${plan.toString('utf8')}${plan.length && plan[plan.length - 1] !== 0x0a ? '\n' : ''}` : 'No Plan.\n');
    if (mine.length === 0 && user !== me) status = 'not logged in';
  }
  return status;
});
