// help: the commands this node lets its shell run, one a line with the description from its
// manual page's NAME section (`name - description`), sorted. The programs are the entries of
// /bin; whether the role allows each is asked of the kernel (sys.mayRun, what spawn
// enforces), so help never lists a command the shell would refuse. A program with no page
// is listed by its name alone.

import { DMDIR } from '../../fs/9p/constants.ts';
import type { Sys } from '../../kernel/sys.ts';
import { UsageError } from '../flags.ts';
import { byteOrder, command } from '../io.ts';
import { nameLine, pageText, pages } from './man.ts';

/** Which programs the role allows: the kernel's answer, the one spawn enforces. */
export function allowedBy(sys: Sys): (name: string) => boolean {
  return (n) => sys.mayRun(n);
}

/** One-line descriptions of commands from section 1: a page's own name first, then the names its NAME section lists. */
export async function descriptions(sys: Sys): Promise<Map<string, string>> {
  const own = new Map<string, string>();
  const listed = new Map<string, string>();
  let ps;
  try { ps = await pages(sys, ['1']); } catch { return own; } // no manual: names alone
  for (const p of ps) {
    const n = nameLine(await pageText(sys, p));
    if (!n) continue;
    own.set(p.name, n.description);
    for (const name of n.names) if (!listed.has(name)) listed.set(name, n.description);
  }
  for (const [name, d] of listed) if (!own.has(name)) own.set(name, d);
  return own;
}

export const help = command('help', '', async (c) => {
  if (c.sys.args.length > 1) throw new UsageError();
  const allows = allowedBy(c.sys);
  const progs = (await c.sys.dirread('/bin')).filter((d) => !(d.mode & DMDIR)).map((d) => d.name).filter(allows).sort(byteOrder);
  const desc = await descriptions(c.sys);
  for (const n of progs) {
    const d = desc.get(n);
    await c.out.text(d === undefined ? `${n}\n` : `${n} - ${d}\n`);
  }
});
