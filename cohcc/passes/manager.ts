// The pass manager: named passes, the -O0/-O1/-O2 pipelines, verify-after-each (the
// validator after every pass, so a pass that breaks the IR is named at once), and per-pass
// timing and change statistics (--time-passes).

import { CohccError } from '../error.ts';
import type { Module } from '../ir.ts';
import { instCount } from '../ir.ts';
import { validateModule } from '../validate.ts';
import { outOfSsa } from './outofssa.ts';
import type { Pass } from './pass.ts';
import { PASSES } from './registry.ts';

export type OptLevel = 0 | 1 | 2;

/** The pipelines, by pass name; out-of-ssa always ends them (the backends need it). */
export const PIPELINES: Readonly<Record<OptLevel, readonly string[]>> = {
  0: [],
  1: ['nop-removal', 'mem2reg', 'copy-prop', 'dce', 'simplify-cfg'],
  2: ['nop-removal', 'mem2reg', 'inline', 'sccp', 'copy-prop', 'dce', 'tailrec', 'inline-self', 'simplify-cfg', 'licm', 'sccp', 'copy-prop', 'dce', 'simplify-cfg', 'global-dce'],
};

export interface PassStat { pass: string; ms: number; changes: number; instsBefore: number; instsAfter: number }

export interface RunOptions { verify?: boolean }

export function passByName(name: string): Pass {
  const p = PASSES.find((x) => x.name === name) ?? (name === outOfSsa.name ? outOfSsa : undefined);
  if (!p) throw new Error(`no pass named ${name}`);
  return p;
}

/** Run passes over every function of m in place; statistics per pass. */
export function runPasses(m: Module, names: readonly string[], opts: RunOptions = {}): PassStat[] {
  const stats: PassStat[] = [];
  for (const name of names) {
    const p = passByName(name);
    const before = instCount(m);
    const t0 = performance.now();
    let changes = 0;
    if (p.runModule) changes = p.runModule(m);
    else for (const f of m.funcs) changes += p.run(f, m);
    const ms = performance.now() - t0;
    stats.push({ pass: name, ms, changes, instsBefore: before, instsAfter: instCount(m) });
    if (opts.verify) {
      try { validateModule(m, name === outOfSsa.name ? 'lowered' : 'ssa'); } catch (e) {
        if (e instanceof CohccError) throw new CohccError(`after pass ${name}: ${e.reason}`, e.pos, e.where);
        throw e;
      }
    }
  }
  return stats;
}

/** The passes of a level, then out-of-ssa. */
export function pipeline(level: OptLevel): string[] {
  return [...PIPELINES[level], outOfSsa.name];
}

export function statsText(stats: PassStat[]): string {
  const lines = ['pass              ms     changes  insts'];
  for (const s of stats) lines.push(`${s.pass.padEnd(14)} ${s.ms.toFixed(3).padStart(8)} ${String(s.changes).padStart(8)}  ${s.instsBefore} -> ${s.instsAfter}`);
  const total = stats.reduce((a, s) => a + s.ms, 0);
  lines.push(`${'total'.padEnd(14)} ${total.toFixed(3).padStart(8)}`);
  return lines.join('\n') + '\n';
}
