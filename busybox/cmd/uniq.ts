// uniq [-cdiu] [input [output]]: collapse runs of equal adjacent lines into one. -c puts the
// run's length before each line (GNU's %7d), -d prints only repeated lines, -u only lines
// that are not, -i compares ignoring ASCII case.

import { parseFlags, UsageError } from '../flags.ts';
import { command, openOutput, Out } from '../io.ts';

export const uniq = command('uniq', '[-cdiu] [input [output]]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'cdiu' });
  if (f.args.length > 2) throw new UsageError();
  const [input, output] = f.args;
  const fd = output === undefined ? 1 : await openOutput(c.sys, output);
  const out = fd === 1 ? c.out : new Out(c.sys, fd);
  const key = f.has('i') ? (s: string): string => s.replace(/[a-z]+/g, (m) => m.toUpperCase()) : (s: string): string => s;

  let run: string | undefined;
  let runKey = '';
  let n = 0;
  const emit = async (): Promise<void> => {
    if (run === undefined) return;
    if ((f.has('d') && n < 2) || (f.has('u') && n > 1)) return;
    await out.bytes((f.has('c') ? `${String(n).padStart(7)} ` : '') + run + '\n');
  };
  for await (const l of c.lines(input === undefined ? [] : [input])) {
    const k = key(l.text);
    if (run !== undefined && k === runKey) { n++; continue; }
    await emit();
    run = l.text;
    runKey = k;
    n = 1;
  }
  await emit();
  await out.flush();
  if (fd !== 1) await c.sys.close(fd);
});
