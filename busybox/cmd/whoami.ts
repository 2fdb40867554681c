// whoami: the user this process runs as, /dev/user, on a line. /dev/user answers with the
// user the console was attached as, which every process of a node shares with init.

import { parseFlags, UsageError } from '../flags.ts';
import { command } from '../io.ts';

export const whoami = command('whoami', '', async (c) => {
  const f = parseFlags(c.sys.args, {});
  if (f.args.length) throw new UsageError();
  const user = (await c.sys.readFile('/dev/user')).toString('utf8').replace(/\n$/, '');
  await c.out.text(user + '\n');
});
