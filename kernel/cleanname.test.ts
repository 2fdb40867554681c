import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { absPath, cleanname } from './cleanname.ts';

/** cleanname(2) by its rules, element by element: the reference the fast path must agree with. */
function byRules(p: string): string {
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const e of p.split('/')) {
    if (e === '' || e === '.') continue;
    if (e === '..') { if (out.length && out[out.length - 1] !== '..') out.pop(); else if (!rooted) out.push('..'); continue; }
    out.push(e);
  }
  const s = out.join('/');
  return rooted ? '/' + s : s || '.';
}

describe('cleanname', () => {
  it('follows cleanname(2) on the awkward cases', () => {
    const cases: Array<[string, string]> = [
      ['', '.'], ['/', '/'], ['.', '.'], ['..', '..'], ['//', '/'], ['/..', '/'], ['/a//b/', '/a/b'], ['a/./b/.', 'a/b'],
      ['a/b/../../..', '..'], ['/a/..b/.c/...', '/a/..b/.c/...'], ['./cat', 'cat'], ['/bin/cat', '/bin/cat'],
    ];
    for (const [p, want] of cases) expect(cleanname(p)).toBe(want);
    expect(absPath('/usr/glenda', '../x/./y')).toBe('/usr/x/y');
  });

  it('agrees with the element-by-element rules on random paths, and is idempotent', () => {
    const elem = fc.constantFrom('', '.', '..', '...', 'a', '.a', '..a', 'a.', 'bin', 'x y');
    fc.assert(fc.property(fc.array(elem, { maxLength: 8 }), fc.boolean(), (es, rooted) => {
      const p = (rooted ? '/' : '') + es.join('/');
      const c = cleanname(p);
      expect(c).toBe(byRules(p));
      expect(cleanname(c)).toBe(c);
    }), { numRuns: 3000 });
  });
});
