// Recursive-descent parser for rc (grammar after rc(1) / syn.y).
//
// Command precedence, lowest first (as in rc):
//   if / if not / for / while / switch bodies (extend as far right as possible)
//   && ||            (equal, left associative; newlines after them are skipped)
//   ! @ and prefix redirections / assignments   (apply to a whole pipeline)
//   |                (left associative; newlines after it are skipped)
// Words: `$` binds tighter than `^`: `$x^y` is ($x)^y.
//
// Deliberate strictness vs rc: the operands of && || | and the bodies of
// ! @ if, if not, for and while must be non-empty commands.
//
// API: parse(src) never throws; parseOrThrow(src) throws only RcSyntaxError.

import { RcSyntaxError } from './errors.ts';
import { checkIfNot } from './ifnot.ts';
import { Lexer, type Token, type OpText } from './lex.ts';
import type { Block, Case, Cmd, Redir, Word } from './tree.ts';

export { RcSyntaxError } from './errors.ts';

export type ParseResult =
  | { ok: true; tree: Cmd | null }
  | { ok: false; incomplete: true; error: RcSyntaxError }
  | { ok: false; incomplete: false; error: RcSyntaxError };

/** Parse a whole script. Never throws (other than on internal bugs). */
export function parse(src: string, ifs?: IfState): ParseResult {
  try {
    const tree = parseOrThrow(src);
    const last = checkIfNot(tree, ifs?.ifLast ?? false);
    if (ifs) ifs.ifLast = last;
    return { ok: true, tree };
  } catch (e) {
    if (e instanceof RcSyntaxError) {
      return e.incomplete ? { ok: false, incomplete: true, error: e } : { ok: false, incomplete: false, error: e };
    }
    throw e;
  }
}

/** Parse a whole script; throws RcSyntaxError (check `.incomplete`). */
export function parseOrThrow(src: string): Cmd | null {
  const p = new Parser(new Lexer(src));
  return p.program();
}

/**
 * A script read one top-level line at a time, as rc reads it: each line is parsed and run
 * before the next is read, so a syntax error stops the script only where it occurs.
 */
/** Whether the last command parsed ended in an `if` (rc/ifnot.ts), carried from line to line. */
export interface IfState { ifLast: boolean }

export class ScriptParser {
  private readonly p: Parser;
  private done = false;
  private readonly ifs: IfState = { ifLast: false };

  constructor(src: string) {
    this.p = new Parser(new Lexer(src));
  }

  /** The next line's commands (null for a blank line), or undefined at the end; throws RcSyntaxError. */
  next(): Cmd | null | undefined {
    if (this.done) return undefined;
    const r = this.p.line();
    if (r.eof) this.done = true;
    if (r.eof && r.cmd === null) return undefined;
    this.ifs.ifLast = checkIfNot(r.cmd, this.ifs.ifLast);
    return r.cmd;
  }

  /** The current line of the reader (for error messages). */
  get lineNo(): number { return this.p.lineNo; }
}

const PREC_ANDOR = 1;
const PREC_PREFIX = 2;
const PREC_PIPE = 3;

function isOp(t: Token, op: OpText): boolean {
  return t.t === 'op' && t.op === op;
}

function seqOf(cmds: Cmd[], line: number): Cmd | null {
  if (cmds.length === 0) return null;
  if (cmds.length === 1) return cmds[0] as Cmd;
  return { kind: 'seq', cmds, line };
}

class Parser {
  private readonly lx: Lexer;

  constructor(lx: Lexer) {
    this.lx = lx;
  }

  private fail(t: Token, detail?: string): never {
    throw new RcSyntaxError(t.line, t.src, t.t === 'eof', detail);
  }

  private expectOp(op: OpText): Token {
    const t = this.lx.next();
    if (!isOp(t, op)) this.fail(t);
    return t;
  }

  private skipNewlines(): void {
    while (isOp(this.lx.peek(), '\n')) this.lx.next();
  }

  get lineNo(): number { return this.lx.line; }

  /** One top-level line: commands separated by ; or &, up to a newline or the end. */
  line(): { cmd: Cmd | null; eof: boolean } {
    const cmds: Cmd[] = [];
    const line = this.lx.peek().line;
    for (;;) {
      const c = this.cmd(0);
      const t = this.lx.next();
      if (t.t === 'op' && (t.op === ';' || t.op === '&')) {
        if (c) cmds.push(t.op === '&' ? { kind: 'bg', body: c, line: c.line } : c);
        continue;
      }
      if (isOp(t, '\n') || t.t === 'eof') {
        if (c) cmds.push(c);
        if (t.t === 'eof') {
          if (this.lx.hasPendingHereDocs()) throw new RcSyntaxError(this.lx.line, 'EOF', true, 'unterminated here document');
          if (this.lx.continuedToEof) throw new RcSyntaxError(this.lx.line, 'EOF', true, 'line continuation at end of input');
        }
        return { cmd: seqOf(cmds, line), eof: t.t === 'eof' };
      }
      this.fail(t);
    }
  }

