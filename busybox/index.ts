// The registry of busybox commands: name -> Program, for the kernel's program table
// (`for (const [n, p] of busyboxPrograms()) kernel.programs.set(n, p)`). A fresh Map each
// call, so kernels never share a mutable table.

import type { Program } from '../kernel/kernel.ts';
import { FILE_COMMANDS } from './group-files.ts';
import { MAN_COMMANDS } from './group-man.ts';
import { TEXT_COMMANDS } from './group-text.ts';
import { SYS_COMMANDS } from './group-sys.ts';
import { basenameCmd } from './cmd/basename.ts';
import { bind } from './cmd/bind.ts';
import { cat } from './cmd/cat.ts';
import { cohcc } from './cmd/cohcc.ts';
import { echo } from './cmd/echo.ts';
import { env } from './cmd/env.ts';
import { false_ } from './cmd/false.ts';
import { finger } from './cmd/finger.ts';
import { grep } from './cmd/grep.ts';
import { last } from './cmd/last.ts';
import { ls } from './cmd/ls.ts';
import { mkdir } from './cmd/mkdir.ts';
import { mount } from './cmd/mount.ts';
import { ns } from './cmd/ns.ts';
import { pwd } from './cmd/pwd.ts';
import { rm } from './cmd/rm.ts';
import { run } from './cmd/run.ts';
import { sed } from './cmd/sed.ts';
import { seq } from './cmd/seq.ts';
import { sleep } from './cmd/sleep.ts';
import { sort } from './cmd/sort.ts';
import { bracket, test } from './cmd/test.ts';
import { touch } from './cmd/touch.ts';
import { tr } from './cmd/tr.ts';
import { true_ } from './cmd/true.ts';
import { uniq } from './cmd/uniq.ts';
import { unmount } from './cmd/unmount.ts';
import { wc } from './cmd/wc.ts';

const TABLE: ReadonlyArray<readonly [string, Program]> = [
  ['[', bracket], ['basename', basenameCmd], ['bind', bind], ['cat', cat], ['cohcc', cohcc], ['echo', echo], ['env', env],
  ['false', false_], ['finger', finger], ['grep', grep], ['last', last], ['ls', ls], ['mkdir', mkdir], ['mount', mount], ['ns', ns], ['pwd', pwd], ['rm', rm], ['run', run],
  ['sed', sed], ['seq', seq], ['sleep', sleep], ['sort', sort], ['test', test], ['touch', touch],
  ['tr', tr], ['true', true_], ['uniq', uniq], ['unmount', unmount], ['wc', wc],
  ...MAN_COMMANDS, ...SYS_COMMANDS, ...FILE_COMMANDS, ...TEXT_COMMANDS,
];

/** Every command's name, sorted. */
export const BUSYBOX_NAMES: readonly string[] = Object.freeze(TABLE.map(([n]) => n));

export function busyboxPrograms(): Map<string, Program> {
  return new Map(TABLE);
}
