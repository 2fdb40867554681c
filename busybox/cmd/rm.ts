// rm [-rf] file ...: remove files. A directory needs -r (then its contents go first), as
// GNU rm; -f says nothing about files that do not exist and does not fail for them.

import { DMDIR } from '../../fs/9p/constants.ts';
import { Eisdir, Enoent } from '../../fs/9p/errors.ts';
import { parseFlags, UsageError } from '../flags.ts';
import { command, errmsg } from '../io.ts';
import type { Cmd } from '../io.ts';

async function removeTree(c: Cmd, path: string): Promise<void> {
  for (const d of await c.sys.dirread(path)) {
    const p = `${path}/${d.name}`;
    try {
      if (d.mode & DMDIR) await removeTree(c, p); else await c.sys.remove(p);
    } catch (e) { await c.fail(p, e); }
  }
  await c.sys.remove(path);
}

export const rm = command('rm', '[-rf] file ...', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'rRf' });
  const recursive = f.has('r') || f.has('R');
  if (f.args.length === 0) {
    if (f.has('f')) return;
    throw new UsageError();
  }
  for (const path of f.args) {
    try {
      const d = await c.sys.stat(path);
      if (d.mode & DMDIR) {
        if (!recursive) throw new Error(Eisdir);
        await removeTree(c, path.replace(/(.)\/+$/, '$1'));
      } else await c.sys.remove(path);
    } catch (e) {
      if (f.has('f') && errmsg(e) === Enoent) continue;
      await c.fail(path, e);
    }
  }
});
