// mount [-abc] src old [spec]: Plan 9's mount(1). src is a device (#s), a channel posted in
// /srv (/srv/name), or a 9P dial string (tcp!host!port, unix!/path, ws://host:port/path).

import { UsageError, parseFlags } from '../flags.ts';
import { command } from '../io.ts';
import { mountFlags } from './bind.ts';

export const mount = command('mount', '[-abc] src old [spec]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'abcnq' });
  if (f.args.length < 2 || f.args.length > 3) throw new UsageError();
  const [src, old, spec] = f.args as [string, string, string | undefined];
  try { await c.sys.mount(src, old, mountFlags(f), spec ?? ''); } catch (e) {
    if (!f.has('q')) await c.warn(`${src} ${old}: ${(e as Error).message}`);
    return (e as Error).message;
  }
});
