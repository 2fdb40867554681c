// sed's N, D, P and l: several lines in the pattern space. Expected outputs are GNU sed 4.9's
// (and busybox's, where it has the command) on the same inputs.

import { afterEach, describe, expect, it } from 'vitest';
import { TestKernels } from '../kernel/testkit.ts';
import { listText } from './cmd/sed.ts';
import { Busybox } from './testing.ts';

const kernels = new TestKernels();
afterEach(() => kernels.shutdown());

const IN3 = 'a\nb\nc\n';
const IN4 = 'a\nb\nc\nd\n';

/** [argv after sed, output on IN3, output on IN4] */
const CASES: Array<[string[], string, string]> = [
  [['$!N;s/\\n/+/'], 'a+b\nc\n', 'a+b\nc+d\n'],
  [['N;s/\\n/+/'], 'a+b\nc\n', 'a+b\nc+d\n'], // N at the end prints and quits
  [['$!N;P;D'], IN3, IN4],
  [['-n', '$!N;P;D'], IN3, IN4],
  [['N;P;D'], IN3, IN4],
  [['N;N;D'], 'b\nc\n', 'b\nc\nd\n'],
  [['N;l'], 'a\\nb$\na\nb\nc\n', 'a\\nb$\na\nb\nc\\nd$\nc\nd\n'],
  [['P'], 'a\na\nb\nb\nc\nc\n', 'a\na\nb\nb\nc\nc\nd\nd\n'],
  [['$!N;$!D'], 'b\nc\n', 'c\nd\n'],
  [['$!N;=;P;D'], '2\na\n3\nb\n3\nc\n', '2\na\n3\nb\n4\nc\n4\nd\n'],
  [['N;N;N;N;s/\\n/,/g'], IN3, IN4],
  [['-n', '/b/{N;p}'], 'b\nc\n', 'b\nc\n'],
  [['-n', 'l;l 0'], 'a$\na$\nb$\nb$\nc$\nc$\n', 'a$\na$\nb$\nb$\nc$\nc$\nd$\nd$\n'],
  // Text appended before D starts again comes out when the cycle really ends.
  [['-e', '1{N;a X', '-e', '};P;D'], 'a\nb\nX\nc\n', 'a\nb\nX\nc\nd\n'],
];

describe('sed N D P l', () => {
  it('as GNU sed on the same inputs', async () => {
    const bb = await Busybox.boot(kernels);
    for (const [args, out3, out4] of CASES) {
      expect(await bb.run(['sed', ...args], IN3), args.join(' ')).toEqual({ out: out3, err: '', status: '' });
      expect((await bb.run(['sed', ...args], IN4)).out, args.join(' ')).toBe(out4);
    }
  });

  it('a last line without a newline stays without one through N and P', async () => {
    const bb = await Busybox.boot(kernels);
    expect((await bb.run(['sed', 'N;P;D'], 'a\nb')).out).toBe('a\nb');
    expect((await bb.run(['sed', '-n', '$!N;P'], 'a\nb')).out).toBe('a\n');
    expect((await bb.run(['sed', '-n', 'P'], 'abc')).out).toBe('abc');
    expect((await bb.run(['sed', 'N'], 'a')).out).toBe('a');
  });

  it('l: C escapes, octal for other bytes, folded before the width with a \\', () => {
    expect(listText('a\tb\\c\x01\x80\xc3\xa9 \x7f\r')).toBe('a\\tb\\\\c\\001\\200\\303\\251 \\177\\r$');
    expect(listText('0'.repeat(100))).toBe(`${'0'.repeat(69)}\\\n${'0'.repeat(31)}$`);
    expect(listText('abcdefg\\c', 5)).toBe('abcd\\\nefg\\\n\\\\c$');
    expect(listText('ab\\c', 3)).toBe('ab\\\n\\\\\\\nc$');
    expect(listText('x'.repeat(100), 0)).toBe(`${'x'.repeat(100)}$`);
  });
});
