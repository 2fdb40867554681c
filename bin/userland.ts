// The programs every node serves in /bin: the rc shell and the busybox commands.

import { busyboxPrograms } from '../busybox/index.ts';
import type { Program } from '../kernel/kernel.ts';
import { rcMain } from '../rc/main.ts';

export function userland(): Map<string, Program> {
  const m = busyboxPrograms();
  m.set('rc', rcMain);
  return m;
}
