// sed's s against 9base's sed (Plan 9's own sed and libregexp): the leftmost-longest match
// and the submatches Plan 9 reports, for alternation, nested closures, \1..\9, anchors and
// empty matches. Each script runs on the same input on both sides; outputs must be equal,
// except for the differences listed below, where both outputs are pinned.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestKernels } from '../kernel/testkit.ts';
import { Busybox } from './testing.ts';

const SED = '/usr/lib/plan9/bin/sed';

/** [script, input]: inputs end with a newline; the scripts avoid what 9base lacks (GNU's \( \|, [[:alpha:]], I). */
const SAME: Array<[string, string]> = [
  // Alternation: the longest alternative wins, wherever it stands.
  ['s/ab|abcd/X/', 'abcd\n'],
  ['s/a|ab/[&]/', 'abc\n'],
  ['s/x?y|xy?z/[&]/', 'xyz\n'],
  ['s/if|ifdef/K/g', 'ifdef if\nelse\n'],
  ['s/[0-9]+|[0-9]+\\.[0-9]+/N/g', 'x 3.14 y 42\n'],
  ['s/(a|ab)c|abcd/[&]/', 'abcd\n'],
  ['s/(a|b|c|d)+/[\\1]/', 'dcba\n'],
  // Submatches: which split of a longest match Plan 9 reports.
  ['s/(a|ab)(c|bcd)(d*)/[\\1,\\2,\\3]/', 'abcd\n'],
  ['s/(x*)(y|xy)*/[\\1][\\2]/', 'xyz\n'],
  ['s/(wee|week)(knights|night)/[\\1|\\2]/', 'weeknights\n'],
  ['s/(a|ab)(bc|c)/[\\1|\\2]/', 'abc\n'],
  ['s/(ab|a)(bc|c)?/[\\1|\\2]/', 'abc\n'],
  ['s/(ab|abc)(cd|d)/[\\1|\\2]/', 'abcd\n'],
  ['s/(a|ab|abc)(c|bc|bcd)/[\\1|\\2]/', 'abcd\n'],
  ['s/a(b|bc)(c|cd)?/[\\1|\\2]/', 'abcd\n'],
  ['s/(a|b)*(b|c)/[\\1|\\2]/', 'abbc\n'],
  ['s/(.*)-(.*)/\\2-\\1/', 'a-b-c\n'],
  ['s/(.*)(.*)/[\\1|\\2]/', 'abc\n'],
  ['s/(a+)(a*)/[\\1|\\2]/', 'aaaa\n'],
  ['s/(a*)(a+)/[\\1|\\2]/', 'aaaa\n'],
  ['s/([ab]*)(b*)/[\\1|\\2]/', 'abbb\n'],
  ['s/(a)(b)(c)(d)(e)(f)(g)(h)(i)/\\9\\8\\7\\6\\5\\4\\3\\2\\1/', 'abcdefghi\n'],
  // Nested closures.
  ['s/(a*)+/[\\1]/', 'aaab\n'],
  ['s/(a?)*/[\\1]/', 'aaab\n'],
  ['s/(a|aa)*/[&|\\1]/', 'aaaa\n'],
  ['s/(a|aa)+$/[&|\\1]/', 'aaa\n'],
  ['s/((ab)*c)*/[\\1|\\2]/', 'ababcabc\n'],
  ['s/(a*b*)*/[\\1]/', 'abab\n'],
  ['s/(a|b)*c/[\\1]/', 'abac\n'],
  ['s/(a*)*b/X/', `${'a'.repeat(30)}\n${'a'.repeat(30)}b\n`],
  // Anchors.
  ['s/^(a|ab)/[\\1]/', 'abab\n'],
  ['s/(b|ab)$/[\\1]/', 'abab\n'],
  ['s/a*$/X/', 'baaa\nb\n'],
  ['s/^a*/X/g', 'aaab\nb\n'],
  ['s/.*/[&]/', 'ab\n\n'],
  // Global: every match, from where the last one ended.
  ['s/(ab)+/[\\1]/g', 'ababxab\n'],
  ['s/a+|b+/X/g', 'aabbbab\n'],
  ['s/[^,]*,?/<&>/g', 'a,b,,c\n'],
  ['s/x*/-/g', '\nxx\n'],
  // The match decides what a later command sees.
  ['s/(a|ab)(c|bcd)/\\2/\ns/^bcd$/yes/', 'abcd\n'],
  [':a\ns/(ab|a)(b*)c/\\2/\nta', 'abbc\nabc\n'],
];

/**
 * Where ours differs from 9base on purpose: [script, input, ours, 9base's, why]. The
 * empty-match rules of s///g are GNU's and busybox's (tests/busybox-diff lists the first).
 */
const DIFFERENT: Array<[string, string, string, string, string]> = [
  ['s/x*/-/g', 'abc\n', '-a-b-c-\n', '-a-b-c\n', 'an empty match at the end of the line is replaced too'],
  ['s/b*/x/g', 'abc\n', 'xaxcx\n', 'xaxxc\n', 'no empty match right after a match; one at the end'],
  // libregexp keeps 48 threads a list; this expression needs more, and 9base reports no match.
  ['s/([ab]*|ba*b+)+/[\\1]/', 'abb\n', '[bb]\n', 'abb\n', '9base runs out of thread list space'],
];

const kernels = new TestKernels();
let bb: Busybox;
beforeAll(async () => { bb = await Busybox.boot(kernels); });
afterAll(() => kernels.shutdown());

const plan9 = (script: string, input: string): string =>
  execFileSync(SED, [script], { input: Buffer.from(input, 'latin1'), stdio: ['pipe', 'pipe', 'pipe'], env: { PLAN9: '/usr/lib/plan9', LC_ALL: 'C' } }).toString('latin1');

const ours = async (script: string, input: string): Promise<string> => {
  const r = await bb.run(['sed', '-E', script], input);
  expect(r.err).toBe('');
  return r.out;
};

describe.skipIf(!existsSync(SED))(`sed s/// against 9base (skipped when ${SED} is not installed: apt-get install 9base)`, () => {
  it.each(SAME)('%j on %j', async (script, input) => {
    expect(await ours(script, input)).toBe(plan9(script, input));
  });

  it.each(DIFFERENT)('%j on %j: %j (9base %j): %s', async (script, input, mine, theirs) => {
    expect(await ours(script, input)).toBe(mine);
    expect(plan9(script, input)).toBe(theirs);
  });
});
