// The text commands beyond what diff.test.ts compares with GNU: streaming, write sizes,
// files as standard input, output files, errors and usage.

import { afterEach, describe, expect, it } from 'vitest';
import { TestKernels } from '../kernel/testkit.ts';
import { settled } from '../kernel/dev/testing.ts';
import { formatG } from './cmd/seq.ts';
import { numCompare } from './cmd/sort.ts';
import { Busybox } from './testing.ts';

const kernels = new TestKernels();
afterEach(() => kernels.shutdown());

const boot = (): Promise<Busybox> => Busybox.boot(kernels);

describe('echo', () => {
  it('only a first -n is a flag; nothing else is interpreted', async () => {
    const bb = await boot();
    expect((await bb.run(['echo', '-n', '-n', 'x'])).out).toBe('-n x');
    expect((await bb.run(['echo', '-e', 'a\\tb'])).out).toBe('-e a\\tb\n');
    expect((await bb.run(['echo', '--', 'x'])).out).toBe('-- x\n');
    expect((await bb.run(['echo', 'ünï', 'côdé'])).out).toBe('ünï côdé\n');
  });

  it('the line is one write (a ctl file sees one command)', async () => {
    const bb = await boot();
    const { sys } = bb;
    const [r, w] = await sys.pipe();
    const pid = await sys.spawn('echo', ['echo', 'load', 'mlp', '/lib/models/mlp.onnx'], { fds: [r, w, w] });
    await sys.close(w);
    expect(await sys.waitpid(pid)).toBe('');
    expect(Buffer.from(await sys.read(r, 8192)).toString()).toBe('load mlp /lib/models/mlp.onnx\n');
  });
});

describe('cat', () => {
  it('passes data on as it arrives, before its input ends', async () => {
    const bb = await boot();
    const { sys } = bb;
    const [inR, inW] = await sys.pipe();
    const [outR, outW] = await sys.pipe();
    const pid = await sys.spawn('cat', ['cat'], { fds: [inR, outW, outW] });
    await sys.close(inR);
    await sys.close(outW);
    await sys.write(inW, 'first\n');
    expect(Buffer.from(await sys.read(outR, 100)).toString()).toBe('first\n');
    const more = sys.read(outR, 100);
    expect(await settled(more)).toBe(false);
    await sys.write(inW, 'second');
    expect(Buffer.from(await more).toString()).toBe('second');
    await sys.close(inW);
    expect(await sys.waitpid(pid)).toBe('');
  });

  it('a missing file is reported as NAME: PATH: ERROR, the rest still copied', async () => {
    const bb = await boot();
    await bb.write('/tmp/a', 'A\n');
    expect(await bb.run(['cat', 'nosuch', 'a', '/tmp/gone/x'])).toEqual({
      out: 'A\n', err: 'cat: nosuch: file does not exist\ncat: /tmp/gone/x: file does not exist\n', status: 'file does not exist',
    });
  });

  it('large inputs intact', async () => {
    const bb = await boot();
    const big = Buffer.alloc(300_000, 'abcdefghij\n');
    const r = await bb.runBytes(['cat'], big);
    expect(r.out.equals(big)).toBe(true);
  });
});

describe('seq', () => {
  it('%g for exponent operands, C style', () => {
    expect([formatG(100), formatG(1e6), formatG(1234567), formatG(0.0001), formatG(0.00001), formatG(-2.5)]).toEqual(['100', '1e+06', '1.23457e+06', '0.0001', '1e-05', '-2.5']);
  });

  it('errors: a bad number, a zero increment, too many operands', async () => {
    const bb = await boot();
    expect(await bb.run(['seq', 'abc'])).toMatchObject({ out: '', status: 'usage', err: "seq: invalid floating point argument: 'abc'\n" });
    expect((await bb.run(['seq', '1', '0', '3'])).status).toBe('usage');
    expect((await bb.run(['seq', '1', '2', '3', '4'])).err).toBe('usage: seq [-w] [-s sep] [first [incr]] last\n');
  });

  it('-w with negative numbers keeps the sign in front of the zeros', async () => {
    const bb = await boot();
    expect((await bb.run(['seq', '-w', '-10', '5', '0'])).out).toBe('-10\n-05\n000\n');
  });
});

describe('wc', () => {
  it('standard input that is a regular file is sized like a file (GNU)', async () => {
    const bb = await boot();
    await bb.write('/tmp/f', 'one two\nthree\n');
    expect((await bb.run(['wc'], '', { stdinFile: '/tmp/f' })).out).toBe(' 2  3 14\n');
    expect((await bb.run(['wc', '-l'], '', { stdinFile: '/tmp/f' })).out).toBe('2\n');
    expect((await bb.run(['wc'], 'one two\nthree\n')).out).toBe('      2       3      14\n');
  });

  it('a missing file is reported; the others and the total still printed', async () => {
    const bb = await boot();
    await bb.write('/tmp/f', 'x\n');
    expect(await bb.run(['wc', '-l', 'f', 'nosuch'])).toEqual({ out: '1 f\n1 total\n', err: 'wc: nosuch: file does not exist\n', status: 'file does not exist' });
  });

  it('a directory is an error', async () => {
    const bb = await boot();
    await bb.sys.mkdir('/tmp/d');
    expect(await bb.run(['wc', '-l', 'd'])).toMatchObject({ err: 'wc: d: is a directory\n', status: 'is a directory' });
  });
});

