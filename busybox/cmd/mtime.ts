// mtime file ...: Plan 9's mtime: each file's modification time in seconds since the epoch,
// `%11d name` (right-aligned in 11 columns), for scripts to compare. A file that cannot be
// stat'ed is reported and the rest are still printed.

import { parseFlags } from '../flags.ts';
import { command } from '../io.ts';

export const mtime = command('mtime', '[file ...]', async (c) => {
  // As Plan 9's: no files is no output, not a usage error.
  const { args } = parseFlags(c.sys.args, {});
  for (const path of args) {
    try {
      const d = await c.sys.stat(path);
      await c.out.text(`${String(d.mtime).padStart(11)} ${path}\n`);
    } catch (e) { await c.fail(path, e); }
  }
});
