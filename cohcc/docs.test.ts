// docs/cohcc.md's examples work when pasted: every ``` block that is IR or JSON compiles at
// -O2 and runs to what the text says it does.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModule } from './compile.ts';
import { viaInterp, viaWasm } from './testkit.ts';

const doc = readFileSync(join(import.meta.dirname, '..', 'docs', 'cohcc.md'), 'utf8');
const blocks = [...doc.matchAll(/```\n([^]*?)```/g)].map((m) => m[1]!).filter((b) => /^(data|func|\{)/.test(b));

describe('docs/cohcc.md', () => {
  it('has the examples: hello, the sum, the JSON gcd', () => {
    expect(blocks.length).toBe(3);
    const want = [{ out: 'hello\n', status: '0' }, { out: '', status: '55' }, { out: '', status: '21' }];
    blocks.forEach((b, k) => {
      const m = readModule(b, `example${k}`);
      expect(viaInterp(m)).toEqual(want[k]);
      expect(viaWasm(m, 2)).toEqual(want[k]);
    });
  });
});
