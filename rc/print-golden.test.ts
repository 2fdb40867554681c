// Parser golden tests: every case of the differential corpus (tests/rc-diff/cases) parsed and
// printed back (rc/print.ts) must equal rc/print.golden, and — where 9base is installed — the
// printed script, run by Plan 9's rc, must print what the original printed. So the tree keeps
// everything the source meant, and the printer writes rc that real rc reads the same way.
// After a deliberate change: COHESIX_UPDATE_GOLDEN=1 npx vitest run rc/print-golden.test.ts

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseOrThrow } from './parse.ts';
import { printScript } from './print.ts';

const CASES = join(import.meta.dirname, '../tests/rc-diff/cases');
const GOLDEN = join(import.meta.dirname, 'print.golden');
const PLAN9_RC = '/usr/lib/plan9/bin/rc';
/** Printed top-level commands go one per line, so a compile-time error on a line of several moves later. */
const LINE_TIMING = new Set(['ifnot-twice']);

function printedCases(): Array<{ name: string; printed: string }> {
  const out: Array<{ name: string; printed: string }> = [];
  for (const f of readdirSync(CASES).filter((x) => x.endsWith('.rc')).sort()) {
    let tree;
    try { tree = parseOrThrow(readFileSync(join(CASES, f), 'utf8')); } catch { continue; } // the syntax-error cases
    out.push({ name: f.slice(0, -3), printed: printScript(tree) });
  }
  return out;
}

function goldenText(cs: Array<{ name: string; printed: string }>): string {
  return cs.map((c) => `### ${c.name}\n${c.printed}`).join('');
}

describe('rc parse and print, golden', () => {
  const cs = printedCases();

  it('prints every parsable case of the corpus as rc/print.golden says', () => {
    expect(cs.length).toBeGreaterThan(150);
    const text = goldenText(cs);
    if (process.env.COHESIX_UPDATE_GOLDEN) writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it.skipIf(!existsSync(PLAN9_RC))('each printed case, run by 9base rc, prints what the original did (skipped without 9base)', () => {
    const bad: string[] = [];
    for (const c of cs) {
      if (LINE_TIMING.has(c.name)) continue;
      const dir = mkdtempSync(join(tmpdir(), 'rc-golden-'));
      try {
        writeFileSync(join(dir, `${c.name}.rc`), c.printed);
        const r = spawnSync(PLAN9_RC, [`./${c.name}.rc`], {
          cwd: dir, input: '', timeout: 10_000,
          env: { PATH: '/usr/bin:/bin:/usr/lib/plan9/bin', HOME: dir, LC_ALL: 'C', TZ: 'UTC' },
        });
        const out = r.stdout.toString().split(dir).join('@TMP@');
        const want = readFileSync(join(CASES, `${c.name}.out`), 'utf8');
        const status = readFileSync(join(CASES, `${c.name}.status`), 'utf8').trim();
        if (out !== want || String(r.status) !== status) bad.push(`${c.name}: printed ${JSON.stringify(out.slice(0, 80))} status ${r.status}, original ${JSON.stringify(want.slice(0, 80))} status ${status}`);
      } finally { rmSync(dir, { recursive: true, force: true }); }
    }
    expect(bad).toEqual([]);
  }, 120_000);
});
