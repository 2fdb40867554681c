// The differential suite: every case in cases/ run by our rc (in a fresh node) and, when
// 9base is installed, by Plan 9's rc on the host in the same test. stdout and zero/non-zero
// status must agree. Deliberate differences are in divergences.ts, each with its reason and
// what our rc prints instead (checked just as strictly).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIVERGENCES } from './divergences.ts';
import { CASES, have9base, recorded, runOurs, runPlan9 } from './run.ts';

const names = readdirSync(CASES).filter((f) => f.endsWith('.rc')).map((f) => f.slice(0, -3)).sort();
const live = have9base();

describe('rc vs Plan 9 rc (9base)', () => {
  it('has at least 150 cases', () => { expect(names.length).toBeGreaterThanOrEqual(150); });

  for (const name of names) {
    const d = DIVERGENCES.get(name);
    it(name, async () => {
      const script = readFileSync(join(CASES, `${name}.rc`), 'utf8');
      const rec = recorded(name);
      const ref = live ? await runPlan9(name, script) : rec;
      if (live) {
        // The installed reference must still say what the corpus recorded.
        expect(ref.out, 'live 9base drifted from the recorded stdout').toBe(rec.out);
        expect(ref.status === '0', 'live 9base drifted from the recorded status').toBe(rec.status === '0');
      }
      const ours = await runOurs(name, script);
      const want = d ? { out: d.out ?? ref.out, ok: d.ok ?? ref.status === '0' } : { out: ref.out, ok: ref.status === '0' };
      expect({ out: ours.out, ok: ours.status === '' }, `stderr: ${ours.err}`).toEqual(want);
    });
  }
});

if (!live) {
  describe('9base rc', () => {
    it.skip('is not installed: compared against the recorded corpus only (apt-get install 9base)', () => {});
  });
}
