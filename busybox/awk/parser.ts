// awk programs and statements: pattern-action items, BEGIN and END, function definitions,
// and the statements of actions. A simple statement ends at ';', a newline or a '}'. print's
// parenthesised argument list, print (a, b) > "f", is told from a parenthesised first
// argument, print (a)(b), by what follows the ')'.

import type { Expr, Func, Item, Program, Redirect, Stmt } from './ast.ts';
import { AwkSyntaxError, lex } from './lexer.ts';
import type { TokType } from './lexer.ts';
import { ExprParser, isLValue } from './parse-expr.ts';

/** Tokens that end a simple statement, or the argument list of a print. */
const ENDS = new Set<TokType>([';', 'newline', '}', 'eof']);

class Parser extends ExprParser {
  program(): Program {
    const prog: Program = { begin: [], end: [], items: [], funcs: new Map(), usesEnviron: false };
    for (;;) {
      while (this.eat('newline') || this.eat(';'));
      if (this.at('eof')) break;
      if (this.eat('BEGIN')) { this.optNewlines(); prog.begin.push(this.block()); continue; }
      if (this.eat('END')) { this.optNewlines(); prog.end.push(this.block()); continue; }
      if (this.eat('function')) { this.func(prog); continue; }
      prog.items.push(this.item());
    }
    for (const c of this.calls) if (!prog.funcs.has(c.name)) throw new AwkSyntaxError(`calling undefined function ${c.name}`, c.line);
    prog.usesEnviron = this.usesEnviron;
    return prog;
  }

  private func(prog: Program): void {
    const t = this.next();
    if (t.t !== 'name' && t.t !== 'funcname') this.fail('expected a function name');
    if (prog.funcs.has(t.v)) throw new AwkSyntaxError(`function ${t.v} redefined`, t.line);
    this.expect('(');
    const params: string[] = [];
    this.optNewlines();
    if (!this.eat(')')) {
      for (;;) {
        params.push(this.expect('name').v);
        this.optNewlines();
        if (this.eat(')')) break;
        this.expect(',');
      }
    }
    this.optNewlines();
    this.params = params;
    try {
      const f: Func = { name: t.v, params, body: this.block() };
      prog.funcs.set(t.v, f);
    } finally { this.params = undefined; }
  }

  private item(): Item {
    let pattern: Expr | undefined;
    let end: Expr | undefined;
    if (!this.at('{')) {
      pattern = this.expr();
      if (this.eat(',')) { this.optNewlines(); end = this.expr(); }
    }
    if (this.at('{')) return { pattern, end, action: this.block() };
    if (!ENDS.has(this.peek().t)) this.fail();
    return { pattern, end, action: undefined };
  }

  /** { statements } */
  private block(): Stmt[] {
    this.expect('{');
    const body: Stmt[] = [];
    for (;;) {
      while (this.eat('newline') || this.eat(';'));
      if (this.eat('}')) return body;
      if (this.at('eof')) this.fail("missing '}'");
      body.push(this.stmt());
    }
  }

  private terminator(): void {
    if (this.eat(';') || this.eat('newline')) return;
    if (this.at('}') || this.at('eof')) return;
    this.fail();
  }

  /** A statement as the body of if, while or for: may be an empty ';'. */
  private body(): Stmt {
    this.optNewlines();
    if (this.eat(';')) return { k: 'block', body: [] };
    return this.stmt();
  }

  private stmt(): Stmt {
    const t = this.peek();
    switch (t.t) {
      case '{': return { k: 'block', body: this.block() };
      case 'if': {
        this.next();
        this.expect('(');
        const c = this.nested(() => this.expr());
        this.expect(')');
        const then = this.body();
        const save = this.pos;
        while (this.eat('newline') || this.eat(';'));
        if (this.eat('else')) return { k: 'if', c, then, else: this.body() };
        this.pos = save;
        return { k: 'if', c, then, else: undefined };
      }
      case 'while': {
        this.next();
        this.expect('(');
        const c = this.nested(() => this.expr());
        this.expect(')');
        if (this.eat(';')) return { k: 'while', c, body: { k: 'block', body: [] } };
        return { k: 'while', c, body: this.body() };
      }
      case 'do': {
        this.next();
        const body = this.body();
        while (this.eat('newline') || this.eat(';'));
        this.expect('while');
        this.expect('(');
        const c = this.nested(() => this.expr());
        this.expect(')');
        this.terminator();
        return { k: 'do', body, c };
      }
      case 'for': return this.forStmt();
      case ';': this.next(); return { k: 'block', body: [] };
      default: {
        const s = this.simple();
        this.terminator();
        return s;
      }
    }
  }

  private forStmt(): Stmt {
    this.next();
    this.expect('(');
    if (this.at('name') && this.peek(1).t === 'in' && this.peek(2).t === 'name' && this.peek(3).t === ')') {
      const v = this.varRef(this.next().v);
      this.next();
      const arr = this.varRef(this.next().v);
      this.next();
      return { k: 'forin', v, arr, body: this.body() };
    }
    return this.nested(() => {
      const init = this.at(';') ? undefined : this.expr();
      this.expect(';');
      this.optNewlines();
      const c = this.at(';') ? undefined : this.expr();
      this.expect(';');
      this.optNewlines();
      const step = this.at(')') ? undefined : this.expr();
      this.expect(')');
      return { k: 'for', init, c, step, body: this.body() } as Stmt;
    });
  }

  private simple(): Stmt {
    const t = this.next();
    switch (t.t) {
      case 'print': case 'printf': {
        const args = this.printArgs();
        if (t.t === 'printf' && args.length === 0) this.fail('printf needs a format');
        return { k: t.t, args, dest: this.redirect() };
      }
      case 'next': case 'nextfile': case 'break': case 'continue': return { k: t.t };
      case 'exit': case 'return':
        return { k: t.t, e: ENDS.has(this.peek().t) ? undefined : this.expr() };
      case 'delete': {
        const arr = this.varRef(this.expect('name').v);
        return { k: 'delete', arr, subs: this.eat('[') ? this.exprList(']') : undefined };
      }
      default:
        this.pos--;
        return { k: 'expr', e: this.expr() };
    }
  }

  private printArgs(): Expr[] {
    const t = this.peek().t;
    if (ENDS.has(t) || t === '>' || t === '>>' || t === '|') return [];
    if (t === '(') {
      const save = this.pos;
      try {
        this.next();
        const list = this.exprList(')');
        const after = this.peek().t;
        if (ENDS.has(after) || after === '>' || after === '>>' || after === '|') return list;
      } catch (e) { if (!(e instanceof AwkSyntaxError)) throw e; }
      this.pos = save;
    }
    const saved = this.noGt;
    this.noGt = true;
    try {
      const out = [this.expr()];
      while (this.eat(',')) { this.optNewlines(); out.push(this.expr()); }
      return out;
    } finally { this.noGt = saved; }
  }

  private redirect(): Redirect | undefined {
    const t = this.peek().t;
    if (t !== '>' && t !== '>>' && t !== '|') return undefined;
    this.next();
    const saved = this.noGt;
    this.noGt = true;
    try { return { mode: t, e: this.concat() }; } finally { this.noGt = saved; }
  }
}

/** Parse a program's text (a byte string). Throws AwkSyntaxError. */
export function parse(src: string): Program {
  return new Parser(lex(src)).program();
}

export { isLValue };
