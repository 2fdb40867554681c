// ns [pid]: a namespace as the bind and mount lines that rebuild it (Plan 9's ns(1)).
// Without a pid, the caller's own (which a shell's commands share); with one, /proc/PID/ns.

import { UsageError, parseFlags } from '../flags.ts';
import { command } from '../io.ts';

export const ns = command('ns', '[pid]', async (c) => {
  const f = parseFlags(c.sys.args, {});
  if (f.args.length > 1) throw new UsageError();
  const pid = f.args[0];
  if (pid === undefined) { await c.out.text(c.sys.nsText()); return; }
  if (!/^[0-9]+$/.test(pid)) throw new UsageError();
  try { await c.out.text((await c.sys.readFile(`/proc/${pid}/ns`)).toString('utf8')); } catch (e) {
    await c.fail(`/proc/${pid}/ns`, e);
  }
});
