// echo [-n] [arg ...]: the arguments, separated by blanks, then a newline unless -n.
// As Plan 9's echo: only a first argument of exactly -n is a flag, no escapes are processed,
// and the line goes out in one write (a ctl file sees one command).

import { command } from '../io.ts';

export const echo = command('echo', '[-n] [arg ...]', async (c) => {
  let args = c.sys.args.slice(1);
  const nonl = args[0] === '-n';
  if (nonl) args = args.slice(1);
  await c.out.text(args.join(' ') + (nonl ? '' : '\n'));
});
