// unmount [new] old: undo a bind or mount (all of them at old, or only new's).

import { UsageError, parseFlags } from '../flags.ts';
import { command } from '../io.ts';

export const unmount = command('unmount', '[new] old', async (c) => {
  const f = parseFlags(c.sys.args, {});
  if (f.args.length < 1 || f.args.length > 2) throw new UsageError();
  const [a, b] = f.args as [string, string | undefined];
  try { await (b === undefined ? c.sys.unmount(undefined, a) : c.sys.unmount(a, b)); } catch (e) {
    await c.warn(`${f.args.join(' ')}: ${(e as Error).message}`);
    return (e as Error).message;
  }
});
