// tee [-ai] [file ...]: copy standard input to standard output and to each file, chunk by
// chunk as it arrives. -a appends to the files instead of truncating them; -i ignores
// interrupts (Plan 9): a note cuts short the read it arrives in, and tee reads on. A file
// that cannot be opened or written is reported and dropped; tee still copies to the rest and
// ends with an error status.

import { OWRITE } from '../../fs/9p/constants.ts';
import { Enoent } from '../../fs/9p/errors.ts';
import { parseFlags } from '../flags.ts';
import { command, errmsg, openOutput, Out } from '../io.ts';
import type { Cmd } from '../io.ts';

/** Open for appending: at the end of the file, created when missing. */
async function openAppend(c: Cmd, path: string): Promise<number> {
  let fd: number;
  try { fd = await c.sys.open(path, OWRITE); } catch (e) {
    if (errmsg(e) !== Enoent) throw e;
    return c.sys.create(path, OWRITE, 0o666);
  }
  await c.sys.seek(fd, 0, 2);
  return fd;
}

export const tee = command('tee', '[-ai] [file ...]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'ai' });
  const outs: Array<{ fd: number; path: string }> = [{ fd: 1, path: 'standard output' }];
  for (const path of f.args) {
    try { outs.push({ fd: f.has('a') ? await openAppend(c, path) : await openOutput(c.sys, path), path }); } catch (e) { await c.fail(path, e); }
  }
  try {
    for (;;) {
      let d: Uint8Array;
      try { d = await c.sys.read(0, Out.CHUNK); } catch (e) {
        if (f.has('i') && errmsg(e) === 'interrupted') continue;
        throw e;
      }
      if (d.length === 0) break;
      for (const o of [...outs]) {
        try { await c.sys.write(o.fd, d); } catch (e) {
          // Standard output gone (a closed pipe) ends tee, quietly, as SIGPIPE does.
          if (o.fd === 1) throw e;
          await c.fail(o.path, e);
          outs.splice(outs.indexOf(o), 1);
        }
      }
    }
  } finally {
    for (const o of outs) if (o.fd !== 1) await c.sys.close(o.fd).catch(() => {});
  }
});
