// Dead function elimination (a module pass): functions that no call reachable from @main
// names go, as inlining leaves them. Modules without @main are libraries: all stay.

import type { Module } from '../ir.ts';
import type { Pass } from './pass.ts';

export const globalDce: Pass = {
  name: 'global-dce',
  about: 'remove functions that @main cannot reach by calls',
  run: () => 0,
  runModule(m: Module) {
    const byName = new Map(m.funcs.map((f) => [f.name, f]));
    if (!byName.has('main')) return 0;
    const live = new Set<string>(['main']);
    const work = ['main'];
    while (work.length) {
      for (const b of byName.get(work.pop()!)!.blocks) for (const i of b.insts) {
        if (i.op === 'call' && byName.has(i.callee!) && !live.has(i.callee!)) { live.add(i.callee!); work.push(i.callee!); }
      }
    }
    const before = m.funcs.length;
    m.funcs = m.funcs.filter((f) => live.has(f.name));
    return before - m.funcs.length;
  },
};
