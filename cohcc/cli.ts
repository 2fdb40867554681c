// The command line both front ends share (`cohesix cc` on the host, `cohcc` in Cohesix):
//   [-O0|-O1|-O2] [--emit ir|wat|wasm|c] [--time-passes] [--verify] [-o OUT] FILE
// with upstream's spellings too: -i/--input FILE, --target as --emit.

import type { Emit } from './compile.ts';
import type { OptLevel } from './passes/manager.ts';

export const CC_USAGE = '[-O0|-O1|-O2] [--emit ir|wat|wasm|c] [--time-passes] [--verify] [-o out] file';

export interface CcArgs { opt: OptLevel; emit: Emit; timePasses: boolean; verify: boolean; out: string | undefined; input: string }

export class CcUsage extends Error {}

export function parseCcArgs(argv: readonly string[]): CcArgs {
  const a: Partial<CcArgs> & { opt: OptLevel; emit: Emit; timePasses: boolean; verify: boolean } = { opt: 0, emit: 'wasm', timePasses: false, verify: false };
  for (let k = 0; k < argv.length; k++) {
    const x = argv[k]!;
    const value = (): string => {
      const eq = x.indexOf('=');
      if (x.startsWith('--') && eq > 0) return x.slice(eq + 1);
      const v = argv[++k];
      if (v === undefined) throw new CcUsage(`${x} needs a value`);
      return v;
    };
    if (/^-O[012]$/.test(x)) a.opt = Number(x[2]) as OptLevel;
    else if (x === '--time-passes') a.timePasses = true;
    else if (x === '--verify') a.verify = true;
    else if (x === '-o' || x.startsWith('--output')) a.out = value();
    else if (x === '-i' || x.startsWith('--input')) a.input = value();
    else if (x.startsWith('--emit') || x.startsWith('--target')) {
      const e = value();
      if (!['ir', 'wat', 'wasm', 'c'].includes(e)) throw new CcUsage(`unknown output kind ${e} (ir, wat, wasm or c)`);
      a.emit = e as Emit;
    } else if (x.startsWith('-') && x !== '-') throw new CcUsage(`unknown option ${x}`);
    else if (a.input !== undefined) throw new CcUsage('one input file');
    else a.input = x;
  }
  if (a.input === undefined) throw new CcUsage('no input file');
  return a as CcArgs;
}

/** Where output goes when -o is not given: the input's name with the output kind's extension. */
export function defaultOut(input: string, emit: Emit): string {
  const base = input.replace(/\.(ir|json)$/, '');
  return `${base === input ? `${input}.out` : base}${emit === 'wasm' ? '' : `.${emit}`}`;
}
