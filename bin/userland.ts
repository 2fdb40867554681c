// The programs every node serves in /bin: the rc shell and the busybox commands.

import type { Program } from '../kernel/kernel.ts';
import { rcMain } from '../rc/main.ts';

export function userland(): Map<string, Program> {
  const m = new Map<string, Program>();
  m.set('rc', rcMain);
  return m;
}
