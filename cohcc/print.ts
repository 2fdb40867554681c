// The IR's text form, written: what parse.ts reads (print(parse(x)) is a fixed point), and
// what golden files, --emit ir and error messages show.

import type { Func, Inst, Module, Operand } from './ir.ts';

export function operandText(o: Operand): string {
  if (o.k === 'var') return `%${o.name}`;
  if (o.k === 'data') return `@${o.name}`;
  if (typeof o.v === 'bigint') return o.v.toString();
  if (o.type !== 'f64') return String(o.v);
  if (Number.isNaN(o.v)) return 'nan';
  if (!Number.isFinite(o.v)) return o.v > 0 ? 'inf' : '-inf';
  const s = Object.is(o.v, -0) ? '-0.0' : String(o.v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

export function bytesText(b: Uint8Array): string {
  let s = '"';
  for (const c of b) {
    if (c === 10) s += '\\n';
    else if (c === 9) s += '\\t';
    else if (c === 34 || c === 92) s += '\\' + String.fromCharCode(c);
    else if (c >= 32 && c < 127) s += String.fromCharCode(c);
    else s += '\\x' + c.toString(16).padStart(2, '0');
  }
  return s + '"';
}

export function instText(i: Inst): string {
  const d = i.dst !== undefined ? `%${i.dst} = ` : '';
  const a = i.args.map(operandText);
  switch (i.op) {
    case 'store': return `store ${i.type} ${a[0]}, ${a[1]}`;
    case 'store8': return `store8 ${a[0]}, ${a[1]}`;
    case 'load8': return `${d}load8 ${a[0]}`;
    case 'offset': return `${d}offset ${a[0]}, ${a[1]}`;
    case 'alloca': return `${d}alloca ${i.type}${i.count !== undefined && i.count !== 1 ? `, ${i.count}` : ''}`;
    case 'call': return `${d}call ${i.dst !== undefined ? i.type + ' ' : ''}@${i.callee}(${a.join(', ')})`;
    case 'phi': return `${d}phi ${i.type} ${a.map((x, k) => `[${x}, ${i.labels![k]}]`).join(', ')}`;
    case 'br': return `br ${i.labels![0]}`;
    case 'condbr': return `condbr ${a[0]}, ${i.labels![0]}, ${i.labels![1]}`;
    case 'ret': return i.type === 'void' ? 'ret' : `ret ${i.type} ${a[0]}`;
    case 'nop': return 'nop';
    default: return `${d}${i.op} ${i.opType ?? i.type} ${a.join(', ')}`;
  }
}

export function funcText(f: Func): string {
  const params = f.params.map((p) => `${p.type} %${p.name}`).join(', ');
  const lines = [`func @${f.name}(${params})${f.ret === 'void' ? '' : ` -> ${f.ret}`} {`];
  for (const b of f.blocks) {
    lines.push(`${b.label}:`);
    for (const i of b.insts) lines.push(`  ${instText(i)}`);
  }
  lines.push('}');
  return lines.join('\n');
}

export function printModule(m: Module): string {
  const parts: string[] = [];
  for (const d of m.data) {
    const zero = d.bytes.length > 16 && d.bytes.every((x) => x === 0);
    parts.push(`data @${d.name} = ${zero ? `zero ${d.bytes.length}` : bytesText(d.bytes)}`);
  }
  const head = parts.length ? parts.join('\n') + '\n\n' : '';
  return head + m.funcs.map(funcText).join('\n\n') + '\n';
}
