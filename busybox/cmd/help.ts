// help: the commands this node lets its shell run, one a line with the description from its
// manual page's NAME section (`name - description`), sorted. The programs are the entries of
// /bin; the role's list is the commands= line of /proc/boot (`*`: all of them). Where /proc
// is not in the namespace (kiosks, booths), the kernel's command policy decides: it is what
// spawn enforces, so help never lists a command the shell would refuse. A program with no
// page is listed by its name alone.

import { DMDIR } from '../../fs/9p/constants.ts';
import type { Sys } from '../../kernel/sys.ts';
import { UsageError } from '../flags.ts';
import { byteOrder, command } from '../io.ts';
import { nameLine, pageText, pages } from './man.ts';

/** Which programs the role allows: /proc/boot's commands= line, else the kernel's policy, else all. */
export async function allowedBy(sys: Sys): Promise<(name: string) => boolean> {
  try {
    const boot = (await sys.readFile('/proc/boot')).toString('utf8');
    const line = boot.split('\n').find((l) => l.startsWith('commands='));
    if (line !== undefined) {
      const list = line.slice('commands='.length).trim().split(/\s+/).filter((w) => w !== '');
      if (list.includes('*')) return () => true;
      const set = new Set(list);
      return (n) => set.has(n);
    }
  } catch { /* no /proc here */ }
  const policy = sys.kernel.commandPolicy;
  return policy ? (n) => policy.allows(n) : () => true;
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
  const allows = await allowedBy(c.sys);
  const progs = (await c.sys.dirread('/bin')).filter((d) => !(d.mode & DMDIR)).map((d) => d.name).filter(allows).sort(byteOrder);
  const desc = await descriptions(c.sys);
  for (const n of progs) {
    const d = desc.get(n);
    await c.out.text(d === undefined ? `${n}\n` : `${n} - ${d}\n`);
  }
});
