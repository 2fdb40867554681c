// The manual's commands, as a table for the kernel's program table beside busybox's:
// `for (const [n, p] of MAN_COMMANDS) kernel.programs.set(n, p)`. Frozen: kernels share it,
// never mutate it.

import type { Program } from '../kernel/kernel.ts';
import { help } from './cmd/help.ts';
import { lookman } from './cmd/lookman.ts';
import { man } from './cmd/man.ts';

export const MAN_COMMANDS: ReadonlyArray<readonly [string, Program]> = Object.freeze([
  Object.freeze(['help', help] as const), Object.freeze(['lookman', lookman] as const), Object.freeze(['man', man] as const),
]);
