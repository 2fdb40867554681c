// awk expressions, by recursive descent over POSIX's precedence, lowest first:
//   = += ...  ?:  ||  &&  in  ~ !~  < <= == != > >=  concatenation  + -  * / %
//   unary ! - +  ^ (right)  ++ --  $  (grouping)
// Inside a print's argument list (noGt) a bare '>' is redirection, not comparison; within
// parentheses, brackets and call arguments it compares again. `cmd | getline` binds
// tighter than comparison and looser than concatenation.

import type { Expr, LValue, VarRef } from './ast.ts';
import { AwkSyntaxError } from './lexer.ts';
import type { Token, TokType } from './lexer.ts';

const ASSIGN = new Set<TokType>(['=', '+=', '-=', '*=', '/=', '%=', '^=']);
const COMPARE = new Set<TokType>(['<', '<=', '==', '!=', '>', '>=']);
/** Tokens that may begin an operand of a concatenation (not + or -: those are binary there). */
const CONCAT_START = new Set<TokType>(['num', 'str', 'ere', 'name', 'funcname', 'builtin', '$', '!', '(', '++', '--']);

export function isLValue(e: Expr): e is LValue {
  return e.k === 'var' || e.k === 'index' || e.k === 'field';
}

export class ExprParser {
  protected readonly toks: Token[];
  protected pos = 0;
  /** The parameters of the function being parsed (its locals). */
  protected params: string[] | undefined;
  /** A bare '>' ends the expression (print's arguments). */
  protected noGt = false;
  usesEnviron = false;
  readonly calls: Array<{ name: string; line: number }> = [];

  constructor(toks: Token[]) { this.toks = toks; }

  protected peek(o = 0): Token { return this.toks[Math.min(this.pos + o, this.toks.length - 1)]!; }
  protected at(t: TokType): boolean { return this.peek().t === t; }
  protected next(): Token { return this.toks[Math.min(this.pos++, this.toks.length - 1)]!; }
  protected eat(t: TokType): boolean {
    if (!this.at(t)) return false;
    this.pos++;
    return true;
  }
  protected fail(what?: string): never {
    const t = this.peek();
    throw new AwkSyntaxError(what ?? `unexpected ${t.t === 'newline' ? 'newline' : t.t === 'eof' ? 'end of program' : `'${t.v || t.t}'`}`, t.line);
  }
  protected expect(t: TokType): Token {
    if (!this.at(t)) this.fail(`expected '${t}'`);
    return this.next();
  }
  protected optNewlines(): void { while (this.at('newline')) this.pos++; }

  /** Parse with '>' a comparison again (inside brackets of any kind). */
  protected nested<T>(f: () => T): T {
    const saved = this.noGt;
    this.noGt = false;
    try { return f(); } finally { this.noGt = saved; }
  }

  protected varRef(name: string): VarRef {
    if (name === 'ENVIRON') this.usesEnviron = true;
    return { k: 'var', name, local: this.params ? this.params.indexOf(name) : -1 };
  }

  expr(): Expr {
    const lhs = this.ternary();
    if (isLValue(lhs) && ASSIGN.has(this.peek().t)) {
      const op = this.next().t as '=';
      this.optNewlines();
      return { k: 'assign', op, target: lhs, e: this.expr() };
    }
    return lhs;
  }

  protected ternary(): Expr {
    const c = this.or();
    if (!this.eat('?')) return c;
    this.optNewlines();
    const a = this.expr();
    this.optNewlines();
    this.expect(':');
    this.optNewlines();
    return { k: 'cond', c, a, b: this.expr() };
  }

  protected or(): Expr {
    let l = this.and();
    while (this.eat('||')) l = { k: 'or', l, r: this.and() };
    return l;
  }

  protected and(): Expr {
    let l = this.inExpr();
    while (this.eat('&&')) l = { k: 'and', l, r: this.inExpr() };
    return l;
  }

  protected inExpr(): Expr {
    let l = this.matchExpr();
    while (this.eat('in')) l = { k: 'in', subs: [l], arr: this.varRef(this.expect('name').v) };
    return l;
  }

  protected matchExpr(): Expr {
    let l = this.comparison();
    while (this.at('~') || this.at('!~')) {
      const neg = this.next().t === '!~';
      l = { k: 'match', neg, l, re: this.comparison() };
    }
    return l;
  }

  protected comparison(): Expr {
    const l = this.pipeGetline();
    const t = this.peek().t;
    if (!COMPARE.has(t) || (t === '>' && this.noGt)) return l;
    this.next();
    return { k: 'cmp', op: t as '<', l, r: this.pipeGetline() };
  }

  protected pipeGetline(): Expr {
    let l = this.concat();
    while (this.at('|') && this.peek(1).t === 'getline') {
      this.pos += 2;
      l = { k: 'getline', cmd: l, file: undefined, target: this.optLValue() };
    }
    return l;
  }

