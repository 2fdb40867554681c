// The corpus, differentially: every program's expected output (corpus/NAME.out, status in
// NAME.status when not 0) from the interpreter, from WebAssembly in Node and from gcc-built
// C, at -O0 and -O2 (every pass validated after it runs).

import { readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readModule } from './compile.ts';
import type { OptLevel } from './passes/manager.ts';
import { CBuilds, cText, viaInterp, viaWasm } from './testkit.ts';

const DIR = join(import.meta.dirname, 'corpus');
const programs = readdirSync(DIR).filter((f) => /\.(ir|json)$/.test(f)).sort();
const expected = (f: string): { out: string; status: string } => {
  const base = join(DIR, f.replace(/\.(ir|json)$/, ''));
  return { out: readFileSync(`${base}.out`, 'latin1'), status: existsSync(`${base}.status`) ? readFileSync(`${base}.status`, 'utf8').trim() : '0' };
};
const LEVELS: OptLevel[] = [0, 2];

describe('the corpus', () => {
  const c = new CBuilds();
  afterAll(() => c.remove());

  it('has programs, each with its expected output', () => {
    expect(programs.length).toBeGreaterThanOrEqual(8);
    for (const f of programs) expect(expected(f).out.length + expected(f).status.length).toBeGreaterThan(0);
  });

  for (const f of programs) {
    it(`${f}: interpreter, WebAssembly and C agree with the expected output at -O0 and -O2`, async () => {
      const m = readModule(readFileSync(join(DIR, f), 'utf8'), f);
      const want = expected(f);
      expect(viaInterp(m)).toEqual(want);
      const exes = await Promise.all(LEVELS.map((o) => c.build(cText(m, o), '-O1')));
      for (const [k, o] of LEVELS.entries()) {
        expect(viaWasm(m, o), `wasm -O${o}`).toEqual(want);
        expect(await c.exec(exes[k]!), `C -O${o}`).toEqual(want);
      }
    });
  }

  it('wc.ir reads a file named by its argument, in every backend', async () => {
    const m = readModule(readFileSync(join(DIR, 'wc.ir'), 'utf8'), 'wc.ir');
    const text = 'one two  three\nfour\n\tfive six\n';
    const want = { out: '3\n6\n30\n', status: '0' };
    expect(viaInterp(m, ['wc', 'in.txt'], { 'in.txt': text })).toEqual(want);
    expect(viaWasm(m, 2, ['wc', 'in.txt'], { 'in.txt': text })).toEqual(want);
    writeFileSync(join(c.dir, 'in.txt'), text);
    expect(await c.exec(await c.build(cText(m, 2)), ['in.txt'])).toEqual(want);
    // A file that is not there: the message on fd 2 and status 1 everywhere.
    expect(viaWasm(m, 2, ['wc', 'nope'])).toEqual({ out: '', status: '1' });
    expect(await c.exec(await c.build(cText(m, 0)), ['nope'])).toEqual({ out: '', status: '1' });
  });
});
