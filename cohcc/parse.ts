// The IR's text form, read: a small hand-written lexer and recursive-descent parser. Every
// node keeps its line and column; the first thing that does not fit is one CohccError.
// Literal operands of calls take their types from the callee's signature, fixed up once the
// whole module is read (a function may be called before it is defined).

import { CohccError } from './error.ts';
import type { Block, Data, Func, Inst, Module, Operand, Param, Pos, RetType, Type } from './ir.ts';
import { isBinop, isCmp, isConv, OPS, TYPES } from './ir.ts';
import { SYSCALLS } from './syscalls.ts';

type TokKind = 'ident' | 'var' | 'global' | 'num' | 'str' | 'punct' | 'eof';
interface Tok { kind: TokKind; text: string; pos: Pos; bytes?: Uint8Array }

const PUNCT = ['->', '(', ')', '{', '}', '[', ']', ',', ':', '='];

export function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0, line = 1, col = 1;
  const adv = (n: number): void => {
    for (let k = 0; k < n; k++) { if (src[i] === '\n') { line++; col = 1; } else col++; i++; }
  };
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') { adv(1); continue; }
    if (ch === ';' || ch === '#') { while (i < src.length && src[i] !== '\n') adv(1); continue; }
    const pos = { line, col };
    const p = PUNCT.find((x) => src.startsWith(x, i));
    if (p) { toks.push({ kind: 'punct', text: p, pos }); adv(p.length); continue; }
    if (ch === '"') { const t = lexString(src, i, pos); toks.push(t); adv(t.text.length); continue; }
    const m = /^(?:[%@][A-Za-z0-9_.$]+|-?(?:0x[0-9a-fA-F]+|[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|inf)|[A-Za-z_][A-Za-z0-9_.]*)/.exec(src.slice(i, i + 256));
    if (!m) throw new CohccError(`unexpected character '${ch}'`, pos);
    const text = m[0];
    const kind: TokKind = text[0] === '%' ? 'var' : text[0] === '@' ? 'global' : /^-?[0-9]|^-?inf$/.test(text) ? 'num' : 'ident';
    toks.push({ kind: text === 'nan' ? 'num' : kind, text, pos });
    adv(text.length);
  }
  toks.push({ kind: 'eof', text: 'end of input', pos: { line, col } });
  return toks;
}

function lexString(src: string, start: number, pos: Pos): Tok {
  const out: number[] = [];
  let i = start + 1;
  for (;;) {
    if (i >= src.length || src[i] === '\n') throw new CohccError('unterminated string', pos);
    const c = src[i]!;
    if (c === '"') break;
    if (c === '\\') {
      const e = src[i + 1];
      const simple: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, '"': 34 };
      if (e !== undefined && e in simple) { out.push(simple[e]!); i += 2; continue; }
      if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(src.slice(i + 2, i + 4))) { out.push(parseInt(src.slice(i + 2, i + 4), 16)); i += 4; continue; }
      throw new CohccError(`bad escape '\\${e ?? ''}' in string`, pos);
    }
    for (const b of Buffer.from(c, 'utf8')) out.push(b);
    i++;
  }
  return { kind: 'str', text: src.slice(start, i + 1), pos, bytes: Uint8Array.from(out) };
}

/** A literal's value as a constant of type t (integers wrap to 32 or 64 bits; f64 as written). */
export function literal(text: string, t: Type, pos: Pos): Operand {
  const isFloat = /[.eE]|inf|nan/.test(text) && !/^-?0x/.test(text);
  if (t === 'f64') return { k: 'const', type: t, v: text === 'nan' ? NaN : text.endsWith('inf') ? (text[0] === '-' ? -Infinity : Infinity) : Number(text) };
  if (isFloat) throw new CohccError(`float literal ${text} where ${t} is wanted`, pos);
  const big = text.startsWith('-') ? -BigInt(text.slice(1)) : BigInt(text);
  if (t === 'i64') {
    if (big < -(2n ** 63n) || big >= 2n ** 64n) throw new CohccError(`literal ${text} does not fit in i64`, pos);
    return { k: 'const', type: t, v: BigInt.asIntN(64, big) };
  }
  if (big < -(2n ** 31n) || big >= 2n ** 32n) throw new CohccError(`literal ${text} does not fit in ${t}`, pos);
  return { k: 'const', type: t, v: t === 'ptr' ? Number(BigInt.asUintN(32, big)) : Number(BigInt.asIntN(32, big)) };
}

