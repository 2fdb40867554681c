// sleep time ...: wait for the sum of the times: seconds, fractions allowed, with an optional
// s/m/h/d suffix (as GNU). A note (interrupt) ends the wait with status 'interrupted'.

import { UsageError } from '../flags.ts';
import { command, errmsg } from '../io.ts';

const UNIT: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

export const sleep = command('sleep', 'time[smhd] ...', async (c) => {
  const args = c.sys.args.slice(1);
  if (args.length === 0) throw new UsageError();
  let secs = 0;
  for (const a of args) {
    const m = /^(\d+\.?\d*|\.\d+)([smhd]?)$/.exec(a);
    if (!m) { await c.warn(`invalid time interval '${a}'`); return 'usage'; }
    secs += Number(m[1]) * UNIT[m[2]!]!;
  }
  try {
    // setTimeout holds at most 2^31-1 ms: longer sleeps go in pieces.
    for (let ms = secs * 1000; ms > 0; ms -= 0x7fffffff) await c.sys.sleep(Math.min(ms, 0x7fffffff));
  } catch (e) {
    if (errmsg(e) === 'interrupted') return 'interrupted';
    throw e;
  }
});
