// cut -b list | -c list | -f list [-d delim] [-s] [file ...]: print the selected bytes,
// characters or fields of each line. A list is numbers and ranges separated by commas:
// 1,3-5,7- and -3 (from the first). Selected parts come out in input order, each once.
// Characters are bytes (C locale), as GNU cut counts them. Fields are separated by the
// delimiter (default tab); a line without one is printed whole unless -s. Every output line
// ends with a newline, even when its input line had none.

import { parseFlags, UsageError } from '../flags.ts';
import { bytestr, command } from '../io.ts';

/** A selection: inclusive 1-based ranges, hi Infinity for open ones. */
export type Ranges = Array<[number, number]>;

export function parseList(list: string): Ranges {
  const out: Ranges = [];
  for (const part of list.split(/[,\s]/)) {
    const m = /^(\d*)(-?)(\d*)$/.exec(part);
    if (!m || (m[1] === '' && m[3] === '')) throw new UsageError(`invalid list ${list}`);
    const lo = m[1] === '' ? 1 : Number(m[1]);
    const hi = m[2] === '' ? lo : m[3] === '' ? Infinity : Number(m[3]);
    if (lo === 0 || hi === 0) throw new UsageError('fields and positions are numbered from 1');
    if (hi < lo) throw new UsageError('invalid decreasing range');
    out.push([lo, hi]);
  }
  return out;
}

const selected = (r: Ranges, i: number): boolean => r.some(([lo, hi]) => i >= lo && i <= hi);

export const cut = command('cut', '-b list | -c list | -f list [-d delim] [-s] [file ...]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'sn', values: 'bcfd' });
  const modes = ['b', 'c', 'f'].filter((m) => f.has(m));
  if (modes.length !== 1) throw new UsageError('one of -b, -c or -f');
  const mode = modes[0]!;
  const ranges = parseList(f.value(mode)!);
  if (mode !== 'f' && (f.has('d') || f.has('s'))) throw new UsageError('-d and -s go with -f');
  const delim = f.has('d') ? bytestr(f.value('d')!) : '\t';
  if (delim.length !== 1) throw new UsageError('the delimiter must be a single character');

  await c.eachLine(f.args, (l) => {
    if (mode !== 'f') {
      let s = '';
      for (let i = 0; i < l.text.length; i++) if (selected(ranges, i + 1)) s += l.text[i];
      return c.out.bytes(s + '\n');
    }
    if (!l.text.includes(delim)) return f.has('s') ? undefined : c.out.bytes(l.text + '\n');
    const fields = l.text.split(delim);
    return c.out.bytes(fields.filter((_, i) => selected(ranges, i + 1)).join(delim) + '\n');
  });
});
