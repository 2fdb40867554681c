// pwd: the current directory.

import { command } from '../io.ts';
import { UsageError } from '../flags.ts';

export const pwd = command('pwd', '', async (c) => {
  if (c.sys.args.length > 1) throw new UsageError();
  await c.out.text(c.sys.proc.cwd + '\n');
});
