// man [-kw] [section ...] name ...: print manual pages, read from /sys/man/SECTION/NAME (the
// #man device). As Plan 9's man(1): sections are numbers (leading operands of digits, as long
// as a name follows), and every page the name fits is printed, in section order 1, 3, 4, 8
// (then any others): a page fits by its file name or by a name its NAME section lists, so
// `man boot` prints boot(3) and boot(8), `man [` test(1) and `man cd` rc(1). -w prints the pages'
// paths instead; -k WORD lists, as Plan 9's man -k does, every page whose NAME section
// mentions a word: `name(section) - description`. Pages are plain text, printed as they are.
//
// The page index helpers here are shared by lookman and help.

import { DMDIR } from '../../fs/9p/constants.ts';
import type { Sys } from '../../kernel/sys.ts';
import { parseFlags, UsageError } from '../flags.ts';
import { byteOrder, command, errmsg } from '../io.ts';

/** Where the manual is in every namespace. */
export const MANDIR = '/sys/man';

/** Sections in search order; any other section directory comes after these. */
export const SECTIONS: readonly string[] = ['1', '3', '4', '8'];

export interface Page {
  section: string;
  /** The file's name: what `man SECTION NAME` takes. */
  name: string;
  path: string;
}

/** A page's NAME section: the names it documents and its one-line description. */
export interface NameLine {
  names: string[];
  description: string;
}

const HEADING = /^[A-Z][A-Z0-9 ]*$/;

/** The NAME section of a page's text: `name[, name...] - description`, joined if it wraps. */
export function nameLine(text: string): NameLine | undefined {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.trimEnd() === 'NAME');
  if (at < 0) return undefined;
  const body: string[] = [];
  for (const l of lines.slice(at + 1)) {
    if (HEADING.test(l)) break;
    if (l.trim() !== '') body.push(l.trim());
  }
  const s = body.join(' ');
  const dash = s.indexOf(' - ');
  if (dash < 0) return undefined;
  const names = s.slice(0, dash).split(',').map((n) => n.trim()).filter((n) => n !== '');
  return names.length ? { names, description: s.slice(dash + 3).trim() } : undefined;
}

/** Section directories present, in search order. */
export async function sections(sys: Sys): Promise<string[]> {
  let ds;
  try { ds = await sys.dirread(MANDIR); } catch (e) { throw new Error(`${MANDIR}: ${errmsg(e)}`); }
  const have = ds.filter((d) => d.mode & DMDIR).map((d) => d.name);
  const rank = (s: string): number => { const i = SECTIONS.indexOf(s); return i < 0 ? SECTIONS.length : i; };
  return have.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true }));
}

/** Every page of the given sections (default: all), in section order, then by name. */
export async function pages(sys: Sys, secs?: string[]): Promise<Page[]> {
  const out: Page[] = [];
  for (const section of secs ?? await sections(sys)) {
    let ds;
    try { ds = await sys.dirread(`${MANDIR}/${section}`); } catch { continue; }
    for (const d of ds.filter((x) => !(x.mode & DMDIR)).sort((a, b) => byteOrder(a.name, b.name))) {
      out.push({ section, name: d.name, path: `${MANDIR}/${section}/${d.name}` });
    }
  }
  return out;
}

/** A page's text ('' if it cannot be read: it went away, or is not a page). */
export async function pageText(sys: Sys, p: Page): Promise<string> {
  try { return (await sys.readFile(p.path)).toString('utf8'); } catch { return ''; }
}

/** Every page name fits in the given sections (Plan 9's INDEX lookup): by file name or by a NAME-section name, in section order, each once. */
export async function findPages(sys: Sys, secs: string[], name: string): Promise<Page[]> {
  if (name === '' || name === '.' || name === '..' || name.includes('/')) return [];
  const out: Page[] = [];
  for (const p of await pages(sys, secs)) {
    if (p.name === name || nameLine(await pageText(sys, p))?.names.includes(name)) out.push(p);
  }
  return out;
}

export const man = command('man', '[-kw] [section ...] name ...', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'kw' });
  const args = [...f.args];
  if (args.length === 0) throw new UsageError();
  const all = await sections(c.sys);

  if (f.has('k')) {
    const words = args.map((w) => w.toLowerCase());
    let found = false;
    for (const p of await pages(c.sys, all)) {
      const n = nameLine(await pageText(c.sys, p));
      if (!n) continue;
      const hay = `${n.names.join(', ')} - ${n.description}`.toLowerCase();
      if (!words.some((w) => hay.includes(w))) continue;
      found = true;
      await c.out.text(`${p.name}(${p.section}) - ${n.description}\n`);
    }
    if (found) return '';
    await c.warn(`nothing appropriate for ${args.join(' ')}`);
    return 'no entry';
  }

  // Leading numbers are sections, as long as a name follows; one this manual lacks has no pages.
  const secs: string[] = [];
  while (args.length > 1 && /^\d+$/.test(args[0]!)) secs.push(args.shift()!);
  const search = secs.length ? [...new Set(secs)].filter((s) => all.includes(s)) : all;
  let status = '';
  for (const name of args) {
    const ps = await findPages(c.sys, search, name);
    if (ps.length === 0) {
      await c.warn(`no entry for ${name}${secs.length ? ` in section ${secs.join(' ')}` : ''}`);
      status = 'no entry';
      continue;
    }
    for (const p of ps) {
      if (f.has('w')) { await c.out.text(p.path + '\n'); continue; }
      try { await c.out.raw(await c.sys.readFile(p.path)); } catch (e) { await c.fail(p.path, e); }
    }
  }
  return status;
});
