// ls, mkdir, rm, touch and test against the ramfs at /tmp: formats, times, errors.

import { afterEach, describe, expect, it } from 'vitest';
import { DMAPPEND, DMDIR, DMEXCL, OWRITE } from '../fs/9p/constants.ts';
import { TestKernels } from '../kernel/testkit.ts';
import { lsTime, modeString } from './cmd/ls.ts';
import { prefixes } from './cmd/mkdir.ts';
import { Busybox } from './testing.ts';

const kernels = new TestKernels();
afterEach(() => kernels.shutdown());

async function withFiles(files: Record<string, string>): Promise<Busybox> {
  const bb = await Busybox.boot(kernels);
  for (const [name, data] of Object.entries(files)) {
    if (name.endsWith('/')) await bb.sys.mkdir(`/tmp/${name.slice(0, -1)}`);
    else await bb.write(`/tmp/${name}`, data);
  }
  return bb;
}

describe('ls', () => {
  it('Plan 9 mode strings', () => {
    expect(modeString(0o664)).toBe('--rw-rw-r--');
    expect(modeString((DMDIR | 0o775) >>> 0)).toBe('d-rwxrwxr-x');
    expect(modeString((DMAPPEND | DMEXCL | 0o600) >>> 0)).toBe('alrw-------');
  });

  it('times: recent ones with the clock, old ones with the year', () => {
    const now = Date.UTC(2026, 10, 25, 12, 0, 0) / 1000;
    const recent = new Date(2026, 10, 5, 9, 7).getTime() / 1000;
    const old = new Date(2020, 0, 15, 9, 7).getTime() / 1000;
    expect(lsTime(recent, now)).toBe('Nov  5 09:07');
    expect(lsTime(old, now)).toBe('Jan 15  2020');
  });

  it('-l: Plan 9 columns, lengths right-aligned, uids padded', async () => {
    const bb = await withFiles({ a: 'x', bigger: 'y'.repeat(1234), 'sub/': '' });
    const r = await bb.run(['ls', '-l']);
    expect(r.status).toBe('');
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^--rw-rw-r-- r 0 glenda none {4}1 \w{3} [ \d]\d \d\d:\d\d a$/);
    expect(lines[1]).toMatch(/^--rw-rw-r-- r 0 glenda none 1234 \w{3} [ \d]\d \d\d:\d\d bigger$/);
    expect(lines[2]).toMatch(/^d-rwxrwxr-x r 0 glenda none {4}0 .* sub$/);
  });

  it('a file operand is printed as given, also with -l', async () => {
    const bb = await withFiles({ 'sub/': '', 'sub/f': 'data' });
    expect((await bb.run(['ls', 'sub/f', '/tmp/sub/f'])).out).toBe('/tmp/sub/f\nsub/f\n');
    expect((await bb.run(['ls', '-l', './sub/f'])).out).toMatch(/ 4 .* \.\/sub\/f\n$/);
  });

  it('-t newest first (ties by name), -r reverses, -s sizes in KiB', async () => {
    const bb = await withFiles({ old: 'x', mid: 'y'.repeat(3000), new: '', tie: '' });
    await bb.sys.wstat('/tmp/old', { mtime: 1000 });
    await bb.sys.wstat('/tmp/mid', { mtime: 2000 });
    await bb.sys.wstat('/tmp/new', { mtime: 3000 });
    await bb.sys.wstat('/tmp/tie', { mtime: 3000 });
    expect((await bb.run(['ls', '-t'])).out).toBe('new\ntie\nmid\nold\n');
    expect((await bb.run(['ls', '-tr'])).out).toBe('old\nmid\ntie\nnew\n');
    expect((await bb.run(['ls', '-s'])).out).toBe('3 mid\n0 new\n1 old\n0 tie\n');
  });

  it('-a shows dot files; -F marks executables', async () => {
    const bb = await withFiles({ '.dot': '', plain: '' });
    await bb.sys.close(await bb.sys.create('/tmp/prog', OWRITE, 0o755));
    expect((await bb.run(['ls', '-a'])).out).toBe('.dot\nplain\nprog\n');
    expect((await bb.run(['ls', '-F'])).out).toBe('plain\nprog*\n');
  });

  it('a missing name: NAME: error on fd 2, the rest listed, failure status', async () => {
    const bb = await withFiles({ f: '' });
    expect(await bb.run(['ls', 'f', 'nosuch'])).toEqual({ out: 'f\n', err: 'ls: nosuch: file does not exist\n', status: 'file does not exist' });
  });

  it('another directory of the namespace, by absolute path', async () => {
    const bb = await withFiles({});
    expect((await bb.run(['ls', '/bin'])).out.split('\n')).toContain('[');
    expect((await bb.run(['ls', '-d', '/bin', '/tmp'])).out).toBe('/bin\n/tmp\n');
  });
});

