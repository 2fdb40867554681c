// sed scripts: parse the text of -e/-f scripts into a flat list of commands that
// cmd/sed.ts runs. Commands are separated by newlines or ';'. Regular expressions are Plan 9's
// (regexp.ts), with GNU BRE's \( \) \| \+ \? as operators too unless -E, and match as Plan 9's
// (leftmost, then longest); in the replacement & is the match, \1..\9 groups, \n a newline.
//
//   address    N   $   /re/   \cREc   (empty // is the last expression used)
//   range      a1,a2   a1,+N        then optional !
//   commands   { }  s y p d q Q = n a i c h H g G x b t :label  #comment
//              N D P (several lines in the pattern space)  l [width]

import { regexp, RegexpError } from './regexp.ts';
import type { Plan9RegExp } from './regexp.ts';

export type Addr =
  | { kind: 'line'; n: number }
  | { kind: 'last' }
  | { kind: 're'; re: Plan9RegExp | undefined }
  | { kind: 'plus'; n: number };

/** The replacement: literal pieces and group references (0 is the whole match). */
export type Repl = Array<string | number>;

export interface SedCmd {
  a1: Addr | undefined;
  a2: Addr | undefined;
  negate: boolean;
  name: string;
  /** s: expression, replacement, flags. */
  re?: Plan9RegExp | undefined;
  repl?: Repl;
  global?: boolean;
  nth?: number;
  print?: boolean;
  /** y: byte map. */
  map?: Map<string, string>;
  /** a i c: the text; b t: the label; : its name. */
  text?: string;
  /** q Q: exit code; l: the line width (undefined: 70). */
  code?: number;
  /** { and b t: where to go (filled after parsing). */
  jump?: number;
  /** Range state while running. */
  active?: boolean;
  end?: number;
}

export class SedError extends Error {
  constructor(msg: string) { super(msg); this.name = 'SedError'; }
}

/** Compile an address or s expression; '' means "the last one used" (undefined). */
function compile(re: string, icase: boolean, gnuEscapes: boolean): Plan9RegExp | undefined {
  if (re === '') return undefined;
  try { return regexp(re, { icase, gnuEscapes }, 'g'); } catch (e) {
    throw new SedError(e instanceof RegexpError ? e.message : `bad regexp: ${re}`);
  }
}

class Parser {
  readonly s: string;
  readonly gnuEscapes: boolean;
  i = 0;
  constructor(s: string, gnuEscapes: boolean) { this.s = s; this.gnuEscapes = gnuEscapes; }

  peek(): string | undefined { return this.s[this.i]; }
  eof(): boolean { return this.i >= this.s.length; }
  skipBlanks(): void { while (this.peek() === ' ' || this.peek() === '\t') this.i++; }

  number(): number {
    const m = /^\d+/.exec(this.s.slice(this.i))!;
    this.i += m[0].length;
    return Number(m[0]);
  }

  /** Text up to an unescaped delim (delim consumed); brackets may hold the delimiter. */
  delimited(delim: string, what: string, brackets: boolean): string {
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined || (c === '\n' && delim !== '\n')) throw new SedError(`unterminated ${what}`);
      this.i++;
      if (c === delim) return out;
      if (c === '\\') {
        const n = this.peek();
        if (n === undefined) throw new SedError(`unterminated ${what}`);
        this.i++;
        // \delim is the delimiter itself, literal in an expression: [c] for the characters
        // that \c would make an operator (gnuEscapes), \c for the other metacharacters.
        if (n === delim) out += !brackets ? n : '()|+?'.includes(n) ? `[${n}]` : /[.*[\]\\^$]/.test(n) ? `\\${n}` : n;
        else if (n === 'n' && !brackets) out += '\\n';
        else out += `\\${n}`;
        continue;
      }
      if (c === '[' && brackets) {
        // Copy a bracket expression whole: the delimiter is an ordinary byte inside it.
        let j = this.i;
        if (this.s[j] === '^') j++;
        if (this.s[j] === ']') j++;
        while (j < this.s.length && this.s[j] !== ']' && this.s[j] !== '\n') {
          const cls = this.s[j] === '[' && this.s[j + 1] === ':' ? this.s.indexOf(':]', j + 2) : -1;
          j = cls < 0 ? j + 1 : cls + 2;
        }
        if (this.s[j] === ']') { out += this.s.slice(this.i - 1, j + 1); this.i = j + 1; continue; }
      }
      out += c;
    }
  }

  address(): Addr | undefined {
    const c = this.peek();
    if (c !== undefined && c >= '0' && c <= '9') return { kind: 'line', n: this.number() };
    if (c === '$') { this.i++; return { kind: 'last' }; }
    if (c === '/' || c === '\\') {
      this.i++;
      let delim = '/';
      if (c === '\\') { delim = this.peek() ?? ''; this.i++; if (!delim || delim === '\n') throw new SedError('unexpected end of address'); }
      const re = this.delimited(delim, 'address regex', true);
      let icase = false;
      if (this.peek() === 'I') { icase = true; this.i++; }
      return { kind: 're', re: compile(re, icase, this.gnuEscapes) };
    }
    return undefined;
  }

  /** Text of a, i, c: GNU's one-line form, or a\ then lines continued with a trailing \. */
  text(): string {
    this.skipBlanks();
    if (this.peek() === '\\') { this.i++; this.skipBlanks(); if (this.peek() === '\n') this.i++; }
    let out = '';
    while (!this.eof() && this.peek() !== '\n') {
      if (this.peek() === '\\') {
        this.i++;
        if (this.eof()) break;
        out += this.peek();
        this.i++;
        continue;
      }
      out += this.peek();
      this.i++;
    }
    return out;
  }

  label(): string {
    this.skipBlanks();
    let out = '';
    while (!this.eof() && this.peek() !== '\n' && this.peek() !== ';') { out += this.peek(); this.i++; }
    return out.trim();
  }

  /** After a command: blanks, then ; newline } # or the end. */
  end(): void {
    this.skipBlanks();
    const c = this.peek();
    if (c === undefined || c === '}' || c === '#') return;
    if (c === ';' || c === '\n') { this.i++; return; }
    throw new SedError(`extra characters after command`);
  }
}

