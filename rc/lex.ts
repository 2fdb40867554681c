// Lexer for rc, following the rules of rc(1):
// - words end at the metacharacters  \n space \t # ; & | ^ $ = ` ' { } ( ) < >
// - after `$` (also `$#`, `$"`) a variable name ends at the first non-identifier char
// - `#` starts a comment wherever a token would start (so `a#b` is `a` + comment)
// - quoting is only '...', with '' standing for one quote
// - backslash-newline (outside quotes and comments) reads as a blank
// - free carets: right after a word (quoted or not, keywords excepted) a `(`
//   becomes a subscript paren `sub`, and a word-start character yields `^`,
//   so `$x.c` lexes as `$ x ^ .c` and `a$b` as `a ^ $ b`
// - after `&&`, `||` and any pipe, newlines are skipped
// - here documents: `<<` reads its marker immediately; the body lines are
//   read after the line that closes the outermost brace (rc reads them per command);
//   collected when the end of the current line is lexed.

import { RcSyntaxError } from './errors.ts';
import type { FileOp, HereDoc, DupRedir, CloseRedir } from './tree.ts';

export type OpText =
  | '$' | '$#' | '$"' | '^' | '`' | '(' | ')' | '{' | '}' | ';' | '&' | '&&' | '||'
  | '\n' | '=' | 'sub' | '<{' | '>{';

export type Token =
  | { t: 'word'; text: string; quoted: boolean; kw: boolean; line: number; src: string }
  | { t: 'op'; op: OpText; line: number; src: string }
  | { t: 'pipe'; fdLeft: number; fdRight: number; line: number; src: string }
  | { t: 'redir'; op: FileOp; fd: number; line: number; src: string }
  | { t: 'dup'; redir: DupRedir | CloseRedir; line: number; src: string }
  | { t: 'here'; doc: HereDoc; line: number; src: string }
  | { t: 'eof'; line: number; src: string };

export const KEYWORDS: ReadonlySet<string> = new Set(['for', 'in', 'while', 'if', 'not', 'switch', 'fn', '~', '!', '@']);

const META = '\n \t#;&|^$=`\'{}()<>';
const NONID = '!"#$%&\'()+,-./:;<=>?@[\\]^`{|}~';

export function isWordChar(c: string): boolean {
  return c !== '' && !META.includes(c);
}

