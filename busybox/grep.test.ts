// grep beyond the GNU comparison: Plan 9 expression syntax, statuses, files and errors.

import { afterEach, describe, expect, it } from 'vitest';
import { TestKernels } from '../kernel/testkit.ts';
import { Busybox } from './testing.ts';

const kernels = new TestKernels();
afterEach(() => kernels.shutdown());

const TEXT = 'alpha\nbeta\ngamma\n(paren)\na+b\n';

describe('grep', () => {
  it('Plan 9 syntax: | + ( ) are operators with or without -E', async () => {
    const bb = await Busybox.boot(kernels);
    for (const e of [[], ['-E']]) {
      expect((await bb.run(['grep', ...e, 'beta|gamma'], TEXT)).out).toBe('beta\ngamma\n');
      expect((await bb.run(['grep', ...e, '^(al|be)'], TEXT)).out).toBe('alpha\nbeta\n');
      expect((await bb.run(['grep', ...e, 'm+a'], TEXT)).out).toBe('gamma\n');
    }
  });

  it('without -E GNU BRE escapes are operators too; with -E \\c is the literal c; -F is all literal', async () => {
    const bb = await Busybox.boot(kernels);
    expect((await bb.run(['grep', '^\\(al\\|be\\)'], TEXT)).out).toBe('alpha\nbeta\n');
    expect((await bb.run(['grep', 'm\\+a'], TEXT)).out).toBe('gamma\n');
    expect((await bb.run(['grep', '[(]p'], TEXT)).out).toBe('(paren)\n');
    expect((await bb.run(['grep', '-E', '\\(p'], TEXT)).out).toBe('(paren)\n');
    expect((await bb.run(['grep', '-E', 'a\\+b'], TEXT)).out).toBe('a+b\n');
    expect((await bb.run(['grep', '-F', 'a+b'], TEXT)).out).toBe('a+b\n');
    expect((await bb.run(['grep', '-F', '(p'], TEXT)).out).toBe('(paren)\n');
  });

  it("statuses: '' matched, 'no matches', 'bad regexp', 'usage'", async () => {
    const bb = await Busybox.boot(kernels);
    expect((await bb.run(['grep', 'alpha'], TEXT)).status).toBe('');
    expect(await bb.run(['grep', 'zeta'], TEXT)).toEqual({ out: '', err: '', status: 'no matches' });
    expect(await bb.run(['grep', 'a(b'], TEXT)).toMatchObject({ status: 'bad regexp', err: "grep: bad regexp: unmatched `('\n" });
    expect((await bb.run(['grep'])).status).toBe('usage');
    expect((await bb.run(['grep', '-Z', 'x'])).status).toBe('usage');
  });

  it('a pattern JS would backtrack on exponentially answers at once (the node is not stalled), -x and -v too; sed addresses alike', async () => {
    const bb = await Busybox.boot(kernels);
    const a40 = 'a'.repeat(40);
    const input = `${a40}\n${a40}b\nxb\n`;
    expect((await bb.run(['grep', '(a*)*b'], input)).out).toBe(`${a40}b\nxb\n`);
    expect((await bb.run(['grep', '-x', '(a*)*b'], input)).out).toBe(`${a40}b\n`);
    expect((await bb.run(['grep', '-v', '(a|aa)*b'], input)).out).toBe(`${a40}\n`);
    expect((await bb.run(['grep', '-c', '((a*)*)*c'], input)).out).toBe('0\n');
    expect((await bb.run(['sed', '-n', '/(a*)*b/p'], input)).out).toBe(`${a40}b\nxb\n`);
    // awk's match, sub and gsub too (there the match is Plan 9's and POSIX's leftmost-longest).
    const awk = await bb.run(['awk', '/(a*)*c/ { print "no" } { n = gsub(/(a|aa)*b/, "Y"); print n, $0 } END { print match("zzaab", /(a*)*b/), RSTART, RLENGTH }'], input);
    expect(awk.out).toBe(`0 ${a40}\n1 Y\n1 xY\n3 3 3\n`);
  }, 20_000);

  it('unreadable files: reported (unless -s), status error even with matches; -q with a match wins', async () => {
    const bb = await Busybox.boot(kernels);
    await bb.write('/tmp/f', TEXT);
    await bb.sys.mkdir('/tmp/d');
    expect(await bb.run(['grep', 'beta', 'nosuch', 'f'])).toEqual({ out: 'f:beta\n', err: 'grep: nosuch: file does not exist\n', status: 'error' });
    expect(await bb.run(['grep', '-s', 'beta', 'nosuch', 'f'])).toEqual({ out: 'f:beta\n', err: '', status: 'error' });
    expect(await bb.run(['grep', 'x', 'd'])).toMatchObject({ err: 'grep: d: is a directory\n', status: 'error' });
    expect(await bb.run(['grep', '-q', 'beta', 'nosuch', 'f'])).toMatchObject({ out: '', status: '' });
  });

  it('a pattern with newlines is several patterns; -H names standard input', async () => {
    const bb = await Busybox.boot(kernels);
    expect((await bb.run(['grep', 'alpha\nbeta'], TEXT)).out).toBe('alpha\nbeta\n');
    expect((await bb.run(['grep', '-H', 'beta'], TEXT)).out).toBe('(standard input):beta\n');
    expect((await bb.run(['grep', '-l', 'beta'], TEXT)).out).toBe('(standard input)\n');
  });

  it('UTF-8 text and patterns match byte for byte; an unterminated last line gets a newline', async () => {
    const bb = await Busybox.boot(kernels);
    expect((await bb.run(['grep', 'é'], 'café\ncafe\nnaïve')).out).toBe('café\n');
    expect((await bb.run(['grep', 'ï'], 'café\ncafe\nnaïve')).out).toBe('naïve\n');
    expect((await bb.run(['grep', '-i', 'CAF'], 'café\n')).out).toBe('café\n');
  });

  it('answers each line as it arrives, before its input ends (as sed and tr do)', async () => {
    const bb = await Busybox.boot(kernels);
    const { sys } = bb;
    for (const argv of [['grep', 'y'], ['sed', 's/y/Y/'], ['tr', 'y', 'Y'], ['cat']]) {
      const [inR, inW] = await sys.pipe();
      const [outR, outW] = await sys.pipe();
      const pid = await sys.spawn(argv[0]!, argv, { fds: [inR, outW, outW] });
      await sys.close(inR);
      await sys.close(outW);
      await sys.write(inW, 'yes\n');
      expect(Buffer.from(await sys.read(outR, 100)).toString().toLowerCase(), argv[0]).toBe('yes\n');
      await sys.write(inW, 'yet\n');
      expect(Buffer.from(await sys.read(outR, 100)).toString().toLowerCase(), argv[0]).toBe('yet\n');
      await sys.close(inW);
      expect(await sys.waitpid(pid)).toBe('');
      await sys.close(outR);
    }
  });

  it('-q stops at the first match without reading on', async () => {
    const bb = await Busybox.boot(kernels);
    const { sys } = bb;
    const [inR, inW] = await sys.pipe();
    const [outR, outW] = await sys.pipe();
    const pid = await sys.spawn('grep', ['grep', '-q', 'yes'], { fds: [inR, outW, outW] });
    await sys.close(inR);
    await sys.close(outW);
    await sys.write(inW, 'no\nyes\n');
    expect(await sys.waitpid(pid)).toBe(''); // the input is still open
    await sys.close(inW);
    expect((await sys.read(outR, 10)).length).toBe(0);
  });
});
