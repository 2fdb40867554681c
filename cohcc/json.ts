// Upstream's JSON form, as input: {schema_version, name, args:[{name,type}], body:[{op,dst,src[]}]}.
// Upstream's variables may be assigned many times, so each becomes an alloca: a definition
// stores, a use loads, and mem2reg makes SSA of it. Opcodes are upstream's (Nop Add Sub Mul
// Div Load Store Jump Branch Call Ret) or any of the text form's, in any case; Label starts
// a block (dst is its name); Jump's src is [label]; Branch's is [cond, then, else]; Call's
// is [callee, args...]. An instruction may give its "type"; otherwise it is its first
// variable operand's (i32 when it has none). A function's "ret" may give its return type.

import { CohccError } from './error.ts';
import type { Block, Func, Inst, Module, Operand, Pos, RetType, Type } from './ir.ts';
import { isBinop, isCmp, isConv, TERMINATORS, TYPES } from './ir.ts';
import { literal } from './parse.ts';
import { SYSCALLS } from './syscalls.ts';

interface JsonInst { op?: unknown; dst?: unknown; src?: unknown; type?: unknown }

const UPSTREAM: Record<string, string> = { jump: 'br', branch: 'condbr', label: 'label' };

/** The line and column of the n-th element of the top-level "body" array (best effort, for messages). */
function bodyPositions(src: string): Pos[] {
  const out: Pos[] = [];
  const key = src.search(/"body"\s*:\s*\[/);
  if (key < 0) return out;
  const at = src.indexOf('[', key);
  let depth = 0, line = 1, col = 1, inStr = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (i >= at) {
      if (inStr) { if (c === '\\') { i++; col++; } else if (c === '"') inStr = false; }
      else if (c === '"') inStr = true;
      else if (c === '[' || c === '{') { if (depth === 1 && c === '{') out.push({ line, col }); depth++; }
      else if (c === ']' || c === '}') { depth--; if (depth === 0) break; }
    }
    if (c === '\n') { line++; col = 1; } else col++;
  }
  return out;
}

