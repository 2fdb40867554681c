// The busybox differential suite: every case in cases.ts run by our command (in a fresh node,
// through our rc) and by each reference it names (9base's Plan 9 tool, /bin/busybox) on the
// host, one test per case and reference. stdout, zero/non-zero status and the directory left
// behind must agree, except where differences.ts says why ours differs and what ours prints
// instead (checked as strictly). A reference that is not installed skips its tests, saying so.

import { describe, expect, it } from 'vitest';
import { CASES } from './cases.ts';
import { DIFFERENCES, differenceKey } from './differences.ts';
import { referenceBinary, runOurs, runReference } from './run.ts';

const show = (argv: string[]): string => argv.map((a) => (/^[\w./,:=+%-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');

describe('the busybox-diff table', () => {
  it('has at least 120 invocations, each with a unique id and a reference', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(120);
    expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
    for (const c of CASES) expect(c.refs.length, c.id).toBeGreaterThan(0);
  });

  it('has a case and reference for every difference', () => {
    const keys = new Set(CASES.flatMap((c) => c.refs.map((r) => differenceKey(c.id, r))));
    expect([...DIFFERENCES.keys()].filter((k) => !keys.has(k))).toEqual([]);
  });
});

describe('busybox commands against 9base and busybox (LC_ALL=C)', () => {
  for (const c of CASES) {
    for (const ref of c.refs) {
      const title = `${c.id} vs ${ref}: ${show(c.argv)}${c.stdin !== undefined ? ' <stdin' : ''}`;
      const bin = referenceBinary(ref, c.argv[0]!);
      if ('missing' in bin) {
        it.skip(`${title} (${bin.missing})`, () => {});
        continue;
      }
      const d = DIFFERENCES.get(differenceKey(c.id, ref));
      it(title, async () => {
        const [ours, theirs] = await Promise.all([runOurs(c), runReference(c, ref)]);
        const got = { out: ours.out, ok: ours.ok, tree: ours.tree };
        if (!d) {
          expect(got, `our stderr: ${ours.err}`).toEqual({ out: theirs.out, ok: theirs.ok, tree: theirs.tree });
          return;
        }
        expect(got, `${d.gap ? 'known gap' : 'deliberate difference'} (${d.reason}); our stderr: ${ours.err}`).toEqual({ out: d.out, ok: d.ok, tree: theirs.tree });
        expect({ out: theirs.out, ok: theirs.ok }, `${ref} now agrees with ours: remove the entry from differences.ts`).not.toEqual({ out: d.out, ok: d.ok });
      });
    }
  }
});
