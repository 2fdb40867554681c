// ls [-adFlpqrst] [name ...]: list files and directory contents, one name a line (output is
// never taken for a terminal), in byte order. As GNU ls: names starting with '.' are hidden
// unless -a; file operands come first, then each directory's contents, headed `dir:` when
// there is more than one operand. -l uses Plan 9's columns:
//
//   --rw-rw-r-- M 0 glenda glenda 12 Nov 25 10:00 name
//
// -d lists directories themselves, -p marks them with /, -F also marks executables with *,
// -t sorts newest first, -r reverses, -s prefixes the size in KiB (Plan 9: no total line),
// -q the qid as Plan 9 prints it: `(path version type) `, path in 16 hex digits, version
// padded to the widest, type in 2 hex digits.

import { DMAPPEND, DMAUTH, DMDIR, DMEXCL } from '../../fs/9p/constants.ts';
import type { Dir } from '../../fs/9p/fcall.ts';
import { parseFlags } from '../flags.ts';
import { byteOrder, command } from '../io.ts';
import type { Cmd } from '../io.ts';
import type { Flags } from '../flags.ts';

interface Entry {
  /** What to print: the operand as given, or the name inside a directory. */
  name: string;
  d: Dir;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Plan 9's %M: d/a/A/- then l/- then rwx three times. */
export function modeString(m: number): string {
  let s = m & DMDIR ? 'd' : m & DMAPPEND ? 'a' : m & DMAUTH ? 'A' : '-';
  s += m & DMEXCL ? 'l' : '-';
  for (const shift of [6, 3, 0]) {
    const b = (m >>> shift) & 7;
    s += (b & 4 ? 'r' : '-') + (b & 2 ? 'w' : '-') + (b & 1 ? 'x' : '-');
  }
  return s;
}

/** Plan 9 ls's time: month, day and time if recent, else month, day and year. */
export function lsTime(secs: number, now: number): string {
  const t = new Date(secs * 1000);
  const day = String(t.getDate()).padStart(2);
  const recent = secs >= now - 180 * 24 * 60 * 60 && secs <= now + 24 * 60 * 60;
  const tail = recent
    ? `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`
    : ` ${t.getFullYear()}`;
  return `${MONTHS[t.getMonth()]} ${day} ${tail}`;
}

/** Plan 9's %.16llux: a 64-bit path in 16 lower-case hex digits. */
function qidPath(p: number): string {
  return BigInt.asUintN(64, BigInt(Math.trunc(p))).toString(16).padStart(16, '0');
}

function sortEntries(es: Entry[], f: Flags): Entry[] {
  es.sort((a, b) => (f.has('t') ? b.d.mtime - a.d.mtime : 0) || byteOrder(a.name, b.name));
  if (f.has('r')) es.reverse();
  return es;
}

async function print(c: Cmd, es: Entry[], f: Flags): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const kib = (d: Dir): string => String(Math.ceil(d.length / 1024));
  let sw = 0, qw = 0, vw = 0, uw = 0, glw = 0;
  for (const { d } of es) {
    sw = Math.max(sw, kib(d).length);
    qw = Math.max(qw, String(d.qid.version >>> 0).length);
    vw = Math.max(vw, String(d.dev).length);
    uw = Math.max(uw, d.uid.length);
    glw = Math.max(glw, d.gid.length + String(d.length).length);
  }
  for (const { name, d } of es) {
    let line = f.has('s') ? `${kib(d).padStart(sw)} ` : '';
    if (f.has('q')) line += `(${qidPath(d.qid.path)} ${String(d.qid.version >>> 0).padStart(qw)} ${(d.qid.type & 0xff).toString(16).padStart(2, '0')}) `;
    if (f.has('l')) {
      const type = d.type ? String.fromCharCode(d.type) : 'M';
      line += `${modeString(d.mode)} ${type} ${String(d.dev).padStart(vw)} ${d.uid.padEnd(uw)} ${d.gid} `
        + `${String(d.length).padStart(glw - d.gid.length)} ${lsTime(d.mtime, now)} `;
    }
    line += name;
    if (d.mode & DMDIR) { if (f.has('p') || f.has('F')) line += '/'; } else if (f.has('F') && d.mode & 0o111) line += '*';
    await c.out.text(line + '\n');
  }
}

export const ls = command('ls', '[-adFlpqrst] [name ...]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'adFlpqrst1' });
  const names = f.args.length ? f.args : ['.'];
  const files: Entry[] = [];
  const dirs: Entry[] = [];
  for (const name of names) {
    try {
      const d = await c.sys.stat(name);
      (d.mode & DMDIR && !f.has('d') ? dirs : files).push({ name, d });
    } catch (e) { await c.fail(name, e); }
  }
  await print(c, sortEntries(files, f), f);
  let first = files.length === 0;
  for (const { name } of sortEntries(dirs, f)) {
    let es: Entry[];
    try {
      es = (await c.sys.dirread(name)).filter((d) => f.has('a') || !d.name.startsWith('.')).map((d) => ({ name: d.name, d }));
    } catch (e) { await c.fail(name, e); continue; }
    if (names.length > 1) await c.out.text(`${first ? '' : '\n'}${name}:\n`);
    first = false;
    await print(c, sortEntries(es, f), f);
  }
});
