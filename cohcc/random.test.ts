// Random programs (fast-check chooses the seeds): the interpreter, WebAssembly and C (built
// by gcc) print the same at -O0 and -O2. Many programs share one module, each a function
// called in turn by @main, so one gcc run covers them all.

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readModule } from './compile.ts';
import { randomModuleText } from './randprog.ts';
import { CBuilds, cText, viaInterp, viaWasm } from './testkit.ts';

describe('random programs', () => {
  const c = new CBuilds();
  afterAll(() => c.remove());

  it('give the same output in the interpreter, WebAssembly and C at -O0 and -O2', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 2 ** 31 - 1 }), { minLength: 25, maxLength: 25 }), async (seeds) => {
      const m = readModule(randomModuleText(seeds), 'random.ir');
      const want = viaInterp(m);
      expect(want.status).toBe('0');
      const exes = await Promise.all([c.build(cText(m, 0)), c.build(cText(m, 2))]);
      expect(viaWasm(m, 0)).toEqual(want);
      expect(viaWasm(m, 2)).toEqual(want);
      expect(await c.exec(exes[0]!)).toEqual(want);
      expect(await c.exec(exes[1]!)).toEqual(want);
    }), { numRuns: 4 });
  });
});
