// The text commands beyond the core busybox table: head, tail, cut, tee, fmt, diff, read and
// awk, as name -> Program pairs for a node's program table
// (`new Map([...userland(), ...TEXT_COMMANDS])`).

import type { Program } from '../kernel/kernel.ts';
import { awk } from './cmd/awk.ts';
import { cut } from './cmd/cut.ts';
import { diff } from './cmd/diff.ts';
import { fmt } from './cmd/fmt.ts';
import { head } from './cmd/head.ts';
import { read } from './cmd/read.ts';
import { tail } from './cmd/tail.ts';
import { tee } from './cmd/tee.ts';

export const TEXT_COMMANDS: ReadonlyArray<readonly [string, Program]> = Object.freeze([
  ['awk', awk], ['cut', cut], ['diff', diff], ['fmt', fmt], ['head', head], ['read', read], ['tail', tail], ['tee', tee],
] as const);
