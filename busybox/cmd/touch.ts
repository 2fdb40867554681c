// touch [-c] file ...: create each file that is missing (-c: do not), and set the
// modification time of the others to now.

import { Enoent } from '../../fs/9p/errors.ts';
import { OREAD } from '../../fs/9p/constants.ts';
import { parseFlags, UsageError } from '../flags.ts';
import { command, errmsg } from '../io.ts';

export const touch = command('touch', '[-c] file ...', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'c' });
  if (f.args.length === 0) throw new UsageError();
  for (const path of f.args) {
    try {
      let exists = true;
      try { await c.sys.stat(path); } catch (e) {
        if (errmsg(e) !== Enoent) throw e;
        exists = false;
      }
      const now = Math.floor(Date.now() / 1000);
      if (exists) await c.sys.wstat(path, { mtime: now });
      else if (!f.has('c')) await c.sys.close(await c.sys.create(path, OREAD, 0o666));
    } catch (e) { await c.fail(path, e); }
  }
});