export function parseJsonModule(src: string): Module {
  let doc: unknown;
  try { doc = JSON.parse(src); } catch (e) { throw new CohccError(`bad JSON: ${(e as Error).message}`, { line: 1, col: 1 }); }
  const top: Pos = { line: 1, col: 1 };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new CohccError('JSON IR must be an object {schema_version, name, args, body}', top);
  const d = doc as Record<string, unknown>;
  if (d['schema_version'] === undefined) throw new CohccError('JSON IR has no schema_version', top);
  if (typeof d['name'] !== 'string' || !/^[A-Za-z0-9_.$]+$/.test(d['name'])) throw new CohccError('JSON IR needs a function name (letters, digits, _ . $)', top);
  const isType = (t: unknown): t is Type => typeof t === 'string' && (TYPES as readonly string[]).includes(t);
  const args = d['args'] ?? [];
  if (!Array.isArray(args)) throw new CohccError('args must be an array of {name, type}', top);
  const params = args.map((a: unknown, k) => {
    const x = a as Record<string, unknown>;
    if (typeof x?.['name'] !== 'string' || !isType(x['type'])) throw new CohccError(`args[${k}] must be {name, type} with type i32, i64, f64 or ptr`, top);
    return { name: `${x['name']}.arg`, type: x['type'] as Type, src: x['name'] as string };
  });
  const body = d['body'];
  if (!Array.isArray(body)) throw new CohccError('body must be an array of {op, dst, src}', top);
  const where = bodyPositions(src);

  const vars = new Map<string, Type>(params.map((p) => [p.src, p.type]));
  const entry: Inst[] = [];
  const blocks: Block[] = [{ label: 'entry', insts: [], pos: top }];
  let tmp = 0;
  const fresh = (): string => `t${tmp++}`;
  const cur = (): Block => blocks[blocks.length - 1]!;
  const slot = (v: string): string => `${v}.var`;
  const emit = (i: Inst): void => {
    if (TERMINATORS.has(cur().insts[cur().insts.length - 1]?.op ?? '')) blocks.push({ label: `dead${blocks.length}`, insts: [], pos: i.pos });
    cur().insts.push(i);
  };
  const declare = (v: string, t: Type, pos: Pos): void => {
    const old = vars.get(v);
    if (old && old !== t) throw new CohccError(`${v} is ${old}, assigned ${t}`, pos);
    if (!old) vars.set(v, t);
  };
  let ret: RetType | undefined = isType(d['ret']) ? d['ret'] : d['ret'] === 'void' ? 'void' : undefined;

  body.forEach((raw: unknown, n) => {
    const pos = where[n] ?? top;
    const bad = (msg: string): never => { throw new CohccError(msg, pos, { func: d['name'] as string, inst: `body[${n}]` }); };
    const j = raw as JsonInst;
    if (typeof j !== 'object' || j === null || typeof j.op !== 'string') bad('each body entry needs an op');
    const lower = (j.op as string).toLowerCase();
    const op = UPSTREAM[lower] ?? lower;
    const srcs = j.src === undefined ? [] : Array.isArray(j.src) ? j.src.map((s) => (typeof s === 'number' ? String(s) : s)) : bad('src must be an array');
    if (srcs.some((s: unknown) => typeof s !== 'string')) bad('src entries are names or numbers');
    const dst = j.dst === undefined ? undefined : typeof j.dst === 'string' ? j.dst : bad('dst must be a name');
    const isNum = (s: string): boolean => /^-?(?:0x[0-9a-fA-F]+|[0-9]|inf|nan)/.test(s);
    const given = j.type === undefined ? undefined : isType(j.type) ? j.type : bad(`unknown type ${String(j.type)}`);
    const firstVar = (srcs as string[]).find((s) => !isNum(s) && vars.has(s));
    const t: Type = given ?? (firstVar ? vars.get(firstVar)! : 'i32');
    const use = (s: string, want: Type): Operand => {
      if (isNum(s)) return literal(s, want, pos);
      if (!vars.has(s)) bad(`use of ${s} before any assignment`);
      const x = fresh();
      emit({ op: 'load', dst: x, type: vars.get(s)!, args: [{ k: 'var', name: slot(s) }], pos });
      return { k: 'var', name: x };
    };
    const def = (type: Type, make: (x: string) => Inst): void => {
      if (dst === undefined) bad(`${j.op} needs a dst`);
      const x = fresh();
      emit(make(x));
      declare(dst!, type, pos);
      emit({ op: 'store', type, args: [{ k: 'var', name: x }, { k: 'var', name: slot(dst!) }], pos });
    };
    const need = (k: number): void => { if (srcs.length !== k) bad(`${j.op} takes ${k} src operand${k === 1 ? '' : 's'}`); };
    const s = srcs as string[];
    if (isBinop(op)) { need(2); def(t, (x) => ({ op, dst: x, type: t, args: [use(s[0]!, t), use(s[1]!, t)], pos })); return; }
    if (isCmp(op)) { need(2); def('i32', (x) => ({ op, dst: x, type: 'i32', opType: t, args: [use(s[0]!, t), use(s[1]!, t)], pos })); return; }
    if (isConv(op)) {
      need(1);
      if (!given) bad(`${j.op} needs a "type" (the result's)`);
      const from: Type = firstVar ? vars.get(firstVar)! : op === 'trunc' ? 'i64' : op === 'ftoi' ? 'f64' : 'i32';
      def(given!, (x) => ({ op, dst: x, type: given!, args: [use(s[0]!, from)], pos }));
      return;
    }
    switch (op) {
      case 'nop': emit({ op: 'nop', type: 'void', args: [], pos }); return;
      case 'copy': case 'mov': need(1); def(t, (x) => ({ op: 'copy', dst: x, type: t, args: [use(s[0]!, t)], pos })); return;
      case 'load': need(1); def(given ?? 'i32', (x) => ({ op: 'load', dst: x, type: given ?? 'i32', args: [use(s[0]!, 'ptr')], pos })); return;
      case 'store': {
        need(2);
        const vt = given ?? (isNum(s[0]!) ? 'i32' : vars.get(s[0]!) ?? bad(`use of ${s[0]} before any assignment`));
        emit({ op: 'store', type: vt, args: [use(s[0]!, vt), use(s[1]!, 'ptr')], pos });
        return;
      }
      case 'label':
        if (typeof dst !== 'string' || !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(dst)) bad('Label needs a dst naming the block');
        if (blocks.some((b) => b.label === dst)) bad(`label ${dst} used twice`);
        if (!TERMINATORS.has(cur().insts[cur().insts.length - 1]?.op ?? '')) cur().insts.push({ op: 'br', type: 'void', args: [], labels: [dst!], pos });
        blocks.push({ label: dst!, insts: [], pos });
        return;
      case 'br': need(1); emit({ op: 'br', type: 'void', args: [], labels: [s[0]!], pos }); return;
      case 'condbr': need(3); emit({ op: 'condbr', type: 'void', args: [use(s[0]!, 'i32')], labels: [s[1]!, s[2]!], pos }); return;
      case 'ret': {
        if (s.length > 1) bad('Ret takes at most one src operand');
        const rt: RetType = s.length ? (given ?? (isNum(s[0]!) ? 'i32' : vars.get(s[0]!) ?? 'i32')) : 'void';
        if (ret === undefined) ret = rt;
        if (rt !== ret) bad(`returns ${rt} from a function returning ${ret}`);
        emit({ op: 'ret', type: rt, args: s.length ? [use(s[0]!, rt as Type)] : [], pos });
        return;
      }
      case 'call': {
        if (!s.length) bad('Call needs the callee as its first src');
        const callee = s[0]!.replace(/^@/, '');
        const sig = SYSCALLS[callee] ?? (callee === d['name'] ? { params: params.map((p) => p.type), ret: ret ?? 'i32' } : undefined);
        if (!sig) bad(`call of unknown function ${callee}`);
        if (s.length - 1 !== sig!.params.length) bad(`${callee} takes ${sig!.params.length} arguments`);
        const a = s.slice(1).map((x, k) => use(x, sig!.params[k]!));
        if (dst === undefined || sig!.ret === 'void') { emit({ op: 'call', type: 'void', args: a, callee, pos }); return; }
        def(sig!.ret as Type, (x) => ({ op: 'call', dst: x, type: sig!.ret, args: a, callee, pos }));
        return;
      }
      default: bad(`unknown opcode '${j.op}'`);
    }
  });
  const fret: RetType = ret ?? 'void';
  if (!TERMINATORS.has(cur().insts[cur().insts.length - 1]?.op ?? '')) {
    cur().insts.push(fret === 'void' ? { op: 'ret', type: 'void', args: [], pos: top } : { op: 'ret', type: fret, args: [literal('0', fret, top)], pos: top });
  }
  for (const [v, t] of vars) entry.push({ op: 'alloca', dst: slot(v), type: t, args: [], count: 1, pos: top });
  for (const p of params) entry.push({ op: 'store', type: p.type, args: [{ k: 'var', name: p.name }, { k: 'var', name: slot(p.src) }], pos: top });
  blocks[0]!.insts.unshift(...entry);
  const f: Func = { name: d['name'] as string, params: params.map((p) => ({ name: p.name, type: p.type })), ret: fret, blocks, pos: top };
  return { data: [], funcs: [f] };
}
