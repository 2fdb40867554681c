// date [-itnu] [seconds]: the time now, or the time given in seconds since the epoch, in
// Plan 9's ctime layout (`Wed Nov 25 00:46:00 EST 2026`). -n prints the seconds instead,
// -u the time in GMT; -i (ISO 8601 date) and -t (ISO 8601 date, time and offset) are
// 9front's. Local times are in $TZ's zone when the environment names one, else the host's.

import { parseFlags, UsageError } from '../flags.ts';
import { command } from '../io.ts';
import { asctime, devTime, isoDate, isoTime, localZone, tm } from './ctime.ts';

export const date = command('date', '[-itnu] [seconds]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'itnu' });
  if (f.args.length > 1) throw new UsageError();
  let ms: number;
  const arg = f.args[0];
  if (arg !== undefined) {
    if (!/^-?[0-9]+$/.test(arg)) { await c.warn(`bad time '${arg}': want seconds since the epoch`); return 'usage'; }
    ms = Number(arg) * 1000;
    if (!(Math.abs(ms) <= 8.64e15)) { await c.warn(`time '${arg}' out of range`); return 'usage'; } // JS Date's limit
  } else {
    // The node's clock (/dev/time); the host's when the namespace has none.
    try { ms = (await devTime(c.sys)).now; } catch { ms = Date.now(); }
  }
  if (f.has('n')) { await c.out.text(`${Math.floor(ms / 1000)}\n`); return; }
  const t = tm(ms, f.has('u') ? 'UTC' : await localZone(c.sys));
  const s = f.has('t') ? isoTime(t) : f.has('i') ? isoDate(t) : asctime(t);
  await c.out.text(s + '\n');
});