class Parser {
  private toks: Tok[];
  private i = 0;
  /** Call-argument literals whose type is the callee's parameter type, resolved at the end. */
  private pending: Array<{ inst: Inst; idx: number; text: string; pos: Pos }> = [];

  constructor(src: string) { this.toks = lex(src); }

  private peek(o = 0): Tok { return this.toks[Math.min(this.i + o, this.toks.length - 1)]!; }
  private next(): Tok { return this.toks[this.i++] ?? this.toks[this.toks.length - 1]!; }
  private fail(what: string, t = this.peek()): never { throw new CohccError(`expected ${what}, found '${t.text}'`, t.pos); }
  private is(text: string): boolean { const t = this.peek(); return (t.kind === 'punct' || t.kind === 'ident') && t.text === text; }
  private eat(text: string): Tok { if (!this.is(text)) this.fail(`'${text}'`); return this.next(); }
  private take(kind: TokKind, what: string): Tok { if (this.peek().kind !== kind) this.fail(what); return this.next(); }

  private type(): Type {
    const t = this.peek();
    if (t.kind === 'ident' && (TYPES as readonly string[]).includes(t.text)) { this.next(); return t.text as Type; }
    return this.fail('a type (i32, i64, f64, ptr)');
  }

  module(): Module {
    const m: Module = { data: [], funcs: [] };
    while (this.peek().kind !== 'eof') {
      if (this.is('data')) m.data.push(this.data());
      else if (this.is('func')) m.funcs.push(this.func());
      else this.fail("'data' or 'func'");
    }
    this.resolvePending(m);
    return m;
  }

  private data(): Data {
    const pos = this.eat('data').pos;
    const name = this.take('global', 'a global name (@name)').text.slice(1);
    this.eat('=');
    if (this.is('zero')) {
      this.next();
      const n = this.take('num', 'a size');
      const size = Number(n.text);
      if (!Number.isInteger(size) || size < 0 || size > 1 << 26) throw new CohccError(`bad size ${n.text}`, n.pos);
      return { name, bytes: new Uint8Array(size), pos };
    }
    const s = this.take('str', 'a string or zero N');
    return { name, bytes: s.bytes!, pos };
  }

  private func(): Func {
    const pos = this.eat('func').pos;
    const name = this.take('global', 'a function name (@name)').text.slice(1);
    this.eat('(');
    const params: Param[] = [];
    while (!this.is(')')) {
      if (params.length) this.eat(',');
      const type = this.type();
      params.push({ type, name: this.take('var', 'a parameter name (%name)').text.slice(1) });
    }
    this.eat(')');
    let ret: RetType = 'void';
    if (this.is('->')) { this.next(); ret = this.type(); }
    this.eat('{');
    const blocks: Block[] = [];
    while (!this.is('}')) {
      const l = this.peek();
      if (l.kind !== 'ident' || this.peek(1).text !== ':') {
        if (!blocks.length) this.fail('a block label (name:)');
        blocks[blocks.length - 1]!.insts.push(this.inst());
        continue;
      }
      this.next(); this.next();
      blocks.push({ label: l.text, insts: [], pos: l.pos });
    }
    this.eat('}');
    return { name, params, ret, blocks, pos };
  }

  private label(): string { return this.take('ident', 'a block label').text; }

  private operand(t: Type | undefined, inst?: Inst, idx?: number): Operand {
    const tok = this.next();
    if (tok.kind === 'var') return { k: 'var', name: tok.text.slice(1) };
    if (tok.kind === 'global') return { k: 'data', name: tok.text.slice(1) };
    if (tok.kind === 'num') {
      if (t) return literal(tok.text, t, tok.pos);
      this.pending.push({ inst: inst!, idx: idx!, text: tok.text, pos: tok.pos });
      return { k: 'const', type: 'i32', v: 0 };
    }
    return this.fail('an operand (%var, @data or a number)', tok);
  }

