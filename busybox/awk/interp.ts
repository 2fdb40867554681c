// The awk interpreter: expressions and statements walked over the tree, asynchronously
// (getline, print to a command, system() and user functions may wait on the kernel).
// Statements return a completion code; next and exit inside a function unwind the calls as a
// Jump. Evaluation order is left to right, as in the one true awk.

import type { Cmd } from '../io.ts';
import type { Expr, LValue, Program, Stmt } from './ast.ts';
import { callBuiltin, formatValues } from './builtins.ts';
import type { RecordReader } from './record.ts';
import { AwkError, Cell, Runtime } from './runtime.ts';
import type { Place } from './runtime.ts';
import { compare, strnum, toBool, toNum, UNINIT } from './value.ts';
import type { Value } from './value.ts';

/** How a statement ended. */
export const NORMAL = 0, BREAK = 1, CONTINUE = 2, NEXT = 3, EXIT = 4, RETURN = 5, NEXTFILE = 6;

/** next, nextfile or exit leaving a function call. */
export class Jump extends Error {
  readonly code: number;
  constructor(code: number) { super('jump'); this.code = code; }
}

const MAX_DEPTH = 1000;

/** Where the main input comes from: the interpreter asks for records, and getline does too. */
export interface MainInput {
  next(): Promise<string | undefined>;
  skipFile(): Promise<void>;
}

export class Interp extends Runtime {
  readonly prog: Program;
  input: MainInput | undefined;
  exitCode = 0;
  #retval: Value = UNINIT;
  #depth = 0;
  #seed = 0;
  #prevSeed = 0;

  constructor(c: Cmd, prog: Program) {
    super(c);
    this.prog = prog;
  }

  format(vals: Value[]): string { return formatValues(vals, (v) => this.str(v)); }

  // rand(): a 48-bit linear congruential generator, as drand48, seeded by srand.
  rand(): number {
    this.#seed = (this.#seed * 0x5deece66d + 0xb) % 2 ** 48;
    return this.#seed / 2 ** 48;
  }

  srand(seed: number): number {
    const prev = this.#prevSeed;
    this.#prevSeed = seed;
    this.#seed = (Math.trunc(seed) * 65536 + 0x330e) % 2 ** 48;
    return prev;
  }

  /** The source of a regular expression argument: a /literal/, or any value as a string. */
  async regexSource(e: Expr): Promise<string> {
    return e.k === 'regex' ? e.src : this.str(await this.ev(e));
  }

  async key(subs: Expr[]): Promise<string> {
    if (subs.length === 1) return this.subscript(await this.ev(subs[0]!));
    const parts: string[] = [];
    for (const s of subs) parts.push(this.subscript(await this.ev(s)));
    return parts.join(this.str(this.SUBSEP.v));
  }

  async place(lv: LValue): Promise<Place> {
    switch (lv.k) {
      case 'var': return this.placeOfVar(lv);
      case 'index': return this.placeOfElem(lv, await this.key(lv.subs));
      case 'field': return { k: 'field', i: this.fieldIndex(await this.ev(lv.e)) };
    }
  }

  async ev(e: Expr): Promise<Value> {
    switch (e.k) {
      case 'num': return e.v;
      case 'str': return e.v;
      case 'regex': return this.regs.get(e.src).test(this.record) ? 1 : 0;
      case 'group': return this.ev(e.e);
      case 'var': return this.readVar(e);
      case 'index': case 'field': return this.get(await this.place(e));
      case 'assign': {
        const p = await this.place(e.target);
        if (e.op === '=') {
          const v = await this.ev(e.e);
          this.set(p, v);
          return v;
        }
        const rhs = toNum(await this.ev(e.e));
        const v = this.arith(e.op[0] as '+', toNum(this.get(p)), rhs);
        this.set(p, v);
        return v;
      }
      case 'cond': return toBool(await this.ev(e.c)) ? this.ev(e.a) : this.ev(e.b);
      case 'and': return toBool(await this.ev(e.l)) && toBool(await this.ev(e.r)) ? 1 : 0;
      case 'or': return toBool(await this.ev(e.l)) || toBool(await this.ev(e.r)) ? 1 : 0;
      case 'not': return toBool(await this.ev(e.e)) ? 0 : 1;
      case 'neg': return -toNum(await this.ev(e.e));
      case 'plus': return toNum(await this.ev(e.e));
      case 'arith': {
        const l = toNum(await this.ev(e.l));
        return this.arith(e.op, l, toNum(await this.ev(e.r)));
      }
      case 'cmp': {
        const l = await this.ev(e.l);
        const d = compare(l, await this.ev(e.r), this.convfmt());
        switch (e.op) {
          case '<': return d < 0 ? 1 : 0;
          case '<=': return d <= 0 ? 1 : 0;
          case '==': return d === 0 ? 1 : 0;
          case '!=': return d !== 0 ? 1 : 0;
          case '>': return d > 0 ? 1 : 0;
          case '>=': return d >= 0 ? 1 : 0;
        }
        return 0;
      }
      case 'match': {
        const s = this.str(await this.ev(e.l));
        return this.regs.get(await this.regexSource(e.re)).test(s) !== e.neg ? 1 : 0;
      }
      case 'concat': {
        const l = this.str(await this.ev(e.l));
        return l + this.str(await this.ev(e.r));
      }
      case 'in': return this.array(e.arr).has(await this.key(e.subs)) ? 1 : 0;
      case 'incr': {
        const p = await this.place(e.target);
        const old = toNum(this.get(p));
        this.set(p, old + e.delta);
        return e.prefix ? old + e.delta : old;
      }
      case 'call': return this.call(e.name, e.args);
      case 'builtin': return callBuiltin(this, e.name, e.args);
      case 'getline': return this.getline(e.target, e.file, e.cmd);
    }
  }

