// wc [-lwmc] [file ...]: count lines, words, characters and bytes (no flags: lines, words,
// bytes), always in that order; characters are bytes, as in the C locale. Output is laid out as GNU wc lays it out: one count of one input is printed bare;
// otherwise every number is right-aligned to the width of the total size of the regular
// files, at least 7 wide when an input is not a regular file (a pipe, a device). Several
// files get a total line. A word is a run of printable non-blank bytes (C locale); other
// control bytes neither start nor end one.

import { DMDIR } from '../../fs/9p/constants.ts';
import { Eisdir } from '../../fs/9p/errors.ts';
import { absPath } from '../../kernel/cleanname.ts';
import type { Sys } from '../../kernel/sys.ts';
import { parseFlags } from '../flags.ts';
import { command, Out } from '../io.ts';

export interface Counts {
  lines: number;
  words: number;
  bytes: number;
}

/** A counter fed chunk by chunk (a word may span two chunks). */
export class Counter implements Counts {
  lines = 0;
  words = 0;
  bytes = 0;
  #inWord = false;

  add(d: Uint8Array): void {
    this.bytes += d.length;
    let inWord = this.#inWord;
    for (let i = 0; i < d.length; i++) {
      const b = d[i]!;
      if (b === 10) { this.lines++; inWord = false; } else if (b === 32 || (b >= 9 && b <= 13)) inWord = false;
      else if (b > 32 && b < 127 && !inWord) { inWord = true; this.words++; }
    }
    this.#inWord = inWord;
  }
}

/** Whether a file counts as regular for the width rule: not a directory, pipe or device. */
async function regular(sys: Sys, path: string | undefined): Promise<boolean> {
  try {
    // A Dir does not say pipe or device here (type is 0 everywhere), so judge by the name:
    // pipes are '#|/data...', devices live in /dev.
    const where = path === undefined ? sys.fd2path(0) : absPath(sys.cwd, path);
    const d = path === undefined ? await sys.fstat(0) : await sys.stat(path);
    return (d.mode & DMDIR) === 0 && !where.startsWith('#') && !where.startsWith('/dev/');
  } catch { return false; }
}

export const wc = command('wc', '[-lwmc] [file ...]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'lwmc' });
  let show = { lines: f.has('l'), words: f.has('w'), chars: f.has('m'), bytes: f.has('c') };
  if (!f.has('l') && !f.has('w') && !f.has('m') && !f.has('c')) show = { lines: true, words: true, chars: false, bytes: true };
  const nshow = Number(show.lines) + Number(show.words) + Number(show.chars) + Number(show.bytes);
  const files = f.args;

  // GNU's compute_number_width, from stat before anything is read.
  let width = 1;
  if (!(nshow === 1 && files.length <= 1)) {
    // undefined is standard input, named '-' or not named at all.
    const targets: Array<string | undefined> = files.length ? files.map((p) => (p === '-' ? undefined : p)) : [undefined];
    let total = 0;
    let min = 1;
    // An input that cannot be stat'ed just adds nothing (GNU: `wc nosuch f1` still aligns f1).
    for (const t of targets) {
      let size: number;
      try { size = t === undefined ? (await c.sys.fstat(0)).length : (await c.sys.stat(t)).length; } catch { continue; }
      if (await regular(c.sys, t)) total += size; else min = 7;
    }
    width = Math.max(String(total).length, min);
  }

  const line = async (n: Counts, name: string | undefined): Promise<void> => {
    const cols: number[] = [];
    if (show.lines) cols.push(n.lines);
    if (show.words) cols.push(n.words);
    if (show.chars) cols.push(n.bytes);
    if (show.bytes) cols.push(n.bytes);
    await c.out.text(cols.map((x) => String(x).padStart(width)).join(' ') + (name === undefined ? '' : ` ${name}`) + '\n');
  };

  const sum: Counts = { lines: 0, words: 0, bytes: 0 };
  for (const path of files.length ? files : ['-']) {
    const fd = await c.open(path);
    if (fd === undefined) continue;
    try {
      const n = new Counter();
      // A directory is an error, yet gets its (zero) line, as in GNU and busybox.
      if ((await c.sys.fstat(fd)).mode & DMDIR) { await c.fail(path, Eisdir); await line(n, files.length ? path : undefined); continue; }
      for (;;) {
        const d = await c.sys.read(fd, Out.CHUNK);
        if (d.length === 0) break;
        n.add(d);
      }
      await line(n, files.length ? path : undefined);
      sum.lines += n.lines; sum.words += n.words; sum.bytes += n.bytes;
    } finally { await c.close(fd); }
  }
  if (files.length > 1) await line(sum, 'total');
});