  program(): Cmd | null {
    const tree = this.body('eof');
    if (this.lx.hasPendingHereDocs()) throw new RcSyntaxError(this.lx.line, 'EOF', true, 'unterminated here document');
    if (this.lx.continuedToEof) throw new RcSyntaxError(this.lx.line, 'EOF', true, 'line continuation at end of input');
    return tree;
  }

  /** Commands separated by ; & or newline, up to (and consuming) the terminator. */
  private body(end: 'eof' | '}' | ')'): Cmd | null {
    const cmds: Cmd[] = [];
    const line = this.lx.peek().line;
    for (;;) {
      const c = this.cmd(0);
      const t = this.lx.next();
      if (t.t === 'op' && (t.op === ';' || t.op === '\n' || t.op === '&')) {
        if (c) cmds.push(t.op === '&' ? { kind: 'bg', body: c, line: c.line } : c);
        continue;
      }
      if ((end === 'eof' && t.t === 'eof') || (end !== 'eof' && isOp(t, end))) {
        if (c) cmds.push(c);
        return seqOf(cmds, line);
      }
      this.fail(t);
    }
  }

  private brace(): Block {
    const t = this.expectOp('{');
    return { kind: 'block', body: this.body('}'), redirs: [], line: t.line };
  }

  private paren(): Cmd | null {
    this.expectOp('(');
    return this.body(')');
  }

  private required(c: Cmd | null): Cmd {
    if (c === null) this.fail(this.lx.peek());
    return c;
  }

  /** A command, continuing with binary operators of precedence > minPrec. */
  private cmd(minPrec: number): Cmd | null {
    let left = this.primary();
    for (;;) {
      const t = this.lx.peek();
      let prec: number;
      if (t.t === 'pipe') prec = PREC_PIPE;
      else if (isOp(t, '&&') || isOp(t, '||')) prec = PREC_ANDOR;
      else return left;
      if (left === null) this.fail(t);
      if (prec <= minPrec) return left;
      this.lx.next();
      const right = this.required(this.cmd(prec));
      if (t.t === 'pipe') {
        left = { kind: 'pipe', left, right, fdLeft: t.fdLeft, fdRight: t.fdRight, line: left.line };
      } else {
        left = { kind: t.t === 'op' && t.op === '&&' ? 'and' : 'or', left, right, line: left.line };
      }
    }
  }

  /** What a prefix assignment or redirection applies to; none before && || | (`x=1 && y`). */
  private prefixBody(): Cmd | null {
    const t = this.lx.peek();
    if (t.t === 'pipe' || isOp(t, '&&') || isOp(t, '||')) return null;
    return this.cmd(PREC_PREFIX);
  }

  private primary(): Cmd | null {
    const t = this.lx.peek();
    const line = t.line;
    if (t.t === 'word' && t.kw) {
      switch (t.text) {
        case 'if': {
          this.lx.next();
          if (isOp(this.lx.peek(), '(')) {
            const cond = this.paren();
            this.skipNewlines();
            return { kind: 'if', cond, body: this.required(this.cmd(0)), line };
          }
          const n = this.lx.next();
          if (n.t !== 'word' || !n.kw || n.text !== 'not') this.fail(n);
          this.skipNewlines();
          return { kind: 'ifnot', body: this.required(this.cmd(0)), line };
        }
        case 'while': {
          this.lx.next();
          const cond = this.paren();
          this.skipNewlines();
          return { kind: 'while', cond, body: this.required(this.cmd(0)), line };
        }
        case 'for': {
          this.lx.next();
          this.expectOp('(');
          const name = this.word();
          let list: Word[] | null = null;
          const n = this.lx.next();
          if (n.t === 'word' && n.kw && n.text === 'in') {
            list = this.words();
            this.expectOp(')');
          } else if (!isOp(n, ')')) {
            this.fail(n);
          }
          this.skipNewlines();
          return { kind: 'for', name, list, body: this.required(this.cmd(0)), line };
        }
        case 'switch': {
          this.lx.next();
          const subject = this.word();
          this.skipNewlines();
          const b = this.brace();
          return { kind: 'switch', subject, cases: this.cases(b), line };
        }
        case '~': {
          this.lx.next();
          return { kind: 'match', subject: this.word(), patterns: this.words(), line };
        }
        case '!': {
          this.lx.next();
          return { kind: 'not', body: this.required(this.cmd(PREC_PREFIX)), line };
        }
        case '@': {
          this.lx.next();
          return { kind: 'subshell', body: this.required(this.cmd(PREC_PREFIX)), line };
        }
        case 'fn': {
          this.lx.next();
          const names = this.words();
          if (isOp(this.lx.peek(), '{')) {
            return { kind: 'fndef', names, body: this.brace().body, line };
          }
          return { kind: 'fndel', names, line };
        }
        default:
          this.fail(t); // `in`, `not` out of place
      }
    }
    if (isOp(t, '{')) {
      const b = this.brace();
      for (let r = this.redir(); r; r = this.redir()) b.redirs.push(r);
      return b;
    }
    const r = this.redir();
    if (r) return { kind: 'redir', redir: r, body: this.prefixBody(), line };
    const first = this.wordOpt(false);
    if (first === null) return null;
    if (isOp(this.lx.peek(), '=')) {
      this.lx.next();
      const value = this.word();
      return { kind: 'assign', name: first, value, body: this.prefixBody(), line };
    }
    const words = [first];
    const redirs: Redir[] = [];
    for (;;) {
      const w = this.wordOpt(true);
      if (w) {
        words.push(w);
        continue;
      }
      const rr = this.redir();
      if (rr) {
        redirs.push(rr);
        continue;
      }
      return { kind: 'simple', words, redirs, line };
    }
  }

