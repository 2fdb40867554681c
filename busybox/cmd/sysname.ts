// sysname: the node's name, /dev/sysname, on a line (what `cat /dev/sysname; echo` prints).

import { parseFlags, UsageError } from '../flags.ts';
import { command } from '../io.ts';

export const sysname = command('sysname', '', async (c) => {
  const f = parseFlags(c.sys.args, {});
  if (f.args.length) throw new UsageError();
  const name = (await c.sys.readFile('/dev/sysname')).toString('utf8').replace(/\n$/, '');
  await c.out.text(name + '\n');
});
