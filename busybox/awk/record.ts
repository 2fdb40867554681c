// Records and fields. A RecordReader cuts an fd's bytes into records by RS: a newline or
// any one character; "" is paragraph mode (records end at blank lines, leading newlines are
// skipped); longer RS is a regular expression (as in mawk and gawk). splitFields cuts a
// record by FS: " " splits at runs of blanks and newlines, ignoring them at the ends; any other
// single character is itself (a tab, a comma, even '|'); "" makes each byte a field; longer
// FS is a regular expression. In paragraph mode a newline separates fields too.

import { Out } from '../io.ts';
import type { Sys } from '../../kernel/sys.ts';
import type { RegexCache } from './regex.ts';

export class RecordReader {
  readonly #sys: Sys;
  readonly #fd: number;
  readonly #beforeRead: () => Promise<void>;
  #buf = '';
  #eof = false;

  constructor(sys: Sys, fd: number, beforeRead: () => Promise<void>) {
    this.#sys = sys;
    this.#fd = fd;
    this.#beforeRead = beforeRead;
  }

  get fd(): number { return this.#fd; }

  async #fill(): Promise<boolean> {
    if (this.#eof) return false;
    await this.#beforeRead();
    const d = await this.#sys.read(this.#fd, Out.CHUNK);
    if (d.length === 0) { this.#eof = true; return false; }
    this.#buf += Buffer.from(d.buffer, d.byteOffset, d.length).toString('latin1');
    return true;
  }

  /** The next record, or undefined at the end of input. */
  async next(rs: string, regs: RegexCache): Promise<string | undefined> {
    if (rs === '') return this.#paragraph();
    if (rs.length === 1) {
      for (;;) {
        const i = this.#buf.indexOf(rs);
        if (i >= 0) { const r = this.#buf.slice(0, i); this.#buf = this.#buf.slice(i + 1); return r; }
        if (!(await this.#fill())) return this.#rest();
      }
    }
    const re = regs.global(rs);
    for (;;) {
      re.lastIndex = 0;
      let m = re.exec(this.#buf);
      while (m && m[0] === '') { re.lastIndex = m.index + 1; m = re.lastIndex <= this.#buf.length ? re.exec(this.#buf) : null; }
      // A match reaching the end of what we have might go on: read more first.
      if (m && (m.index + m[0].length < this.#buf.length || this.#eof)) {
        const r = this.#buf.slice(0, m.index);
        this.#buf = this.#buf.slice(m.index + m[0].length);
        return r;
      }
      if (!(await this.#fill())) {
        if (m) continue;
        return this.#rest();
      }
    }
  }

  #rest(): string | undefined {
    if (this.#buf === '') return undefined;
    const r = this.#buf;
    this.#buf = '';
    return r;
  }

  async #paragraph(): Promise<string | undefined> {
    for (;;) {
      const start = this.#buf.search(/[^\n]/);
      if (start < 0) {
        this.#buf = '';
        if (!(await this.#fill())) return undefined;
        continue;
      }
      const m = /\n\n+/.exec(this.#buf.slice(start));
      if (m && (start + m.index + m[0].length < this.#buf.length || this.#eof)) {
        const r = this.#buf.slice(start, start + m.index);
        this.#buf = this.#buf.slice(start + m.index + m[0].length);
        return r;
      }
      if (!(await this.#fill())) {
        const r = this.#buf.slice(start).replace(/\n+$/, '');
        this.#buf = '';
        return r;
      }
    }
  }
}

/** Split s by fs (FS's value); paragraph: RS is "" and newlines separate fields as well. */
export function splitFields(s: string, fs: string, regs: RegexCache, paragraph = false): string[] {
  if (s === '') return [];
  if (fs === ' ') {
    const t = s.replace(/^[ \t\n]+|[ \t\n]+$/g, '');
    return t === '' ? [] : t.split(/[ \t\n]+/);
  }
  if (fs === '') return s.split('');
  if (fs.length === 1) {
    if (!paragraph || fs === '\n') return s.split(fs);
    return s.split(new RegExp(`[\\x${fs.charCodeAt(0).toString(16).padStart(2, '0')}\\n]`));
  }
  return splitRegex(s, paragraph ? `(${fs})|\n` : fs, regs);
}

/** Split s at the matches of a regular expression (empty matches do not split). */
export function splitRegex(s: string, src: string, regs: RegexCache): string[] {
  if (s === '') return [];
  const re = regs.global(src);
  const out: string[] = [];
  let pos = 0;
  re.lastIndex = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (m[0] === '') { re.lastIndex = m.index + 1; if (re.lastIndex > s.length) break; continue; }
    out.push(s.slice(pos, m.index));
    pos = m.index + m[0].length;
  }
  out.push(s.slice(pos));
  return out;
}
