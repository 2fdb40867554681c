// cohesix cc: Coh_CC on the host. Reads an IR file (text or upstream JSON) from the host's
// file system and writes WebAssembly, WAT, C or optimized IR; bad input is one message with
// its position and exit code 1; a usage error is exit code 2.

import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { CC_USAGE, CcUsage, defaultOut, parseCcArgs } from '../cohcc/cli.ts';
import { compile } from '../cohcc/compile.ts';
import { CohccError } from '../cohcc/error.ts';
import { PASSES } from '../cohcc/passes/registry.ts';
import { PIPELINES, statsText } from '../cohcc/passes/manager.ts';

const HELP = `usage: cohesix cc ${CC_USAGE}

Compile a Coh_CC IR program (text, or upstream's JSON form) to a WebAssembly module that
Cohesix runs as a process (default), to C for gcc (--emit c), to WAT, or to optimized IR.

  -O0 -O1 -O2     optimization level (default -O0)
  --emit KIND     wasm, wat, c or ir (--target is the same)
  --time-passes   each pass's time, changes and instruction count, on stderr
  --verify        validate the IR after every pass
  -o OUT          output file (default: the input's name without .ir/.json, or with .c .wat .ir)

passes: ${PASSES.map((p) => p.name).join(' ')} (and out-of-ssa before a backend)
  -O1: ${PIPELINES[1].join(' ')}
  -O2: ${PIPELINES[2].join(' ')}
`;

export async function ccMain(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { process.stdout.write(HELP); return 0; }
  let a;
  try { a = parseCcArgs(argv); } catch (e) {
    if (e instanceof CcUsage) { process.stderr.write(`cohesix cc: ${e.message}\nusage: cohesix cc ${CC_USAGE}\n`); return 2; }
    throw e;
  }
  let src: string;
  try { src = readFileSync(a.input, 'utf8'); } catch (e) { process.stderr.write(`cohesix cc: ${(e as Error).message}\n`); return 1; }
  try {
    const r = compile(src, { opt: a.opt, emit: a.emit, verify: a.verify, file: a.input });
    const out = a.out ?? defaultOut(a.input, a.emit);
    writeFileSync(out, r.output);
    if (a.emit === 'wasm') chmodSync(out, 0o755);
    if (a.timePasses) process.stderr.write(statsText(r.stats));
    return 0;
  } catch (e) {
    if (e instanceof CohccError) { process.stderr.write(`cohesix cc: ${e.message}\n`); return 1; }
    throw e;
  }
}

export const ccCommand = { summary: 'compile Coh_CC IR to WebAssembly or C (cohcc(1))', run: ccMain };
