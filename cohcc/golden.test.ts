// Golden files: for every input in golden/, the printed form after parsing, after each
// pass alone and after -O2 are golden/NAME.STEP.ir; every result must also validate and
// (where it has @main) run to the same status and output as the input. Regenerate with
// COHCC_UPDATE_GOLDEN=1 after a deliberate change, and read the diff.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModule } from './compile.ts';
import { cloneModule } from './ir.ts';
import { parseModule } from './parse.ts';
import { pipeline, runPasses } from './passes/manager.ts';
import { printModule } from './print.ts';
import { viaInterp } from './testkit.ts';
import { validateModule } from './validate.ts';

const DIR = join(import.meta.dirname, 'golden');
const inputs = readdirSync(DIR).filter((f) => /^[a-z]+\.ir$/.test(f)).sort();
const STEPS: Array<[string, string[]]> = [
  ['print', []], ['nop-removal', ['nop-removal']], ['dce', ['dce']], ['mem2reg', ['mem2reg']],
  ['sccp', ['mem2reg', 'sccp']], ['copy-prop', ['mem2reg', 'copy-prop']], ['simplify-cfg', ['simplify-cfg']],
  ['inline', ['mem2reg', 'inline']], ['tailrec', ['mem2reg', 'dce', 'tailrec']], ['inline-self', ['mem2reg', 'dce', 'tailrec', 'inline-self']], ['global-dce', ['mem2reg', 'inline', 'global-dce']],
  ['licm', ['mem2reg', 'copy-prop', 'licm']],
  ['out-of-ssa', ['mem2reg', 'out-of-ssa']], ['O2', pipeline(2)],
];
const update = process.env['COHCC_UPDATE_GOLDEN'] === '1';

describe('golden files', () => {
  for (const f of inputs) {
    const name = f.slice(0, -3);
    const src = readFileSync(join(DIR, f), 'utf8');
    it(`${f}: the printed form is a fixed point of parse and print`, () => {
      const once = printModule(parseModule(src));
      expect(printModule(parseModule(once))).toBe(once);
    });
    for (const [step, passes] of STEPS) {
      it(`${name}.${step}.ir`, () => {
        const m = readModule(src, f);
        const c = cloneModule(m);
        runPasses(c, passes, { verify: true });
        validateModule(c, passes.includes('out-of-ssa') ? 'lowered' : 'ssa');
        const text = printModule(c);
        const gold = join(DIR, `${name}.${step}.ir`);
        if (update) writeFileSync(gold, text);
        expect(existsSync(gold), `${gold} (COHCC_UPDATE_GOLDEN=1 writes it)`).toBe(true);
        expect(text).toBe(readFileSync(gold, 'utf8'));
        if (m.funcs.some((g) => g.name === 'main')) expect(viaInterp(c)).toEqual(viaInterp(m));
      });
    }
  }
});
