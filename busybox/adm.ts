// Reading the node's login records (/adm/wtmp, /adm/who; see kernel/logins.ts) for last,
// finger and who.

import type { Sys } from '../kernel/sys.ts';

export interface LoginRecord {
  session: string;
  user: string;
  from: string;
  /** Unix seconds. */
  start: number;
  /** Unix seconds, or undefined while the session is open. */
  end: number | undefined;
}

export interface LiveSession { session: string; user: string; start: number; from: string; idle: number | undefined }

/** Sessions from /adm/wtmp, oldest first, logouts matched to their logins. */
export function parseWtmp(text: string): LoginRecord[] {
  const out: LoginRecord[] = [];
  const open = new Map<string, LoginRecord>();
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f[0] === 'login' && f.length >= 5) {
      const r: LoginRecord = { session: f[1]!, user: f[2]!, start: Number(f[3]), from: f[4]!, end: undefined };
      out.push(r);
      open.set(r.session, r);
    } else if (f[0] === 'logout' && f.length >= 4) {
      const r = open.get(f[1]!);
      if (r) { r.end = Number(f[3]); open.delete(f[1]!); }
    }
  }
  return out;
}

export function parseWho(text: string): LiveSession[] {
  return text.split('\n').filter(Boolean).map((l) => {
    const [session, user, start, from, idle] = l.split(' ');
    return { session: session!, user: user!, start: Number(start), from: from ?? '-', idle: idle === undefined || idle === '-' ? undefined : Number(idle) };
  });
}

export async function readAdm(sys: Sys, name: 'wtmp' | 'who'): Promise<string> {
  return (await sys.readFile(`/adm/${name}`)).toString('utf8');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** `Wed Nov 25 00:50` in UTC. */
export function when(secs: number): string {
  const d = new Date(secs * 1000);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

/** A duration as h:mm, or d+hh:mm past a day. */
export function span(secs: number): string {
  const m = Math.max(0, Math.floor(secs / 60));
  const d = Math.floor(m / 1440), h = Math.floor((m % 1440) / 60), mm = m % 60;
  return d ? `${d}+${two(h)}:${two(mm)}` : `${two(h)}:${two(mm)}`;
}