function replacement(raw: string): Repl {
  const out: Repl = [];
  let lit = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '&') { out.push(lit, 0); lit = ''; continue; }
    if (c !== '\\' || i + 1 >= raw.length) { lit += c; continue; }
    const n = raw[++i]!;
    if (n >= '0' && n <= '9') { out.push(lit, Number(n)); lit = ''; } else lit += n === 'n' ? '\n' : n === 't' ? '\t' : n;
  }
  out.push(lit);
  return out.filter((p) => p !== '');
}

/** Parse a whole script (the -e pieces joined by newlines); extended (-E): strict Plan 9 expressions. */
export function parseScript(script: string, extended = false): SedCmd[] {
  const p = new Parser(script, !extended);
  const cmds: SedCmd[] = [];
  const opens: number[] = [];
  for (;;) {
    while (p.peek() === ' ' || p.peek() === '\t' || p.peek() === '\n' || p.peek() === ';') p.i++;
    if (p.eof()) break;
    if (p.peek() === '#') { while (!p.eof() && p.peek() !== '\n') p.i++; continue; }
    const a1 = p.address();
    let a2: Addr | undefined;
    if (a1 && p.peek() === ',') {
      p.i++;
      p.skipBlanks();
      if (p.peek() === '+') { p.i++; a2 = /\d/.test(p.peek() ?? '') ? { kind: 'plus', n: p.number() } : undefined; } else a2 = p.address();
      if (!a2) throw new SedError('unexpected `,\'');
    }
    p.skipBlanks();
    let negate = false;
    while (p.peek() === '!') { negate = true; p.i++; p.skipBlanks(); }
    const name = p.peek();
    if (name === undefined) throw new SedError('missing command');
    p.i++;
    const cmd: SedCmd = { a1, a2, negate, name };
    switch (name) {
      case '{': opens.push(cmds.length); cmds.push(cmd); continue;
      case '}': {
        if (a1) throw new SedError('} doesn\'t want any addresses');
        const o = opens.pop();
        if (o === undefined) throw new SedError('unexpected `}\'');
        cmds[o]!.jump = cmds.length + 1;
        cmds.push(cmd);
        p.end();
        continue;
      }
      case 's': {
        const delim = p.peek();
        if (delim === undefined || delim === '\n' || delim === '\\') throw new SedError('unterminated `s\' command');
        p.i++;
        const re = p.delimited(delim, '`s\' command', true);
        const repl = p.delimited(delim, '`s\' command', false);
        cmd.repl = replacement(repl);
        cmd.global = false;
        cmd.nth = 1;
        cmd.print = false;
        let icase = false;
        for (;;) {
          const c = p.peek();
          if (c === 'g') cmd.global = true;
          else if (c === 'p') cmd.print = true;
          else if (c === 'i' || c === 'I') icase = true;
          else if (c !== undefined && c >= '0' && c <= '9') { cmd.nth = p.number(); if (cmd.nth === 0) throw new SedError('number option to `s\' command may not be zero'); continue; } else break;
          p.i++;
        }
        cmd.re = compile(re, icase, p.gnuEscapes);
        break;
      }
      case 'y': {
        const delim = p.peek();
        if (delim === undefined || delim === '\n' || delim === '\\') throw new SedError('unterminated `y\' command');
        p.i++;
        const unq = (t: string): string => t.replace(/\\([^])/g, (_m, c: string) => (c === 'n' ? '\n' : c));
        const src = unq(p.delimited(delim, '`y\' command', false));
        const dst = unq(p.delimited(delim, '`y\' command', false));
        if (src.length !== dst.length) throw new SedError('strings for `y\' command are different lengths');
        cmd.map = new Map([...src].map((c, i) => [c, dst[i]!]));
        break;
      }
      case 'a': case 'i': case 'c': cmd.text = p.text(); cmds.push(cmd); continue;
      case ':': {
        if (a1) throw new SedError(': doesn\'t want any addresses');
        cmd.text = p.label();
        if (!cmd.text) throw new SedError('":" lacks a label');
        cmds.push(cmd);
        if (p.peek() === ';') p.i++;
        continue;
      }
      case 'b': case 't': cmd.text = p.label(); break;
      case 'q': case 'Q':
        p.skipBlanks();
        cmd.code = /\d/.test(p.peek() ?? '') ? p.number() : 0;
        break;
      case 'l':
        p.skipBlanks();
        if (/\d/.test(p.peek() ?? '')) cmd.code = p.number();
        break;
      case 'p': case 'd': case '=': case 'n': case 'h': case 'H': case 'g': case 'G': case 'x':
      case 'N': case 'D': case 'P': break;
      default: throw new SedError(`unknown command: \`${name}'`);
    }
    cmds.push(cmd);
    p.end();
  }
  if (opens.length) throw new SedError('unmatched `{\'');
  // Resolve branch targets: a label, or (none given) the end of the script.
  for (const c of cmds) {
    if (c.name !== 'b' && c.name !== 't') continue;
    if (!c.text) { c.jump = cmds.length; continue; }
    const at = cmds.findIndex((x) => x.name === ':' && x.text === c.text);
    if (at < 0) throw new SedError(`can't find label for jump to \`${c.text}'`);
    c.jump = at;
  }
  return cmds;
}
