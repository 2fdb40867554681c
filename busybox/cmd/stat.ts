// stat [-c format] file ...: print each file's Dir (stat(5)), one field a line, names right-
// aligned to the colon so the block reads as GNU stat's does; times are local, followed by
// their seconds since the epoch. -c prints a GNU-style format instead, one line per file,
// with %n %s %a %A %f %F %t %d %i %U %G %X %Y %x %y %% (see man/1/stat). A file is named by
// (%t, %d, %i): the device's letter, its instance and the qid path, as Plan 9 compares files.

import { DMDIR } from '../../fs/9p/constants.ts';
import { qidText } from '../../fs/9p/text.ts';
import type { Dir, Qid } from '../../fs/9p/fcall.ts';
import { parseFlags, UsageError } from '../flags.ts';
import { command } from '../io.ts';
import { modeString } from './ls.ts';

/** Plan 9's qid form: (path version type), as the 9P trace prints it. */
const qidString = qidText;

/** Local time as YYYY-MM-DD HH:MM:SS. */
export function timeString(secs: number): string {
  const t = new Date(secs * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())}`;
}

function fileType(d: Dir): string {
  if (d.mode & DMDIR) return 'directory';
  return d.length === 0 ? 'regular empty file' : 'regular file';
}

/** Dir.type as ls -l prints it: the device's letter ('M' for a type a server left 0). */
function typeLetter(d: Dir): string {
  return d.type ? String.fromCharCode(d.type) : 'M';
}

/** The block printed without -c. */
export function describe(path: string, d: Dir): string {
  const rows: Array<[string, string]> = [
    ['File', path],
    ['Name', d.name],
    ['Size', String(d.length)],
    ['Mode', `${modeString(d.mode)} (${(d.mode & 0o777).toString(8).padStart(4, '0')})`],
    ['Qid', qidString(d.qid)],
    ['Type', `${typeLetter(d)} Dev: ${d.dev}`],
    ['Uid', d.uid],
    ['Gid', d.gid],
    ['Muid', d.muid],
    ['Access', `${timeString(d.atime)} (${d.atime})`],
    ['Modify', `${timeString(d.mtime)} (${d.mtime})`],
  ];
  return rows.map(([k, v]) => `${k.padStart(6)}: ${v}\n`).join('');
}

/** Expand a -c format for one file. */
export function format(fmt: string, path: string, d: Dir): string {
  return fmt.replace(/%(.?)/g, (all, ch: string) => {
    switch (ch) {
      case '%': return '%';
      case 'n': return path;
      case 's': return String(d.length);
      case 'a': return (d.mode & 0o777).toString(8);
      case 'A': return modeString(d.mode);
      case 'f': return (d.mode >>> 0).toString(16);
      case 'F': return fileType(d);
      case 't': return typeLetter(d);
      case 'd': return String(d.dev);
      case 'i': return String(d.qid.path);
      case 'U': return d.uid;
      case 'G': return d.gid;
      case 'X': return String(d.atime);
      case 'Y': return String(d.mtime);
      case 'x': return timeString(d.atime);
      case 'y': return timeString(d.mtime);
      default: return all;
    }
  });
}

export const stat = command('stat', '[-c format] file ...', async (c) => {
  const f = parseFlags(c.sys.args, { values: 'c' });
  if (f.args.length === 0) throw new UsageError();
  const fmt = f.value('c');
  for (const path of f.args) {
    try {
      const d = await c.sys.stat(path);
      await c.out.text(fmt === undefined ? describe(path, d) : `${format(fmt, path, d)}\n`);
    } catch (e) { await c.fail(path, e); }
  }
});