describe('mkdir', () => {
  it('prefixes of a path', () => {
    expect(prefixes('a/b/c')).toEqual(['a', 'a/b', 'a/b/c']);
    expect(prefixes('/x//y/')).toEqual(['/x', '/x/y']);
    expect(prefixes('./a/../b')).toEqual(['./a', './a/../b']);
  });

  it('an existing name fails without -p; -p is content; -p through a file fails', async () => {
    const bb = await withFiles({ 'd/': '', f: '' });
    expect(await bb.run(['mkdir', 'd'])).toEqual({ out: '', err: 'mkdir: d already exists\n', status: 'file exists' });
    expect((await bb.run(['mkdir', '-p', 'd', 'd/e/f'])).status).toBe('');
    expect((await bb.sys.stat('/tmp/d/e/f')).mode & DMDIR).toBeTruthy();
    expect(await bb.run(['mkdir', '-p', 'f/g'])).toMatchObject({ err: "mkdir: can't create f/g: not a directory\n", status: 'not a directory' });
    expect(await bb.run(['mkdir', 'x/y'])).toMatchObject({ err: "mkdir: can't create x/y: file does not exist\n" });
    expect((await bb.run(['mkdir'])).status).toBe('usage');
  });

  it('-m sets the permissions', async () => {
    const bb = await withFiles({});
    expect((await bb.run(['mkdir', '-m', '700', 'priv'])).status).toBe('');
    expect((await bb.sys.stat('/tmp/priv')).mode & 0o777).toBe(0o700);
    expect((await bb.run(['mkdir', '-m', 'rwx', 'x'])).status).toBe('usage');
  });
});

describe('rm', () => {
  it('a directory needs -r; -r takes everything below', async () => {
    const bb = await withFiles({ 'd/': '', 'd/e/': '', 'd/e/f': 'x', 'd/g': '' });
    expect(await bb.run(['rm', 'd'])).toEqual({ out: '', err: 'rm: d: is a directory\n', status: 'is a directory' });
    expect((await bb.run(['rm', '-r', 'd/'])).status).toBe('');
    expect(await bb.exists('/tmp/d')).toBe(false);
  });

  it('-f: quiet about missing files, not about other errors; no operands', async () => {
    const bb = await withFiles({ 'd/': '' });
    expect(await bb.run(['rm', '-f', 'nosuch'])).toEqual({ out: '', err: '', status: '' });
    expect((await bb.run(['rm', '-f', 'd'])).status).toBe('is a directory');
    expect((await bb.run(['rm'])).status).toBe('usage');
    expect((await bb.run(['rm', '-f'])).status).toBe('');
  });
});

describe('touch', () => {
  it('creates missing files empty, keeps the content of others and sets their time', async () => {
    const bb = await withFiles({ f: 'keep' });
    await bb.sys.wstat('/tmp/f', { mtime: 1000 });
    const before = Math.floor(Date.now() / 1000);
    expect((await bb.run(['touch', 'f', 'new'])).status).toBe('');
    expect(await bb.read('/tmp/f')).toBe('keep');
    expect((await bb.sys.stat('/tmp/f')).mtime).toBeGreaterThanOrEqual(before);
    expect((await bb.sys.stat('/tmp/new')).length).toBe(0);
  });

  it('-c does not create; a missing directory is an error', async () => {
    const bb = await withFiles({});
    expect((await bb.run(['touch', '-c', 'nope'])).status).toBe('');
    expect(await bb.exists('/tmp/nope')).toBe(false);
    expect(await bb.run(['touch', 'no/dir'])).toMatchObject({ err: 'touch: no/dir: file does not exist\n', status: 'file does not exist' });
  });
});

describe('test and [', () => {
  it('permissions from the mode bits for the user', async () => {
    const bb = await withFiles({});
    await bb.sys.close(await bb.sys.create('/tmp/ro', OWRITE, 0o444));
    await bb.sys.close(await bb.sys.create('/tmp/x', OWRITE, 0o755));
    expect((await bb.run(['test', '-r', 'ro'])).status).toBe('');
    expect((await bb.run(['test', '-w', 'ro'])).status).toBe('false');
    expect((await bb.run(['test', '-x', 'ro'])).status).toBe('false');
    expect((await bb.run(['test', '-x', 'x'])).status).toBe('');
    expect((await bb.run(['test', '-e', '/tmp'])).status).toBe('');
    expect((await bb.run(['test', '-d', '/bin'])).status).toBe('');
    expect((await bb.run(['test', '-f', '/bin/cat'])).status).toBe('');
  });

  it('malformed expressions print why and fail with it', async () => {
    const bb = await withFiles({});
    expect(await bb.run(['test', 'a', '-eq', '1'])).toEqual({ out: '', err: "test: invalid integer 'a'\n", status: "invalid integer 'a'" });
    expect((await bb.run(['test', '-q', 'x'])).status).toBe('-q: unary operator expected');
    expect(await bb.run(['[', '1', '=', '1'])).toEqual({ out: '', err: "[: missing ']'\n", status: 'missing ]' });
    expect((await bb.run(['test', '(', 'a', '=', 'a'])).status).not.toBe('');
  });

  it('POSIX argument counts: a lone operator is a string; ! and ( ) by count', async () => {
    const bb = await withFiles({});
    const st = async (...a: string[]): Promise<string> => (await bb.run(['test', ...a])).status;
    expect(await st('-n')).toBe('');
    expect(await st('!')).toBe('');
    expect(await st('!', '')).toBe('');
    expect(await st('!', '-z', '')).toBe('false');
    expect(await st('(', 'x', ')')).toBe('');
    expect(await st('!', '(', '', ')')).toBe('');
    expect(await st('a', '-o', '')).toBe('');
    expect(await st('', '-a', 'b')).toBe('false');
    expect(await st('!', 'a', '=', 'a', '-o', 'b', '=', 'b')).toBe('');
    expect(await st('-1', '-lt', '+2')).toBe('');
    expect(await st('99999999999999999999', '-gt', '99999999999999999998')).toBe('');
  });
});