export function isIdChar(c: string): boolean {
  return c > ' ' && !NONID.includes(c);
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

export class Lexer {
  private readonly src: string;
  private pos = 0;
  private lineNo = 1;
  private lastword = false;
  private lastdol = false;
  private readonly pending: HereDoc[] = [];
  /** Open braces: here document bodies follow the line that closes the outermost one, as in rc. */
  private depth = 0;
  private peeked: Token | null = null;
  /** set when a backslash-newline continuation ran into the end of input */
  continuedToEof = false;

  constructor(src: string) {
    this.src = src;
  }

  get line(): number {
    return this.lineNo;
  }

  /** true if here documents are still waiting for their body */
  hasPendingHereDocs(): boolean {
    return this.pending.length > 0;
  }

  peek(): Token {
    if (this.peeked === null) this.peeked = this.lex();
    return this.peeked;
  }

  next(): Token {
    const t = this.peek();
    this.peeked = null;
    return t;
  }

  // ---- characters ----

  private ch(): string {
    const c = this.src[this.pos] ?? '';
    if (c === '\\' && this.src[this.pos + 1] === '\n') return ' ';
    return c;
  }

  private advance(): string {
    const c = this.src[this.pos] ?? '';
    if (c === '') return '';
    if (c === '\\' && this.src[this.pos + 1] === '\n') {
      this.pos += 2;
      this.lineNo++;
      if (this.pos >= this.src.length) this.continuedToEof = true;
      return ' ';
    }
    this.pos++;
    if (c === '\n') this.lineNo++;
    return c;
  }

  private nextIs(c: string): boolean {
    if (this.ch() === c) {
      this.advance();
      return true;
    }
    return false;
  }

  private skipWhite(): void {
    for (;;) {
      const c = this.ch();
      if (c === '#') {
        // comments end at a newline; backslash-newline does not continue them
        while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
        continue;
      }
      if (c === ' ' || c === '\t') this.advance();
      else return;
    }
  }

  private skipNewlines(): void {
    for (;;) {
      this.skipWhite();
      if (this.ch() !== '\n') return;
      this.advance();
      this.readHereDocs();
    }
  }

  private readHereDocs(): void {
    while (this.depth === 0 && this.pending.length > 0) {
      const doc = this.pending.shift() as HereDoc;
      let body = '';
      for (;;) {
        if (this.pos >= this.src.length) {
          throw new RcSyntaxError(this.lineNo, 'EOF', true, 'unterminated here document');
        }
        const nl = this.src.indexOf('\n', this.pos);
        const end = nl < 0 ? this.src.length : nl;
        const text = this.src.slice(this.pos, end);
        if (nl < 0 && text !== doc.marker) {
          // last line without newline and not the marker: more input may follow
          throw new RcSyntaxError(this.lineNo, 'EOF', true, 'unterminated here document');
        }
        this.pos = nl < 0 ? end : end + 1;
        if (nl >= 0) this.lineNo++;
        if (text === doc.marker) break;
        body += text + '\n';
      }
      doc.body = body;
    }
  }

  // ---- tokens ----

  private op(op: OpText, line: number, src: string = op): Token {
    return { t: 'op', op, line, src };
  }

  private lex(): Token {
    if (this.lastword) {
      this.lastword = false;
      const d = this.ch();
      if (d === '(') {
        const line = this.lineNo;
        this.advance();
        return this.op('sub', line, '(');
      }
      if (isWordChar(d) || d === '\'' || d === '`' || d === '$') return this.op('^', this.lineNo);
    }
    this.skipWhite();
    const line = this.lineNo;
    const c = this.ch();
    if (c === '') {
      this.lastdol = false;
      return { t: 'eof', line, src: 'EOF' };
    }
    this.advance();
    switch (c) {
      case '\n':
        this.lastdol = false;
        this.readHereDocs();
        return this.op('\n', line, '\\n');
      case '$':
        this.lastdol = true;
        if (this.nextIs('#')) return this.op('$#', line);
        if (this.nextIs('"')) return this.op('$"', line);
        return this.op('$', line);
      case '&':
        this.lastdol = false;
        if (this.nextIs('&')) {
          this.skipNewlines();
          return this.op('&&', line);
        }
        return this.op('&', line);
      case '|':
        this.lastdol = false;
        if (this.nextIs('|')) {
          this.skipNewlines();
          return this.op('||', line);
        }
        return this.redirOrPipe(c, line);
      case '<':
      case '>':
        this.lastdol = false;
        return this.redirOrPipe(c, line);
      case '\'':
        this.lastdol = false;
        return this.quoted(line);
    }
    if (!isWordChar(c)) {
      this.lastdol = false;
      if (c === '{') this.depth++;
      else if (c === '}' && this.depth > 0) this.depth--;
      return this.op(c as OpText, line);
    }
    let text = c;
    const dol = this.lastdol;
    for (;;) {
      const n = this.ch();
      if (dol ? !isIdChar(n) : !isWordChar(n)) break;
      text += this.advance();
    }
    this.lastdol = false;
    const kw = !dol && KEYWORDS.has(text);
    this.lastword = !kw;
    return { t: 'word', text, quoted: false, kw, line, src: text };
  }

  private quoted(line: number): Token {
    let text = '';
    for (;;) {
      if (this.pos >= this.src.length) {
        throw new RcSyntaxError(line, 'EOF', true, 'unterminated quote');
      }
      const c = this.src[this.pos++] as string;
      if (c === '\n') this.lineNo++;
      if (c === '\'') {
        if (this.src[this.pos] !== '\'') break;
        this.pos++;
      }
      text += c;
    }
    this.lastword = true;
    return { t: 'word', text, quoted: true, kw: false, line, src: `'${text.replaceAll('\'', '\'\'')}'` };
  }

  private redirOrPipe(c: string, line: number): Token {
    let src = c;
    let op: FileOp | 'here' | 'pipe';
    let fd: number;
    if (c === '|') {
      op = 'pipe';
      fd = 1;
    } else if (c === '>') {
      op = this.nextIs('>') ? '>>' : '>';
      fd = 1;
    } else if (this.nextIs('<')) {
      op = 'here';
      fd = 0;
    } else {
      op = this.nextIs('>') ? '<>' : '<';
      fd = 0;
    }
    if (op === '>>' || op === '<>' || op === 'here') src = op === 'here' ? '<<' : op;
    if ((op === '<' || op === '>') && this.ch() === '{') {
      this.advance();
      this.depth++;
      return this.op(op === '<' ? '<{' : '>{', line);
    }
    let other: number | null | undefined; // undefined: no `=`; null: `[n=]`
    if (this.nextIs('[')) {
      src += '[';
      const bad = (): RcSyntaxError => {
        const incomplete = this.pos >= this.src.length;
        return new RcSyntaxError(line, incomplete ? 'EOF' : src, incomplete, op === 'pipe' ? 'pipe syntax' : 'redirection syntax');
      };
      if (!isDigit(this.ch())) throw bad();
      let n = '';
      while (isDigit(this.ch())) n += this.advance();
      src += n;
      fd = Number(n);
      if (this.nextIs('=')) {
        src += '=';
        if (isDigit(this.ch())) {
          let m = '';
          while (isDigit(this.ch())) m += this.advance();
          src += m;
          other = Number(m);
        } else {
          if (op === 'pipe') throw bad();
          other = null;
        }
      }
      if (this.ch() !== ']') throw bad();
      this.advance();
      src += ']';
      if (other !== undefined && (op === '>>' || op === 'here' || op === '<>')) throw bad();
    }
    if (op === 'pipe') {
      this.skipNewlines();
      // |[a] pipes the left side's fd a; |[a=b] joins the left side's fd b to the right side's fd a (rc's lex.c).
      return typeof other === 'number' ? { t: 'pipe', fdLeft: other, fdRight: fd, line, src } : { t: 'pipe', fdLeft: fd, fdRight: 0, line, src };
    }
    if (op === 'here') return this.hereDoc(fd, line, src);
    if (other === undefined) return { t: 'redir', op, fd, line, src };
    const dir = op === '<' ? '<' : '>';
    const redir: DupRedir | CloseRedir = other === null
      ? { kind: 'close', op: dir, fd, line }
      : { kind: 'dup', op: dir, fd, from: other, line };
    return { t: 'dup', redir, line, src };
  }

  private hereDoc(fd: number, line: number, src: string): Token {
    this.skipWhite();
    let marker: string;
    let quoted = false;
    const c = this.ch();
    if (c === '\'') {
      this.advance();
      const t = this.quoted(line);
      if (t.t !== 'word') throw new RcSyntaxError(line, src, false);
      marker = t.text;
      quoted = true;
    } else if (isWordChar(c)) {
      marker = '';
      while (isWordChar(this.ch())) marker += this.advance();
    } else {
      const incomplete = c === '';
      throw new RcSyntaxError(line, incomplete ? 'EOF' : c === '\n' ? '\\n' : c, incomplete, 'bad here document marker');
    }
    this.lastword = false;
    const doc: HereDoc = { kind: 'here', fd, marker, quoted, body: '', line };
    this.pending.push(doc);
    return { t: 'here', doc, line, src: `${src}${quoted ? `'${marker}'` : marker}` };
  }
}