  /** Split a switch body into cases: each `case pat...` simple command starts one. */
  private cases(b: Block): Case[] {
    const cmds = b.body === null ? [] : b.body.kind === 'seq' ? b.body.cmds : [b.body];
    const cases: Case[] = [];
    for (const c of cmds) {
      const w0 = c.kind === 'simple' ? c.words[0] : undefined;
      if (c.kind === 'simple' && c.redirs.length === 0 && w0?.kind === 'lit' && !w0.quoted && w0.text === 'case') {
        cases.push({ patterns: c.words.slice(1), body: [], line: c.line });
      } else {
        const cur = cases[cases.length - 1];
        if (!cur) throw new RcSyntaxError(c.line, 'switch', false, 'case missing in switch');
        cur.body.push(c);
      }
    }
    return cases;
  }

  private redir(): Redir | null {
    const t = this.lx.peek();
    if (t.t === 'redir') {
      this.lx.next();
      return { kind: 'file', op: t.op, fd: t.fd, target: this.word(), line: t.line };
    }
    if (t.t === 'dup' || t.t === 'here') {
      this.lx.next();
      return t.t === 'dup' ? t.redir : t.doc;
    }
    return null;
  }

  private words(): Word[] {
    const ws: Word[] = [];
    for (let w = this.wordOpt(true); w; w = this.wordOpt(true)) ws.push(w);
    return ws;
  }

  private word(): Word {
    const w = this.wordOpt(true);
    if (w === null) this.fail(this.lx.peek());
    return w;
  }

  /** word: atom ('^' atom)*; keywords count as plain words unless `kw` is false for the first atom. */
  private wordOpt(kw: boolean): Word | null {
    const first = this.atom(kw);
    if (first === null) return null;
    const parts: Word[] = [first];
    while (isOp(this.lx.peek(), '^')) {
      this.lx.next();
      const a = this.atom(true);
      if (a === null) this.fail(this.lx.peek());
      parts.push(a);
    }
    if (parts.length === 1) return first;
    return { kind: 'concat', parts, line: first.line };
  }

  private atom(kw: boolean): Word | null {
    const t = this.lx.peek();
    const line = t.line;
    if (t.t === 'word') {
      if (t.kw && !kw) return null;
      this.lx.next();
      return { kind: 'lit', text: t.text, quoted: t.quoted, line };
    }
    if (t.t !== 'op') return null;
    switch (t.op) {
      case '$': {
        this.lx.next();
        const name = this.required1(this.atom(true));
        if (isOp(this.lx.peek(), 'sub')) {
          this.lx.next();
          const sub = this.words();
          this.expectOp(')');
          return { kind: 'var', name, sub, line };
        }
        return { kind: 'var', name, sub: null, line };
      }
      case '$#':
        this.lx.next();
        return { kind: 'count', name: this.required1(this.atom(true)), line };
      case '$"':
        this.lx.next();
        return { kind: 'flat', name: this.required1(this.atom(true)), line };
      case '`': {
        this.lx.next();
        const ifs = isOp(this.lx.peek(), '{') ? null : this.word();
        return { kind: 'backquote', ifs, body: this.brace().body, line };
      }
      case '(': {
        this.lx.next();
        const words = this.words();
        this.expectOp(')');
        return { kind: 'list', words, line };
      }
      case '<{':
      case '>{': {
        this.lx.next();
        const body = this.body('}');
        return { kind: 'pipefd', dir: t.op === '<{' ? '<' : '>', body, line };
      }
      default:
        return null;
    }
  }

  private required1(w: Word | null): Word {
    if (w === null) this.fail(this.lx.peek());
    return w;
  }
}