  private inst(): Inst {
    const start = this.peek();
    let dst: string | undefined;
    if (start.kind === 'var') { dst = this.next().text.slice(1); this.eat('='); }
    const opTok = this.take('ident', 'an opcode');
    const op = opTok.text;
    if (!OPS.has(op)) throw new CohccError(`unknown opcode '${op}'`, opTok.pos);
    const pos = start.pos;
    const mk = (type: RetType, args: Operand[], extra: Partial<Inst> = {}): Inst =>
      ({ op: op as Inst['op'], ...(dst !== undefined ? { dst } : {}), type, args, ...extra, pos });
    const needDst = (want: boolean): void => {
      if (want && dst === undefined) throw new CohccError(`${op} needs a destination (%x = ${op} ...)`, pos);
      if (!want && dst !== undefined) throw new CohccError(`${op} has no result`, pos);
    };
    if (isBinop(op) || isCmp(op)) {
      needDst(true);
      const t = this.type();
      const a = this.operand(t); this.eat(',');
      return mk(isCmp(op) ? 'i32' : t, [a, this.operand(t)], isCmp(op) ? { opType: t } : {});
    }
    if (isConv(op)) {
      needDst(true);
      const t = this.type();
      const from: Record<string, Type> = { sext: 'i32', zext: 'i32', trunc: 'i64', itof: 'i32', ftoi: 'f64' };
      return mk(t, [this.operand(from[op])]);
    }
    switch (op) {
      case 'copy': case 'load': { needDst(true); const t = this.type(); return mk(t, [this.operand(op === 'copy' ? t : 'ptr')]); }
      case 'load8': needDst(true); return mk('i32', [this.operand('ptr')]);
      case 'store': { needDst(false); const t = this.type(); const val = this.operand(t); this.eat(','); return mk(t, [val, this.operand('ptr')]); }
      case 'store8': { needDst(false); const val = this.operand('i32'); this.eat(','); return mk('i32', [val, this.operand('ptr')]); }
      case 'offset': { needDst(true); const p = this.operand('ptr'); this.eat(','); return mk('ptr', [p, this.operand('i32')]); }
      case 'alloca': {
        needDst(true);
        const t = this.type();
        let count = 1;
        if (this.is(',')) {
          this.next();
          const n = this.take('num', 'an element count');
          count = Number(n.text);
          if (!Number.isInteger(count) || count < 1 || count > 1 << 24) throw new CohccError(`bad element count ${n.text}`, n.pos);
        }
        return mk(t, [], { count });
      }
      case 'call': {
        let t: RetType = 'void';
        if (dst !== undefined) t = this.type();
        const callee = this.take('global', 'a function name (@f)').text.slice(1);
        const inst = mk(t, [], { callee });
        this.eat('(');
        while (!this.is(')')) {
          if (inst.args.length) this.eat(',');
          inst.args.push(this.operand(undefined, inst, inst.args.length));
        }
        this.eat(')');
        return inst;
      }
      case 'phi': {
        needDst(true);
        const t = this.type();
        const args: Operand[] = [], labels: string[] = [];
        do {
          if (args.length) this.eat(',');
          this.eat('['); args.push(this.operand(t)); this.eat(','); labels.push(this.label()); this.eat(']');
        } while (this.is(','));
        return mk(t, args, { labels });
      }
      case 'br': needDst(false); return mk('void', [], { labels: [this.label()] });
      case 'condbr': {
        needDst(false);
        const c = this.operand('i32'); this.eat(',');
        const a = this.label(); this.eat(',');
        return mk('void', [c], { labels: [a, this.label()] });
      }
      case 'ret': {
        needDst(false);
        const t = this.peek();
        if (t.kind === 'ident' && (TYPES as readonly string[]).includes(t.text)) { const ty = this.type(); return mk(ty, [this.operand(ty)]); }
        return mk('void', []);
      }
      default: needDst(false); return mk('void', []); // nop
    }
  }

  private resolvePending(m: Module): void {
    const sigs = new Map<string, readonly Type[]>(Object.entries(SYSCALLS).map(([n, s]) => [n, s.params]));
    for (const f of m.funcs) sigs.set(f.name, f.params.map((p) => p.type));
    for (const p of this.pending) {
      const params = sigs.get(p.inst.callee!);
      const t = params?.[p.idx];
      // An unknown callee or a surplus argument is the validator's to report; keep the literal as i32.
      p.inst.args[p.idx] = literal(p.text, t ?? 'i32', p.pos);
    }
  }
}

export function parseModule(src: string): Module {
  return new Parser(src).module();
}
