// The file commands of a node (cp, mv, chmod, du, stat, dirname, cmp, xd, hexdump, the
// checksums, tar, mtime, split) as a table to merge into a program map:
// `new Map([...userland(), ...FILE_COMMANDS])`. mkdir, touch and rm are in index.ts.

import type { Program } from '../kernel/kernel.ts';
import { chmod } from './cmd/chmod.ts';
import { cmp } from './cmd/cmp.ts';
import { cp } from './cmd/cp.ts';
import { dirnameCmd } from './cmd/dirname.ts';
import { du } from './cmd/du.ts';
import { hexdump } from './cmd/hexdump.ts';
import { mtime } from './cmd/mtime.ts';
import { mv } from './cmd/mv.ts';
import { sha1sum } from './cmd/sha1sum.ts';
import { sha256sum } from './cmd/sha256sum.ts';
import { split } from './cmd/split.ts';
import { stat } from './cmd/stat.ts';
import { tar } from './cmd/tar.ts';
import { xd } from './cmd/xd.ts';

export const FILE_COMMANDS: ReadonlyArray<readonly [string, Program]> = Object.freeze([
  ['chmod', chmod], ['cmp', cmp], ['cp', cp], ['dirname', dirnameCmd], ['du', du], ['hexdump', hexdump],
  ['mtime', mtime], ['mv', mv], ['sha1sum', sha1sum], ['sha256sum', sha256sum], ['split', split],
  ['stat', stat], ['tar', tar], ['xd', xd],
] as const);