  protected concat(): Expr {
    let l = this.additive();
    while (CONCAT_START.has(this.peek().t)) l = { k: 'concat', l, r: this.additive() };
    return l;
  }

  protected additive(): Expr {
    let l = this.mul();
    while (this.at('+') || this.at('-')) {
      const op = this.next().t as '+';
      l = { k: 'arith', op, l, r: this.mul() };
    }
    return l;
  }

  protected mul(): Expr {
    let l = this.unary();
    while (this.at('*') || this.at('/') || this.at('%')) {
      const op = this.next().t as '*';
      l = { k: 'arith', op, l, r: this.unary() };
    }
    return l;
  }

  protected unary(): Expr {
    if (this.eat('!')) return { k: 'not', e: this.unary() };
    if (this.eat('-')) return { k: 'neg', e: this.unary() };
    if (this.eat('+')) return { k: 'plus', e: this.unary() };
    return this.power();
  }

  protected power(): Expr {
    const base = this.postfix();
    if (!this.eat('^')) return base;
    return { k: 'arith', op: '^', l: base, r: this.powerRhs() };
  }

  /** The exponent: it may carry a sign (2^-1), and ^ groups to the right. */
  protected powerRhs(): Expr {
    if (this.eat('-')) return { k: 'neg', e: this.powerRhs() };
    if (this.eat('+')) return { k: 'plus', e: this.powerRhs() };
    if (this.eat('!')) return { k: 'not', e: this.powerRhs() };
    return this.power();
  }

  protected postfix(): Expr {
    const e = this.primary();
    if (isLValue(e) && (this.at('++') || this.at('--'))) return { k: 'incr', delta: this.next().t === '++' ? 1 : -1, prefix: false, target: e };
    return e;
  }

  /** What follows '$': a primary, or ++/--/- applied to one. */
  protected fieldOperand(): Expr {
    if (this.at('++') || this.at('--')) {
      const delta = this.next().t === '++' ? 1 : -1;
      return { k: 'incr', delta, prefix: true, target: this.lvalueOf(this.primary()) };
    }
    if (this.eat('-')) return { k: 'neg', e: this.fieldOperand() };
    return this.primary();
  }

  protected lvalueOf(e: Expr): LValue {
    if (!isLValue(e)) this.fail('expected a variable, array element or field');
    return e;
  }

  /** getline's optional target. */
  protected optLValue(): LValue | undefined {
    if (this.at('$')) { this.next(); return { k: 'field', e: this.fieldOperand() }; }
    if (!this.at('name')) return undefined;
    return this.lvalueOf(this.primary());
  }

  protected exprList(end: TokType): Expr[] {
    return this.nested(() => {
      const out: Expr[] = [];
      this.optNewlines();
      if (this.eat(end)) return out;
      for (;;) {
        out.push(this.expr());
        this.optNewlines();
        if (this.eat(end)) return out;
        this.expect(',');
      }
    });
  }

  protected primary(): Expr {
    const t = this.next();
    switch (t.t) {
      case 'num': return { k: 'num', v: Number(t.v) };
      case 'str': return { k: 'str', v: t.v };
      case 'ere': return { k: 'regex', src: t.v };
      case '$': return { k: 'field', e: this.fieldOperand() };
      case '++': case '--':
        return { k: 'incr', delta: t.t === '++' ? 1 : -1, prefix: true, target: this.lvalueOf(this.primary()) };
      case '-': return { k: 'neg', e: this.unary() };
      case '+': return { k: 'plus', e: this.unary() };
      case '!': return { k: 'not', e: this.unary() };
      case '(': {
        const list = this.nested(() => {
          const first = [this.expr()];
          this.optNewlines();
          while (this.eat(',')) { this.optNewlines(); first.push(this.expr()); this.optNewlines(); }
          this.expect(')');
          return first;
        });
        if (list.length > 1) {
          if (!this.eat('in')) this.fail('expected in after a parenthesised list');
          return { k: 'in', subs: list, arr: this.varRef(this.expect('name').v) };
        }
        return { k: 'group', e: list[0]! };
      }
      case 'name': {
        const arr = this.varRef(t.v);
        if (this.eat('[')) return { k: 'index', arr, subs: this.exprList(']') };
        return arr;
      }
      case 'funcname': {
        this.expect('(');
        this.calls.push({ name: t.v, line: t.line });
        return { k: 'call', name: t.v, args: this.exprList(')'), line: t.line };
      }
      case 'builtin':
        if (this.eat('(')) return { k: 'builtin', name: t.v, args: this.exprList(')') };
        if (t.v !== 'length') this.fail(`expected '(' after ${t.v}`);
        return { k: 'builtin', name: t.v, args: [] };
      case 'getline': {
        const target = this.optLValue();
        const file = this.eat('<') ? this.postfix() : undefined;
        return { k: 'getline', target, file, cmd: undefined };
      }
      default:
        this.pos--;
        return this.fail();
    }
  }
}
