// ps [-apr]: the processes of the node, one a line sorted by pid, in Plan 9's columns:
//
//   glenda            4    0:00   0:00        0K Running  ps
//
// user, pid, user and system time (m:ss), memory, state (8 wide), name. -a shows the
// argument vector (/proc/N/args) instead of the name, -p adds base and current priority
// after the times, -r (9front's) the real time since the process began, after the pid.

import { parseFlags, UsageError } from '../flags.ts';
import { command } from '../io.ts';
import { psPrefix, readProcs } from './proclist.ts';

export const ps = command('ps', '[-apr]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'apr' });
  if (f.args.length) throw new UsageError();
  const procs = await readProcs(c.sys);
  if (procs.length === 0) throw new Error('no processes; bad #p');
  const o = { pri: f.has('p'), real: f.has('r') };
  for (const p of procs) {
    let tail = p.name;
    if (f.has('a')) {
      // As Plan 9: an unreadable args file shows the name and '?', an empty one the name.
      try {
        const a = (await c.sys.readFile(`/proc/${p.pid}/args`)).toString('utf8').replace(/\n$/, '').replaceAll('\n', ' ');
        if (a !== '') tail = a;
      } catch { tail = `${p.name} ?`; }
    }
    await c.out.text(psPrefix(p, o) + tail + '\n');
  }
});