describe('sort', () => {
  it('numbers compare as decimals, not floats', () => {
    expect(numCompare('12345678901234567891', '12345678901234567890')).toBe(1);
    expect(numCompare('-0', '0')).toBe(0);
    expect(numCompare('  -1.50', '-1.5')).toBe(0);
    expect(numCompare('abc', '0')).toBe(0);
    expect(numCompare('-2', '-10')).toBe(1);
    expect(numCompare('.5', '0.4')).toBe(1);
  });

  it('-o writes a file (which may be an input)', async () => {
    const bb = await boot();
    await bb.write('/tmp/f', 'b\na\n');
    expect((await bb.run(['sort', '-o', 'f', 'f'])).status).toBe('');
    expect(await bb.read('/tmp/f')).toBe('a\nb\n');
  });

  it('-o into a file that cannot be created, only opened (a pipe, as rc\'s >{cmd} gives)', async () => {
    const bb = await boot();
    const { sys } = bb;
    await sys.mkdir('/tmp/p');
    await sys.bind('#|', '/tmp/p');
    const other = await sys.open('/tmp/p/data1', 0);
    expect((await bb.run(['sort', '-r', '-o', '/tmp/p/data'], '1\n2\n3\n')).status).toBe('');
    expect(Buffer.from(await sys.read(other, 100)).toString()).toBe('3\n2\n1\n');
  });

  it('byte order on arbitrary bytes, many lines', async () => {
    const bb = await boot();
    const lines: Buffer[] = [];
    let x = 7;
    for (let i = 0; i < 5000; i++) {
      const n = 1 + (i % 9);
      const b = Buffer.alloc(n);
      for (let j = 0; j < n; j++) { x = (x * 1103515245 + 12345) & 0x7fffffff; b[j] = 11 + (x % 245); }
      lines.push(b);
    }
    const r = await bb.runBytes(['sort'], Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
    const want = [...lines].sort(Buffer.compare);
    expect(r.out.equals(Buffer.concat(want.flatMap((l) => [l, Buffer.from('\n')])))).toBe(true);
  });

  it('bad keys and tabs are usage errors', async () => {
    const bb = await boot();
    expect((await bb.run(['sort', '-k', '0'])).status).toBe('usage');
    expect((await bb.run(['sort', '-k', 'x'])).status).toBe('usage');
    expect((await bb.run(['sort', '-t', 'ab'])).status).toBe('usage');
  });
});

describe('uniq', () => {
  it('writes to an output file when given one', async () => {
    const bb = await boot();
    await bb.write('/tmp/in', 'a\na\nb\n');
    expect((await bb.run(['uniq', '-c', 'in', 'out'])).out).toBe('');
    expect(await bb.read('/tmp/out')).toBe('      2 a\n      1 b\n');
  });

  it('a missing input is an error', async () => {
    const bb = await boot();
    expect(await bb.run(['uniq', 'nosuch'])).toMatchObject({ err: 'uniq: nosuch: file does not exist\n', status: 'file does not exist' });
  });
});

describe('tr', () => {
  it('escapes, classes, [c*n] repeats, complement with delete', async () => {
    const bb = await boot();
    expect((await bb.run(['tr', '\\n\\t', '_:'], 'a\tb\n')).out).toBe('a:b_');
    expect((await bb.run(['tr', '[:digit:][:space:]', '#'], 'a1 b2\n')).out).toBe('a##b##');
    expect((await bb.run(['tr', 'a-f', '[x*3]y'], 'abcdef')).out).toBe('xxxyyy');
    expect((await bb.run(['tr', '-cd', '[:alpha:]'], 'a1-b2 c!\n')).out).toBe('abc');
    expect((await bb.run(['tr', '-ds', 'a', 'b'], 'abbbac')).out).toBe('bc');
  });

  it('bytes that are not text pass through and can be translated', async () => {
    const bb = await boot();
    const r = await bb.runBytes(['tr', '\\377\\000', 'xy'], new Uint8Array([0xff, 0, 0x80]));
    expect([...r.out]).toEqual([0x78, 0x79, 0x80]);
  });

  it('usage errors: reversed range, missing or extra sets', async () => {
    const bb = await boot();
    expect((await bb.run(['tr', 'z-a', 'x'])).status).toBe('usage');
    expect((await bb.run(['tr', 'a'])).status).toBe('usage');
    expect((await bb.run(['tr', '-d', 'a', 'b'])).status).toBe('usage');
    expect((await bb.run(['tr', 'a', ''])).status).toBe('usage');
  });
});

describe('basename', () => {
  it('as POSIX: suffix only when something is left; usage otherwise', async () => {
    const bb = await boot();
    expect((await bb.run(['basename', '.txt', '.txt'])).out).toBe('.txt\n');
    expect((await bb.run(['basename', 'a//b//'])).out).toBe('b\n');
    expect((await bb.run(['basename', ''])).out).toBe('\n');
    expect((await bb.run(['basename'])).status).toBe('usage');
  });
});
