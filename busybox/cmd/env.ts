// env [-i] [-u name] [name=value ...] [command [arg ...]]: with no command, print the
// environment, one NAME=value a line sorted by name (rc stores a list as NUL-separated
// words; they are shown separated by blanks). With a command, run it in a copy of the
// environment (-i: an empty one) changed as asked, and exit with its status.

import { byteOrder, command } from '../io.ts';
import { parseFlags } from '../flags.ts';

/** A variable's bytes as one line: words joined by blanks, rc's terminating NUL dropped. */
export function envValue(b: string): string {
  return (b.endsWith('\0') ? b.slice(0, -1) : b).replaceAll('\0', ' ');
}

export const env = command('env', '[-i] [-u name] [name=value ...] [command [arg ...]]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'i', values: 'u' });
  const args = [...f.args];
  const sets: Array<[string, string]> = [];
  while (args.length && /^[^=]+=/.test(args[0]!)) {
    const a = args.shift()!;
    const i = a.indexOf('=');
    sets.push([a.slice(0, i), a.slice(i + 1)]);
  }
  if (f.has('i') || f.has('u') || sets.length) {
    // Our own copy of the environment, so the caller's is untouched and a child inherits it.
    await c.sys.rfork(f.has('i') ? 'E' : 'e');
    for (const name of f.values('u')) await c.sys.remove(`/env/${name}`).catch(() => {});
    for (const [k, v] of sets) await c.sys.writeFile(`/env/${k}`, v);
  }
  if (args.length) {
    await c.out.flush();
    let pid: number;
    try { pid = await c.sys.spawn(args[0]!, args); } catch (e) { await c.fail(args[0]!, e); return; }
    return c.sys.waitpid(pid);
  }
  const names = (await c.sys.dirread('/env')).map((d) => d.name).sort(byteOrder);
  for (const n of names) {
    let v: string;
    try { v = (await c.sys.readFile(`/env/${n}`)).toString('latin1'); } catch { continue; } // gone meanwhile
    await c.out.text(`${n}=`);
    await c.out.bytes(envValue(v) + '\n');
  }
});
