// uptime [-n]: how long the node has run, from /dev/time (its third word is the ticks since
// boot, the fourth the ticks per second):
//
//   00:46:00 up 2 days, 03:04
//
// the time now (local, as date shows it), then days, hours and minutes up. -n prints the
// whole seconds up instead, for scripts.

import { parseFlags, UsageError } from '../flags.ts';
import { command } from '../io.ts';
import { devTime, localZone, tm } from './ctime.ts';

const two = (n: number): string => String(n).padStart(2, '0');

/** `up N days, hh:mm` for a duration in ms. */
export function upText(ms: number): string {
  const m = Math.floor(ms / 60000);
  const days = Math.floor(m / 1440);
  return `up ${days} ${days === 1 ? 'day' : 'days'}, ${two(Math.floor(m / 60) % 24)}:${two(m % 60)}`;
}

export const uptime = command('uptime', '[-n]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'n' });
  if (f.args.length) throw new UsageError();
  const { now, up } = await devTime(c.sys);
  if (f.has('n')) { await c.out.text(`${Math.floor(up / 1000)}\n`); return; }
  const t = tm(now, await localZone(c.sys));
  await c.out.text(`${two(t.hour)}:${two(t.min)}:${two(t.sec)} ${upText(up)}\n`);
});
