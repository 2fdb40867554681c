// fmt [-j] [-i indent] [-w width | -l width] [file ...]: fill paragraphs, Plan 9's way. Words
// are packed greedily into lines of at most width columns (default 70); a line's indent (tabs
// count to the next multiple of $tabstop, default 8) is kept, and a change of indent or a
// blank line starts a new output line. A word ending in . ! or ? gets two spaces after it
// (unless it is a short capitalised word such as Mr.). -i adds indent to every line; -j
// does not join input lines, only splits long ones. Several files are separated by a blank
// line. Columns count UTF-8 characters.

import { parseFlags, UsageError } from '../flags.ts';
import { command, LineReader } from '../io.ts';
import type { Cmd } from '../io.ts';

interface Word {
  text: string;
  /** The indent of its line; -1 for a blank line. */
  indent: number;
  /** It began its input line. */
  bol: boolean;
}

/** Characters in a UTF-8 byte string: bytes that are not continuation bytes. */
function columns(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if ((s.charCodeAt(i) & 0xc0) !== 0x80) n++;
  return n;
}

class Filler {
  readonly words: Word[] = [];
  /** The indent of the last line with words: a line of blanks keeps it. */
  #indent = 0;
  readonly tab: number;

  constructor(tab: number) { this.tab = tab; }

  addLine(line: string): void {
    let ind = 0;
    let i = 0;
    for (; i < line.length; i++) {
      if (line[i] === ' ') ind++;
      else if (line[i] === '\t') ind = ind + this.tab - ((ind + this.tab) % this.tab);
      else break;
    }
    if (i < line.length) this.#indent = ind;
    const words = line.slice(i).split(/[ \t]+/).filter((w) => w !== '');
    if (words.length === 0) { this.words.push({ text: '', indent: -1, bol: true }); return; }
    words.forEach((text, j) => this.words.push({ text, indent: this.#indent, bol: j === 0 }));
  }
}

/** Two spaces after a sentence's end, one after anything else. */
function spaceAfter(w: string): number {
  if (w.length < 2) return 1;
  if (w.length < 4 && w[0]! >= 'A' && w[0]! <= 'Z') return 1;
  return '.!?'.includes(w[w.length - 1]!) ? 2 : 1;
}

function indentText(n: number, tab: number): string {
  return n <= 0 ? '' : '\t'.repeat(Math.floor(n / tab)) + ' '.repeat(n % tab);
}

async function printWords(c: Cmd, w: Word[], opts: { extra: number; width: number; join: boolean; tab: number }): Promise<void> {
  for (let i = 0; i < w.length;) {
    if (w[i]!.indent === -1) {
      await c.out.bytes('\n');
      if (++i === w.length) break;
    }
    let col = opts.extra + w[i]!.indent;
    let line = indentText(col, opts.tab);
    for (let n = 0; ; n++) {
      line += w[i]!.text;
      col += columns(w[i]!.text);
      if (++i === w.length) break;
      if (w[i]!.indent !== w[i - 1]!.indent) break;
      const nsp = spaceAfter(w[i - 1]!.text);
      if (col + nsp + columns(w[i]!.text) > opts.extra + opts.width) break;
      if (!opts.join && n !== 0 && w[i]!.bol) break;
      line += ' '.repeat(nsp);
      col += nsp;
    }
    await c.out.bytes(line + '\n');
  }
}

export const fmt = command('fmt', '[-j] [-i indent] [-w width] [file ...]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'j', values: 'iwl' });
  const num = (v: string | undefined, d: number): number => {
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`bad number ${v}`);
    return n;
  };
  const width = num(f.value('w') ?? f.value('l'), 70);
  const extra = num(f.value('i'), 0);
  if (width <= 0) { await c.warn('line length<=indentation'); return 'length'; }
  let tab = 8;
  try {
    const t = Number((await c.sys.readFile('/env/tabstop')).toString('latin1').replace(/\0$/, ''));
    if (Number.isInteger(t) && t > 0) tab = t;
  } catch { /* no $tabstop */ }
  const opts = { extra, width, join: !f.has('j'), tab };
  const files = f.args.length ? f.args : ['-'];
  for (const [k, path] of files.entries()) {
    const fd = await c.open(path);
    if (fd === undefined) continue;
    const filler = new Filler(tab);
    try {
      const r = new LineReader(c.sys, fd);
      for (let l = await r.next(); l; l = await r.next()) filler.addLine(l.text);
    } finally { await c.close(fd); }
    await printWords(c, filler.words, opts);
    if (k !== files.length - 1) await c.out.bytes('\n');
  }
});