  arith(op: '+' | '-' | '*' | '/' | '%' | '^', a: number, b: number): number {
    switch (op) {
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      case '/':
        if (b === 0) throw new AwkError('division by zero');
        return a / b;
      case '%':
        if (b === 0) throw new AwkError('division by zero in %');
        return a % b;
      case '^': return a ** b;
    }
  }

  async call(name: string, args: Expr[]): Promise<Value> {
    const f = this.prog.funcs.get(name)!;
    if (args.length > f.params.length) throw new AwkError(`function ${name} called with ${args.length} args, accepts only ${f.params.length}`);
    if (this.#depth >= MAX_DEPTH) throw new AwkError(`function ${name}: calls nested deeper than ${MAX_DEPTH}`);
    const frame = f.params.map(() => new Cell());
    for (const [i, a] of args.entries()) {
      if (a.k === 'var' && !(a.local < 0 && a.name === 'NF')) {
        // Arrays go by reference; an untyped variable may become one in the callee.
        const c = this.cell(a);
        if (c.arr) frame[i]!.arr = c.arr;
        else if (c.v === UNINIT) frame[i]!.ref = c;
        else frame[i]!.v = c.v;
      } else frame[i]!.v = await this.ev(a);
    }
    const saved = this.frame;
    this.frame = frame;
    this.#depth++;
    let code: number;
    try { code = await this.execAll(f.body); } finally { this.frame = saved; this.#depth--; }
    if (code === NEXT || code === EXIT || code === NEXTFILE) throw new Jump(code);
    if (code !== RETURN) return UNINIT;
    const v = this.#retval;
    this.#retval = UNINIT;
    return v;
  }

  async getline(target: LValue | undefined, file: Expr | undefined, cmd: Expr | undefined): Promise<Value> {
    let rec: string | undefined;
    if (file || cmd) {
      const name = this.str(await this.ev((file ?? cmd)!));
      const r: RecordReader | undefined = await this.streams.input(file ? 'file' : 'cmd', name);
      if (!r) return -1;
      rec = await r.next(this.str(this.RS.v), this.regs);
    } else {
      if (!this.input) return 0;
      rec = await this.input.next();
    }
    if (rec === undefined) return 0;
    if (!file) this.NR.v = toNum(this.NR.v) + 1;
    if (!file && !cmd) this.FNR.v = toNum(this.FNR.v) + 1;
    if (target) this.set(await this.place(target), strnum(rec));
    else this.setRecord(rec);
    return 1;
  }

  async execAll(body: Stmt[]): Promise<number> {
    for (const s of body) {
      const r = await this.exec(s);
      if (r !== NORMAL) return r;
    }
    return NORMAL;
  }

  async exec(s: Stmt): Promise<number> {
    switch (s.k) {
      case 'expr': await this.ev(s.e); return NORMAL;
      case 'print': case 'printf': {
        let text: string;
        if (s.k === 'printf') {
          const vals: Value[] = [];
          for (const a of s.args) vals.push(await this.ev(a));
          text = this.format(vals);
        } else if (s.args.length === 0) text = this.record + this.str(this.ORS.v);
        else {
          const parts: string[] = [];
          for (const a of s.args) parts.push(this.outStr(await this.ev(a)));
          text = parts.join(this.str(this.OFS.v)) + this.str(this.ORS.v);
        }
        const out = s.dest ? await this.streams.output(s.dest.mode, this.str(await this.ev(s.dest.e))) : this.c.out;
        await out.bytes(text);
        return NORMAL;
      }
      case 'if':
        if (toBool(await this.ev(s.c))) return this.exec(s.then);
        return s.else ? this.exec(s.else) : NORMAL;
      case 'while':
        while (toBool(await this.ev(s.c))) {
          const r = await this.exec(s.body);
          if (r === BREAK) break;
          if (r !== NORMAL && r !== CONTINUE) return r;
        }
        return NORMAL;
      case 'do':
        do {
          const r = await this.exec(s.body);
          if (r === BREAK) break;
          if (r !== NORMAL && r !== CONTINUE) return r;
        } while (toBool(await this.ev(s.c)));
        return NORMAL;
      case 'for':
        if (s.init) await this.ev(s.init);
        while (!s.c || toBool(await this.ev(s.c))) {
          const r = await this.exec(s.body);
          if (r === BREAK) break;
          if (r !== NORMAL && r !== CONTINUE) return r;
          if (s.step) await this.ev(s.step);
        }
        return NORMAL;
      case 'forin': {
        const arr = this.array(s.arr);
        for (const k of [...arr.keys()]) {
          if (!arr.has(k)) continue;
          this.set(await this.place(s.v), k);
          const r = await this.exec(s.body);
          if (r === BREAK) break;
          if (r !== NORMAL && r !== CONTINUE) return r;
        }
        return NORMAL;
      }
      case 'block': return this.execAll(s.body);
      case 'next': return NEXT;
      case 'nextfile': return NEXTFILE;
      case 'break': return BREAK;
      case 'continue': return CONTINUE;
      case 'exit':
        if (s.e) this.exitCode = Math.trunc(toNum(await this.ev(s.e)));
        return EXIT;
      case 'return':
        this.#retval = s.e ? await this.ev(s.e) : UNINIT;
        return RETURN;
      case 'delete': {
        const arr = this.array(s.arr);
        if (s.subs) arr.delete(await this.key(s.subs));
        else arr.clear();
        return NORMAL;
      }
    }
  }
}
