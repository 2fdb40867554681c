// sed beyond the GNU comparison: Plan 9 expressions, script errors, -f, q's status, several
// inputs as one stream, and the substitution rules on their own.

import { afterEach, describe, expect, it } from 'vitest';
import { TestKernels } from '../kernel/testkit.ts';
import { substitute } from './cmd/sed.ts';
import { regexp } from './regexp.ts';
import { parseScript, SedError } from './sedscript.ts';
import { Busybox } from './testing.ts';

const kernels = new TestKernels();
afterEach(() => kernels.shutdown());

const sub = (s: string, re: string, repl: Array<string | number>, nth = 1, g = false): string | undefined => substitute(s, regexp(re, {}, 'g'), repl, nth, g);

describe('substitute', () => {
  it('nth, global from nth, no empty match right after a match', () => {
    expect(sub('aaaa', 'a', ['b'], 3)).toBe('aaba');
    expect(sub('aaaa', 'a', ['b'], 2, true)).toBe('abbb');
    expect(sub('abc', 'b*', ['x'], 1, true)).toBe('xaxcx');
    expect(sub('hello', 'l*', ['X'], 3)).toBe('heXo');
    expect(sub('abc', 'z', ['x'])).toBeUndefined();
    expect(sub('ab', '(a)(b)', [2, '-', 1, '-', 0])).toBe('b-a-ab');
  });
});

describe('parseScript', () => {
  it('errors name the problem', () => {
    const err = (s: string): string => { try { parseScript(s); return 'parsed'; } catch (e) { return (e as SedError).message; } };
    expect(err('s/a/b')).toBe('unterminated `s\' command');
    expect(err('k')).toBe('unknown command: `k\'');
    expect(err('b nowhere')).toBe('can\'t find label for jump to `nowhere\'');
    expect(err('{p')).toBe('unmatched `{\'');
    expect(err('}')).toBe('unexpected `}\'');
    expect(err('p x')).toBe('extra characters after command');
    expect(err('s/a/b/0')).toMatch(/may not be zero/);
    expect(err('s/(/x/')).toBe('unmatched `(\'');
    expect(err('y/ab/c/')).toMatch(/different lengths/);
  });

  it('commands, addresses, blocks and comments', () => {
    const cmds = parseScript('# comment\n1,/x/!{ s/a/b/gp ; p }\n$q 3');
    expect(cmds.map((c) => c.name)).toEqual(['{', 's', 'p', '}', 'q']);
    expect(cmds[0]).toMatchObject({ negate: true, a1: { kind: 'line', n: 1 }, a2: { kind: 're' }, jump: 4 });
    expect(cmds[1]).toMatchObject({ global: true, print: true, nth: 1 });
    expect(cmds[4]).toMatchObject({ a1: { kind: 'last' }, code: 3 });
  });
});

describe('sed', () => {
  it('Plan 9 syntax: ( ) | + are operators; braces are literal', async () => {
    const bb = await Busybox.boot(kernels);
    expect((await bb.run(['sed', 's/(a|b)+/X/'], 'cabbad\n')).out).toBe('cXd\n');
    expect((await bb.run(['sed', 's/a{2}/Y/'], 'aa a{2}\n')).out).toBe('aa Y\n');
  });

  it('GNU BRE groups work without -E (as Linux scripts write them); -E makes \\( a paren', async () => {
    const bb = await Busybox.boot(kernels);
    expect((await bb.run(['sed', 's,.*/\\(.*/.*\\)$,\\1,'], '/tmp/x/base/sub\n')).out).toBe('base/sub\n');
    expect((await bb.run(['sed', 's/\\(a\\|b\\)\\+/X/'], 'cabbad\n')).out).toBe('cXd\n');
    expect((await bb.run(['sed', '-E', 's/\\((.*)\\)/[\\1]/'], 'f(x)\n')).out).toBe('f[x]\n');
    expect((await bb.run(['sed', 's/[(](.*)[)]/[\\1]/'], 'f(x)\n')).out).toBe('f[x]\n');
    expect((await bb.run(['sed', 's|a\\|b|X|'], 'a|b ab\n')).out).toBe('X ab\n');
    expect((await bb.run(['sed', 's+a\\+b+X+'], 'a+b ab\n')).out).toBe('X ab\n');
  });

  it('a bad script: message and status', async () => {
    const bb = await Busybox.boot(kernels);
    expect(await bb.run(['sed', 's/a/b'], 'x\n')).toEqual({ out: '', err: 'sed: -e expression: unterminated `s\' command\n', status: 'bad script' });
    expect((await bb.run(['sed'])).status).toBe('usage');
  });

  it('-f reads the script from a file; -e and the files after it', async () => {
    const bb = await Busybox.boot(kernels);
    await bb.write('/tmp/script', 's/a/A/\n/z/d\n');
    await bb.write('/tmp/in', 'abc\nzzz\nbar\n');
    expect((await bb.run(['sed', '-f', 'script', 'in'])).out).toBe('Abc\nbAr\n');
  });

  it('q with an exit code gives it as the status', async () => {
    const bb = await Busybox.boot(kernels);
    expect(await bb.run(['sed', '2q5'], 'a\nb\nc\n')).toEqual({ out: 'a\nb\n', err: '', status: '5' });
    expect(await bb.run(['sed', '2Q'], 'a\nb\nc\n')).toEqual({ out: 'a\n', err: '', status: '' });
  });

  it('several files are one stream: line numbers run on and $ is the last line of the last', async () => {
    const bb = await Busybox.boot(kernels);
    await bb.write('/tmp/a', 'a1\na2\n');
    await bb.write('/tmp/b', 'b1\nb2\n');
    expect((await bb.run(['sed', '-n', '3p;$p', 'a', 'b'])).out).toBe('b1\nb2\n');
    expect(await bb.run(['sed', '-n', '$p', 'a', 'nosuch'])).toEqual({ out: 'a2\n', err: 'sed: nosuch: file does not exist\n', status: 'file does not exist' });
  });

  it('a, i, c with multi-line text; = numbers; hold space', async () => {
    const bb = await Busybox.boot(kernels);
    expect((await bb.run(['sed', '1a\\\none\\\ntwo'], 'x\ny\n')).out).toBe('x\none\ntwo\ny\n');
    expect((await bb.run(['sed', '-n', '$='], 'x\ny\nz\n')).out).toBe('3\n');
    expect((await bb.run(['sed', '-n', '1h;1!H;${g;s/\\n/,/g;p}'], 'x\ny\nz\n')).out).toBe('x,y,z\n');
  });

  it('// reuses the last expression', async () => {
    const bb = await Busybox.boot(kernels);
    expect((await bb.run(['sed', '/b/s//B/g'], 'abcb\nxyz\n')).out).toBe('aBcB\nxyz\n');
  });
});
