// read [-m] [-n nlines] [file ...]: copy one line (-n: up to nlines lines, -m: every line)
// from standard input, or from each file, to standard output. Input is read a byte at a
// time, so nothing past the line is consumed and the rest is left for the next reader:
// rc's `x=`{read}` takes one line of a shared input. Status 'eof' when a line was wanted
// and the input had ended, as Plan 9's read.

import { OREAD } from '../../fs/9p/constants.ts';
import { parseFlags, UsageError } from '../flags.ts';
import { command } from '../io.ts';
import type { Cmd } from '../io.ts';

/** Copy one line; false at end of input with nothing read. */
async function line(c: Cmd, fd: number): Promise<boolean> {
  const bytes: number[] = [];
  for (;;) {
    const d = await c.sys.read(fd, 1);
    if (d.length === 0) break;
    bytes.push(d[0]!);
    if (d[0] === 10) break;
  }
  if (bytes.length === 0) return false;
  await c.sys.write(1, Uint8Array.from(bytes));
  return true;
}

export const read = command('read', '[-m] [-n nlines] [file ...]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'm', values: 'n' });
  const n = f.has('n') ? Number(f.value('n')) : 1;
  if (!Number.isInteger(n)) throw new UsageError();
  let status = '';
  const lines = async (fd: number): Promise<void> => {
    // As Plan 9's do-while: at least one line is tried, even with -n 0.
    let left = n;
    do {
      if (!(await line(c, fd))) { status = 'eof'; return; }
    } while (f.has('m') || --left > 0);
  };
  if (f.args.length === 0) await lines(0);
  for (const path of f.args) {
    let fd: number;
    try { fd = await c.sys.open(path, OREAD); } catch (e) {
      await c.warn(`can't open ${path}: ${(e as Error).message}`);
      return 'open';
    }
    try { await lines(fd); } finally { await c.sys.close(fd); }
  }
  return status;
});
