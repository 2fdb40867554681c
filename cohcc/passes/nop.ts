// NOP removal: nop instructions go.

import type { Pass } from './pass.ts';

export const nopRemoval: Pass = {
  name: 'nop-removal',
  about: 'remove nop instructions',
  run(f) {
    let n = 0;
    for (const b of f.blocks) {
      const kept = b.insts.filter((i) => i.op !== 'nop');
      n += b.insts.length - kept.length;
      b.insts = kept;
    }
    return n;
  },
};
