// Plan 9's ctime(2) layout for date, who and uptime: `Wed Nov 25 00:46:00 EST 2026` (the day
// of the month blank-padded, the rest zero-padded). A time is shown in a zone: 'UTC' (what
// gmtime gives, named GMT as Plan 9 names it), the host's, or an IANA name ($TZ), with
// the wall clock and the zone's abbreviation taken from Intl.

import type { Sys } from '../../kernel/sys.ts';

export const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A time broken down in a zone (Plan 9's Tm). */
export interface Tm {
  year: number;
  /** 0-11 */
  mon: number;
  mday: number;
  /** 0 is Sunday. */
  wday: number;
  hour: number;
  min: number;
  sec: number;
  zone: string;
  /** Seconds east of UTC. */
  tzoff: number;
}

/** Break ms down in zone: 'UTC', undefined (the host's zone) or an IANA name. */
export function tm(ms: number, zone?: string): Tm {
  if (zone === 'UTC') {
    const d = new Date(ms);
    return { year: d.getUTCFullYear(), mon: d.getUTCMonth(), mday: d.getUTCDate(), wday: d.getUTCDay(), hour: d.getUTCHours(), min: d.getUTCMinutes(), sec: d.getUTCSeconds(), zone: 'GMT', tzoff: 0 };
  }
  const parts = new Intl.DateTimeFormat('en-US', {
    ...(zone ? { timeZone: zone } : {}), hourCycle: 'h23', timeZoneName: 'short',
    year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(new Date(ms));
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  const n = (t: string): number => Number(get(t));
  const year = n('year'), mon = n('month') - 1, mday = n('day'), hour = n('hour') % 24, min = n('minute'), sec = n('second');
  const wall = Date.UTC(year, mon, mday, hour, min, sec);
  return { year, mon, mday, wday: new Date(wall).getUTCDay(), hour, min, sec, zone: get('timeZoneName'), tzoff: Math.round((wall - Math.floor(ms / 1000) * 1000) / 1000) };
}

const two = (n: number): string => String(n).padStart(2, '0');

/** `Wed Nov 25 00:46:00 EST 2026` */
export function asctime(t: Tm): string {
  return `${DAYS[t.wday]} ${MONTHS[t.mon]} ${String(t.mday).padStart(2)} ${two(t.hour)}:${two(t.min)}:${two(t.sec)} ${t.zone} ${t.year}`;
}

/** `Nov 25 00:46`, as ls -l and who show a time. */
export function shortTime(t: Tm): string {
  return `${MONTHS[t.mon]} ${String(t.mday).padStart(2)} ${two(t.hour)}:${two(t.min)}`;
}

/** ISO 8601: the date, or the date and time with the zone's offset (9front's date -i, -t). */
export function isoDate(t: Tm): string {
  return `${String(t.year).padStart(4, '0')}-${two(t.mon + 1)}-${two(t.mday)}`;
}
export function isoTime(t: Tm): string {
  const off = Math.abs(t.tzoff);
  const z = `${t.tzoff < 0 ? '-' : '+'}${two(Math.floor(off / 3600))}:${two(Math.floor(off / 60) % 60)}`;
  return `${isoDate(t)}T${two(t.hour)}:${two(t.min)}:${two(t.sec)}${z}`;
}

/**
 * The zone a command shows local times in: $TZ of the node's environment when it names a zone
 * Intl knows, else the host's. (Plan 9 reads /env/timezone, a table of its own format.)
 */
export async function localZone(sys: Sys): Promise<string | undefined> {
  let tz: string;
  try { tz = (await sys.readFile('/env/TZ')).toString('utf8').replace(/\0+$/, '').split('\0')[0]!.trim(); } catch { return undefined; }
  if (tz === '') return undefined;
  try { new Intl.DateTimeFormat('en-US', { timeZone: tz }); } catch { throw new Error(`$TZ: unknown time zone '${tz}'`); }
  return tz;
}

/** /dev/time: the wall clock in ms and the time since boot in ms (Plan 9's sec nsec ticks hz). */
export async function devTime(sys: Sys): Promise<{ now: number; up: number }> {
  const words = (await sys.readFile('/dev/time')).toString('utf8').trim().split(/\s+/);
  if (words.length < 4 || words.some((x) => !/^[0-9]+$/.test(x))) throw new Error('/dev/time: bad format');
  const w = words.map((x) => BigInt(x));
  if (w[3]! === 0n) throw new Error('/dev/time: bad format');
  const now = Number(w[1]! / 1_000_000n);
  const up = Number((w[2]! * 1000n) / w[3]!);
  return { now, up };
}
