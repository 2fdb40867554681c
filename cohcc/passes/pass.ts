// What a pass is: a named transformation of one function, given its module (for signatures
// and data), returning how many things it changed (the statistics of --time-passes).

import type { Func, Module } from '../ir.ts';

export interface Pass {
  name: string;
  /** One line for --help and the manual. */
  about: string;
  run(f: Func, m: Module): number;
  /** A module pass (which may add or remove functions) has this, and the manager calls it instead of run. */
  runModule?(m: Module): number;
}

/** A fresh variable name in f, built from base (passes that add variables use it). */
export function freshNamer(f: Func): (base: string) => string {
  const used = new Set<string>(f.params.map((p) => p.name));
  for (const b of f.blocks) for (const i of b.insts) if (i.dst !== undefined) used.add(i.dst);
  return (base) => {
    let n = base, k = 1;
    while (used.has(n)) n = `${base}.${k++}`;
    used.add(n);
    return n;
  };
}

export function freshLabeler(f: Func): (base: string) => string {
  const used = new Set(f.blocks.map((b) => b.label));
  return (base) => {
    let n = base, k = 1;
    while (used.has(n)) n = `${base}.${k++}`;
    used.add(n);
    return n;
  };
}
