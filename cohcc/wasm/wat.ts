// The WebAssembly text form of a WModule (--emit wat): the same instructions the encoder
// writes, in the flat (non-folded) syntax, indented by block depth.

import { OPCODES } from './code.ts';
import type { WInst } from './code.ts';
import type { WModule } from './module.ts';

function f64Text(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return Object.is(x, -0) ? '-0' : String(x);
}

function instText(i: WInst): string {
  const [name, ...imm] = i;
  const kind = OPCODES[name]?.[1];
  if (kind === 'mem') return `${name} align=${2 ** Number(imm[0] ?? 0)}${imm[1] ? ` offset=${imm[1]}` : ''}`;
  if (kind === 'f64') return `${name} ${f64Text(Number(imm[0]))}`;
  if (kind === 'fill' || kind === 'bt') return name;
  return [name, ...imm.map(String)].join(' ');
}

function bytesText(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += c >= 32 && c < 127 && c !== 34 && c !== 92 ? String.fromCharCode(c) : `\\${c.toString(16).padStart(2, '0')}`;
  return `"${s}"`;
}

export function watText(m: WModule, names: { funcs: string[] } = { funcs: m.funcs.map((f) => f.name) }): string {
  const out = ['(module'];
  m.types.forEach((t, k) => {
    const p = t.params.length ? ` (param ${t.params.join(' ')})` : '';
    const r = t.results.length ? ` (result ${t.results.join(' ')})` : '';
    out.push(`  (type (;${k};) (func${p}${r}))`);
  });
  m.imports.forEach((im, k) => out.push(`  (import "${im.module}" "${im.name}" (func (;${k};) (type ${im.type})))`));
  out.push(`  (memory (;0;) ${m.memoryPages} ${m.memoryPages})`);
  m.globals.forEach((g, k) => out.push(`  (global (;${k};) ${g.mutable ? `(mut ${g.type})` : g.type} (${g.type}.const ${g.init}))`));
  out.push('  (export "memory" (memory 0))');
  m.funcs.forEach((f, k) => { if (f.exported) out.push(`  (export "${f.name}" (func ${m.imports.length + k}))`); });
  m.funcs.forEach((f, k) => {
    out.push(`  (func (;${m.imports.length + k};) (type ${f.type})${f.locals.length ? ` (local ${f.locals.join(' ')})` : ''} ;; @${names.funcs[k]}`);
    let depth = 2;
    for (const i of f.body) {
      if (i[0] === 'end' || i[0] === 'else') depth--;
      out.push(`${'  '.repeat(depth)}${instText(i)}`);
      if (i[0] === 'block' || i[0] === 'loop' || i[0] === 'if' || i[0] === 'else') depth++;
    }
    out.push('  )');
  });
  m.data.forEach((d, k) => out.push(d.passive ? `  (data (;${k};) ${bytesText(d.bytes)})` : `  (data (i32.const ${d.offset}) ${bytesText(d.bytes)})`));
  out.push(')');
  return out.join('\n') + '\n';
}
