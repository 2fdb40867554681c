// Plan 9's matching rule (regexp-vm.ts) through Plan9RegExp.longest and sed: leftmost then
// longest, Plan 9's submatches, linear time, and every syntax the translation takes.

import { afterEach, describe, expect, it } from 'vitest';
import { TestKernels } from '../kernel/testkit.ts';
import { regexp, translate } from './regexp.ts';
import type { RegexpOptions } from './regexp.ts';
import { Busybox } from './testing.ts';

const kernels = new TestKernels();
afterEach(() => kernels.shutdown());

/** The match and groups 1..n as strings ('' unset), or null. */
function longest(re: string, s: string, opts: RegexpOptions = {}, from = 0): string[] | null {
  const r = regexp(re, opts);
  const m = r.longest(s, from);
  if (!m) return null;
  const out: string[] = [];
  for (let k = 0; 2 * k < m.caps.length; k++) out.push(m.caps[2 * k]! >= 0 ? s.slice(m.caps[2 * k], m.caps[2 * k + 1]) : '');
  return out;
}

describe('Plan9RegExp.longest', () => {
  it('leftmost first, then the longest, wherever the alternative stands', () => {
    expect(longest('ab|abcd', 'xabcd')).toEqual(['abcd']);
    expect(longest('a|ab|abc', 'abcd')).toEqual(['abc']);
    expect(longest('b|abc', 'abc')).toEqual(['abc']); // leftmost beats longer later
    expect(longest('a*', 'baaa')).toEqual(['']); // an empty match at 0 is leftmost
    expect(longest('x', 'abc')).toBeNull();
    expect(regexp('ab|abcd').longest('abcd')).toMatchObject({ start: 0, end: 4 });
  });

  it('submatches as Plan 9 reports them (9base sed agrees)', () => {
    expect(longest('(a|ab)(c|bcd)(d*)', 'abcd')).toEqual(['abcd', 'a', 'bcd', '']);
    expect(longest('(x*)(y|xy)*', 'xyz')).toEqual(['xy', '', 'xy']);
    expect(longest('(ab|a)(bc|c)?', 'abc')).toEqual(['abc', 'a', 'bc']);
    expect(longest('(a*)(a+)', 'aaaa')).toEqual(['aaaa', 'aaa', 'a']);
    expect(longest('(a|b)*c', 'abac')).toEqual(['abac', 'a']);
    expect(longest('(a)|b', 'b')).toEqual(['b', '']); // a group that took no part is unset
  });

  it('starts at from; ^ only at 0 and $ only at the end', () => {
    expect(longest('a+', 'aabaaa', {}, 2)).toEqual(['aaa']);
    expect(longest('^a', 'aa', {}, 1)).toBeNull();
    expect(longest('a$', 'a\na')).toEqual(['a']);
    expect(regexp('a$').longest('a\na')).toMatchObject({ start: 2 });
    expect(longest('^$', '')).toEqual(['']);
  });

  it('the GNU syntax, classes, intervals, case folding and bytes', () => {
    expect(longest('\\(ab\\|abcd\\)', 'abcd', { gnuEscapes: true })).toEqual(['abcd', 'abcd']);
    expect(longest('[[:alpha:]]+|[[:alpha:]]+[[:digit:]]', 'ab1')).toEqual(['ab1']);
    expect(longest('a\\{1,2\\}|a\\{3\\}', 'aaaa', { gnuEscapes: true })).toEqual(['aaa']);
    expect(longest('x\\{2,\\}', 'xxxxx', { gnuEscapes: true })).toEqual(['xxxxx']);
    expect(longest('*a', 'x*a', { gnuEscapes: true })).toEqual(['*a']);
    expect(longest('ab|ABCD', 'aBcD', { icase: true })).toEqual(['aBcD']);
    expect(longest('[^a]+', 'bc\nd')).toEqual(['bc']);
    expect(longest('\xe9+|\xe9\xe9x', '\xe9\xe9x')).toEqual(['\xe9\xe9x']);
  });

  it('is linear: nested closures take no exponential time', () => {
    const t = Date.now();
    expect(longest('(a*)*b', 'a'.repeat(30))).toBeNull();
    expect(longest('(a|aa)*b', 'a'.repeat(40))).toBeNull();
    expect(longest('((a*)*)*c', 'a'.repeat(100_000))).toBeNull();
    expect(longest('(a*)*b', `${'a'.repeat(50_000)}b`)?.[0]).toHaveLength(50_001);
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it('a closure of something that can be empty still matches (libregexp runs out of list there)', () => {
    expect(longest('([ab]*|ba*b+)+', 'abb')).toEqual(['abb', 'bb']);
    expect(longest('(a*|b)*', 'aaab')).toEqual(['aaab', 'b']);
    expect(longest('()*x', 'x')).toEqual(['x', '']);
  });

  it('the JS translation is unchanged and still a RegExp', () => {
    expect(translate('a*?')).toBe('(?:a*)?');
    expect(translate('\\(a\\)\\{2\\}b\\|c', { gnuEscapes: true })).toBe('(a){2}b|c');
    const r = regexp('a|b', {}, 'g');
    expect(r).toBeInstanceOf(RegExp);
    expect('xaxb'.replace(r, '-')).toBe('x-x-');
    expect([...'ab'.matchAll(r)].map((m) => m[0])).toEqual(['a', 'b']);
  });
});

describe('sed s with Plan 9 matches', () => {
  it('replaces the leftmost-longest match and its groups', async () => {
    const bb = await Busybox.boot(kernels);
    expect((await bb.run(['sed', 's/ab|abcd/X/'], 'abcd\n')).out).toBe('X\n');
    expect((await bb.run(['sed', 's/\\(a\\|ab\\)\\(c\\|bcd\\)/[\\1|\\2]/'], 'abcd\n')).out).toBe('[a|bcd]\n');
    expect((await bb.run(['sed', 's/if|ifdef/K/g'], 'ifdef if\n')).out).toBe('K K\n');
    expect((await bb.run(['sed', 's/AB|abcd/X/I'], 'ABCD\n')).out).toBe('X\n');
    expect((await bb.run(['sed', '-n', '/ab|abcd/s//<&>/p'], 'abcd\nx\n')).out).toBe('<abcd>\n');
  });

  it('keeps GNU\'s empty-match rules with g, and the nth match', async () => {
    const bb = await Busybox.boot(kernels);
    expect((await bb.run(['sed', 's/x*/-/g'], 'abc\n')).out).toBe('-a-b-c-\n');
    expect((await bb.run(['sed', 's/b*/x/g'], 'abc\n')).out).toBe('xaxcx\n');
    expect((await bb.run(['sed', 's/a|aa/X/2'], 'aaaaa\n')).out).toBe('aaXa\n');
  });

  it('finishes fast on an expression JS would backtrack on forever', async () => {
    const bb = await Busybox.boot(kernels);
    const t = Date.now();
    expect((await bb.run(['sed', 's/(a*)*b/X/'], `${'a'.repeat(30)}\n`)).out).toBe(`${'a'.repeat(30)}\n`);
    expect(Date.now() - t).toBeLessThan(2000);
  });
});
