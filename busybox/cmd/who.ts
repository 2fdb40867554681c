// who [file]: the sessions open on the node, one a line:
//
//   glenda     console      Nov 25 00:46     .  (tty)
//
// user, session, when it began, idle time (. under a minute, hh:mm, old past a day, - when
// the session cannot tell) and where it came from. The records are the kernel's /adm/who
// (or the file given), lines of `SESSION USER SECONDS FROM IDLE`. A namespace without
// /adm/who still has one session, the console's: it is shown from /dev/user, as begun at boot.

import { Enoent } from '../../fs/9p/errors.ts';
import { parseFlags, UsageError } from '../flags.ts';
import { command, errmsg } from '../io.ts';
import { devTime, localZone, shortTime, tm } from './ctime.ts';

export const WHO = '/adm/who';

export interface WhoRecord {
  session: string;
  user: string;
  /** Unix seconds. */
  start: number;
  from: string;
  /** Seconds idle, or undefined when unknown. */
  idle: number | undefined;
}

/** One /adm/who line; undefined when it is not one. */
export function parseWho(line: string): WhoRecord | undefined {
  const w = line.trim().split(/\s+/);
  if (w.length < 3 || !/^[0-9]+$/.test(w[2]!)) return undefined;
  const idle = w[4] !== undefined && /^[0-9]+$/.test(w[4]) ? Number(w[4]) : undefined;
  return { session: w[0]!, user: w[1]!, start: Number(w[2]), from: w[3] ?? '-', idle };
}

function idleText(s: number | undefined): string {
  if (s === undefined) return '-';
  if (s < 60) return '.';
  if (s >= 86400) return 'old';
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}`;
}

export const who = command('who', '[file]', async (c) => {
  const f = parseFlags(c.sys.args, {});
  if (f.args.length > 1) throw new UsageError();
  const file = f.args[0] ?? WHO;
  let records: WhoRecord[];
  try {
    const text = (await c.sys.readFile(file)).toString('utf8');
    records = [];
    for (const l of text.split('\n')) {
      if (l.trim() === '' || l.startsWith('#')) continue;
      const r = parseWho(l);
      if (r) records.push(r); else await c.warn(`${file}: bad record '${l}'`);
    }
  } catch (e) {
    if (f.args.length || errmsg(e) !== Enoent) throw new Error(`${file}: ${errmsg(e)}`);
    // No login records here: the console's session, which began when the node booted.
    const user = (await c.sys.readFile('/dev/user')).toString('utf8').trim();
    let start = Date.now();
    try { const t = await devTime(c.sys); start = t.now - t.up; } catch { /* no clock file: now will do */ }
    records = [{ session: 'console', user, start: Math.floor(start / 1000), from: 'console', idle: undefined }];
  }
  const zone = await localZone(c.sys);
  for (const r of records) {
    await c.out.text(`${r.user.padEnd(10)} ${r.session.padEnd(12)} ${shortTime(tm(r.start * 1000, zone))} ${idleText(r.idle).padStart(5)}  (${r.from})\n`);
  }
});
