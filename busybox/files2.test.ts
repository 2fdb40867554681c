// The file commands (group-files.ts) in a booted node, driven through rc as a user would:
// formats, every flag, Plan 9 statuses, and the error lines `NAME: PATH: ERROR` and
// `usage: NAME ...`. What host tools can check is in files2-diff.test.ts.

import { afterEach, describe, expect, it } from 'vitest';
import { runCollected } from '../bin/hostio.ts';
import { userland } from '../bin/userland.ts';
import { boot } from '../kernel/boot.ts';
import type { BootResult } from '../kernel/boot.ts';
import { rcMain } from '../rc/main.ts';
import { parseMode } from './cmd/chmod.ts';
import { dirname } from './cmd/dirname.ts';
import { human } from './cmd/du.ts';
import { parseSize, suffix } from './cmd/split.ts';
import { encodeHeader, padded, paxRecord } from './cmd/ustar.ts';
import { FILE_COMMANDS } from './group-files.ts';

const nodes: BootResult[] = [];
afterEach(async () => { for (const n of nodes.splice(0)) await n.kernel.shutdown(); });

interface Run { out: string; err: string; status: string; node: BootResult }
interface Setup {
  /** Files (names ending in / are directories) made in /tmp before the script runs. */
  files?: Record<string, string | Uint8Array>;
  /** Modification times to set, by name. */
  mtimes?: Record<string, number>;
  stdin?: string;
}

async function rc(script: string, s: Setup = {}): Promise<Run> {
  const node = await boot({ role: 'QueenPrimary', programs: new Map([...userland(), ...FILE_COMMANDS]) });
  nodes.push(node);
  for (const [name, data] of Object.entries(s.files ?? {})) {
    if (name.endsWith('/')) await node.sys.mkdir(`/tmp/${name.slice(0, -1)}`);
    else await node.sys.writeFile(`/tmp/${name}`, data);
  }
  for (const [name, t] of Object.entries(s.mtimes ?? {})) await node.sys.wstat(`/tmp/${name}`, { mtime: t, atime: t });
  return { ...await runCollected(node, rcMain, ['rc', '-c', script], { stdin: s.stdin ?? '', cwd: '/tmp', encoding: 'latin1' }), node };
}

/** Local time as the commands print it, computed here independently. */
function local(secs: number): string {
  const t = new Date(secs * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())}`;
}

const usage = (name: string, text: string) => ({ err: `usage: ${name} ${text}\n`, status: 'usage' });

describe('data larger than a pipe or a read', () => {
  it('crosses chunk boundaries intact through cp, mv, tar, split, cmp and the checksums', async () => {
    const big = Buffer.from(Array.from({ length: 300001 }, (_, i) => (i * 31 + (i >> 9)) & 255));
    const script = 'cp big c1; mkdir d; mv c1 d; tar cf - big | @{mkdir o; cd o; tar xf -}; split -b 65537 big p; cat paa pab pac pad pae > joined; '
      + 'cmp big d/c1; cmp big o/big; cmp big joined; cat big | cmp big; cat big | sha1sum; sha1sum joined; xd big | wc -l; hexdump -v big | wc -l';
    const r = await rc(script, { files: { big } });
    const sha = (await import('node:crypto')).createHash('sha1').update(big).digest('hex');
    expect(r.out).toBe(`${sha}  -\n${sha}  joined\n${Math.ceil(big.length / 16) + 1}\n${Math.ceil(big.length / 16) + 1}\n`);
    expect(r.status).toBe('');
  });
});

describe('the table', () => {
  it('has every command once, and none of the existing ones', () => {
    const names = FILE_COMMANDS.map(([n]) => n);
    expect(names).toEqual(['chmod', 'cmp', 'cp', 'dirname', 'du', 'hexdump', 'mtime', 'mv', 'sha1sum', 'sha256sum', 'split', 'stat', 'tar', 'xd']);
    for (const n of ['mkdir', 'touch', 'rm']) expect(names).not.toContain(n);
  });
});

describe('cp', () => {
  it('copies with the source mode; an existing target is truncated and keeps its own', async () => {
    const r = await rc("chmod 640 a; cp a b; cat b; stat -c %a b; cp a c; stat -c %a c; cat c", { files: { a: 'hello\n', c: 'old old old\n' } });
    expect(r.out).toBe('hello\n640\n664\nhello\n');
    expect(r.status).toBe('');
  });

  it('copies several files into a directory; a trailing slash must name one', async () => {
    const r = await rc('cp a b d; cp a d/c; ls d; cp a nodir/; echo $status; cp a b a', { files: { a: '1', b: '2', 'd/': '' } });
    expect(r.out).toBe('a\nb\nc\nfile does not exist\n');
    expect(r.err).toBe('cp: nodir/: file does not exist\ncp: a: not a directory\n');
    expect(r.status).toBe('not a directory');
  });

  it('-r copies a tree to a new name, or into an existing directory; without it a directory is refused', async () => {
    const files = { 't/': '', 't/u/': '', 't/u/f': 'deep\n', 't/g': 'top\n' };
    const r = await rc('cp -r t n; cat n/u/f n/g; cp -R t n; cat n/t/u/f; cp t x; echo $status', { files });
    expect(r.out).toBe('deep\ntop\ndeep\nis a directory\n');
    expect(r.err).toBe('cp: t: is a directory\n');
  });

  it('-p and Plan 9 -x keep mode and mtime, also through -r', async () => {
    const r = await rc('chmod 600 a; cp -p a p; cp -x a x; cp a plain; mtime p x; stat -c %a p; cp -rp t t2; mtime t2/f t2',
      { files: { a: 'a', 't/': '', 't/f': 'f' }, mtimes: { a: 1000000000, 't/f': 1200000000, t: 1300000000 } });
    expect(r.out).toBe(' 1000000000 p\n 1000000000 x\n600\n 1200000000 t2/f\n 1300000000 t2\n');
    const plain = await r.node.sys.stat('/tmp/plain');
    expect(plain.mtime).toBeGreaterThan(1000000000);
  });

  it('errors: a missing source, the same file, a directory into itself, usage', async () => {
    const r = await rc('cp nosuch x; cp a a; cp a ./a; cp -r t t/u; echo done', { files: { a: '', 't/': '', 't/u/': '' } });
    expect(r.out).toBe('done\n');
    expect(r.err).toBe('cp: nosuch: file does not exist\ncp: a and a are the same file\ncp: a and ./a are the same file\ncp: t: cannot copy a directory into itself\n');
    expect(await rc('cp a')).toMatchObject(usage('cp', '[-prx] from to | [-prx] from ... dir'));
    expect(await rc('cp -z a b')).toMatchObject(usage('cp', '[-prx] from to | [-prx] from ... dir'));
    expect(await rc('cp nosuch x')).toMatchObject({ err: 'cp: nosuch: file does not exist\n', status: 'file does not exist' });
  });
});

describe('mv', () => {
  it('a rename within a directory is a wstat: the qid stays; a target in the way is replaced', async () => {
    const r = await rc('a=`{stat -c %i a}; mv a b; b=`{stat -c %i b}; ~ $a $b && echo same qid; ls; mv b c; cat c; ls', { files: { a: 'new\n', c: 'old\n' } });
    expect(r.out).toBe('same qid\nb\nc\nnew\nc\n');
  });

  it('across directories the file is copied with its mtime and the original removed', async () => {
    const r = await rc('mv a b d; ls d; ls; mtime d/a', { files: { a: 'A', b: 'B', 'd/': '' }, mtimes: { a: 1000000000 } });
    expect(r.out).toBe('a\nb\nd\n 1000000000 d/a\n');
  });

  it('directories: renamed in place, copied as a tree across directories', async () => {
    const files = { 't/': '', 't/u/': '', 't/u/f': 'x\n', 'd/': '' };
    const r = await rc('mv t t2; cat t2/u/f; mv t2 d; cat d/t2/u/f; ls', { files });
    expect(r.out).toBe('x\nx\nd\n');
    expect(r.status).toBe('');
  });

  it('errors: missing, the same file, into itself, file over directory and back, a full directory in the way', async () => {
    const files = { a: 'a', 't/': '', 't/u/': '', 'd/': '', 'd/a/': '', 'x/': '', 'x/t/': '', 'x/t/k': '', 'y/': '', 'y/t/': '' };
    const r = await rc('mv nosuch z; mv a a; mv t t/u; mv a d; mv t a; mv y/t x; echo done', { files });
    expect(r.out).toBe('done\n');
    expect(r.err).toBe('mv: nosuch: file does not exist\nmv: a and a are the same file\nmv: t: cannot move a directory into itself\n'
      + 'mv: d/a: is a directory\nmv: a: not a directory\nmv: x/t: directory is not empty\n');
    expect(await rc('mv a b c', { files: { a: '', b: '' } })).toMatchObject({ err: 'mv: c: file does not exist\n', status: 'file does not exist' });
    expect(await rc('mv a')).toMatchObject(usage('mv', '[-f] from to | [-f] from ... dir'));
    expect(await rc('mv -i a b')).toMatchObject(usage('mv', '[-f] from to | [-f] from ... dir'));
    expect((await rc('mv -f a b; ls', { files: { a: '' } })).out).toBe('b\n');
  });
});

describe('chmod', () => {
  it('octal and symbolic modes, one after another', async () => {
    const steps = ['600', 'u+x', 'a-w', "'go=r'", "'u=rw,go='", '+x', '-x', 'o+rX', 'a+X', 'u+x', 'a+X', '0751'];
    const r = await rc(`touch f; ${steps.map((s) => `chmod ${s} f; stat -c %a f`).join('; ')}`);
    expect(r.out.split('\n').slice(0, -1)).toEqual(['600', '700', '500', '544', '600', '711', '600', '604', '604', '704', '715', '751']);
  });

  it('X adds search permission to directories; a l t are Plan 9 bits that ignore who', async () => {
    const r = await rc('mkdir d; chmod 600 d; chmod a+X d; stat -c %A d; touch f; chmod 600 f; chmod u+al f; stat -c %A f; chmod -a f; stat -c %A f; chmod +t f; stat -c %f f');
    expect(r.out).toBe('d-rwx--x--x\nalrw-------\n-lrw-------\n24000180\n');
  });

  it('-R changes a tree; a mode like -w is not a flag', async () => {
    const r = await rc('mkdir -p r/s; touch r/s/f; chmod -R 700 r; stat -c \'%a %n\' r r/s r/s/f; chmod -R -w r; stat -c %a r/s/f; chmod -w r; stat -c %a r');
    expect(r.out).toBe('700 r\n700 r/s\n700 r/s/f\n500\n500\n');
  });

  it('errors and usage', async () => {
    expect(await rc('chmod 644 nosuch f', { files: { f: '' } })).toMatchObject({ err: 'chmod: nosuch: file does not exist\n', status: 'file does not exist' });
    for (const bad of ['chmod zz f', 'chmod 644', 'chmod -q 644 f', 'chmod 8 f', "chmod 'u+q' f"]) expect(await rc(bad, { files: { f: '' } })).toMatchObject(usage('chmod', '[-R] mode file ...'));
  });

  it('parseMode keeps the directory bit and other bits', () => {
    expect(parseMode('755')!(0x80000000 | 0o700, true)).toBe((0x80000000 | 0o755) >>> 0);
    expect(parseMode('u+x,g+w')!(0o600, false)).toBe(0o720);
    expect(parseMode('ugo')).toBeUndefined();
  });
});

describe('du', () => {
  const files = { 'd/': '', 'd/a': 'x', 'd/e/': '', 'd/e/b': 'y'.repeat(2049), 'd/e/c': 'z'.repeat(1024), 'd/empty': '' };

  it('Plan 9 form: KiB per file rounded up, directories after their contents; -a files too; -s totals', async () => {
    const r = await rc('du d; echo; du -a d; echo; du -s d d/e d/a; echo; cd d; du', { files });
    expect(r.out).toBe('4\td/e\n5\td\n\n1\td/a\n3\td/e/b\n1\td/e/c\n4\td/e\n0\td/empty\n5\td\n\n5\td\n4\td/e\n1\td/a\n\n4\t./e\n5\t.\n');
  });

  it('-h prints byte totals as GNU -h does', async () => {
    const r = await rc('du -ah d; du -sh d', { files });
    expect(r.out).toBe('1\td/a\n2.1K\td/e/b\n1.0K\td/e/c\n3.1K\td/e\n0\td/empty\n3.1K\td\n3.1K\td\n');
    expect([0, 1023, 1024, 1536, 10239, 10240, 1048575, 1048576, 5 * 2 ** 30].map(human)).toEqual(['0', '1023', '1.0K', '1.5K', '10K', '10K', '1.0M', '1.0M', '5.0G']);
  });

  it('a file met twice in one operand (through a bind) counts once', async () => {
    const r = await rc('mkdir d/e2; bind d/e d/e2; du -s d', { files });
    expect(r.out).toBe('5\td\n');
  });

  it('errors and usage', async () => {
    expect(await rc('du -s nosuch d', { files })).toMatchObject({ out: '5\td\n', err: 'du: nosuch: file does not exist\n', status: 'file does not exist' });
    expect(await rc('du -x')).toMatchObject(usage('du', '[-ash] [file ...]'));
  });
});

describe('stat', () => {
  it('prints the whole Dir, one field a line', async () => {
    const r = await rc('stat f; mkdir d; stat d', { files: { f: 'hi\n' }, mtimes: { f: 1000000000 } });
    const lines = r.out.split('\n');
    expect(lines.slice(0, 4)).toEqual(['  File: f', '  Name: f', '  Size: 3', '  Mode: --rw-rw-r-- (0664)']);
    expect(lines[4]).toMatch(/^ {3}Qid: \([0-9a-f]{16} \d+ \)$/);
    expect(lines.slice(5, 11)).toEqual(['  Type: r Dev: 0', '   Uid: glenda', '   Gid: none', '  Muid: glenda',
      `Access: ${local(1000000000)} (1000000000)`, `Modify: ${local(1000000000)} (1000000000)`]);
    expect(lines[14]).toBe('  Mode: d-rwxrwxrwx (0777)');
    expect(lines[15]).toMatch(/^ {3}Qid: \([0-9a-f]{16} \d+ d\)$/);
  });

  it('-c formats', async () => {
    const r = await rc("stat -c '%n|%s|%a|%A|%F|%U|%G|%Y|%X|%y|%%|%q' f e; mkdir d; stat -c %F%f d", { files: { f: 'hi\n', e: '' }, mtimes: { f: 1000000000, e: 5 } });
    expect(r.out).toBe(`f|3|664|--rw-rw-r--|regular file|glenda|none|1000000000|1000000000|${local(1000000000)}|%|%q\n`
      + `e|0|664|--rw-rw-r--|regular empty file|glenda|none|5|5|${local(5)}|%|%q\ndirectory800001ff\n`);
    const i = await rc('stat -c %i f; stat f', { files: { f: '' } });
    const [ino, , , , , qid] = i.out.split('\n');
    expect(qid).toContain(`(${Number(ino).toString(16).padStart(16, '0')} `);
  });

  it('errors and usage', async () => {
    expect(await rc('stat -c %s nosuch f', { files: { f: 'abc' } })).toMatchObject({ out: '3\n', err: 'stat: nosuch: file does not exist\n', status: 'file does not exist' });
    expect(await rc('stat')).toMatchObject(usage('stat', '[-c format] file ...'));
    expect(await rc('stat -c')).toMatchObject(usage('stat', '[-c format] file ...'));
  });
});

describe('dirname', () => {
  it('GNU results, several names, -z', async () => {
    const r = await rc("dirname a/b a/b/ / // //a ///a///b// '' . .. a/. ./a a//b/ /usr/ a; dirname -z a/b c | xd -c");
    expect(r.out).toBe('a\na\n/\n/\n/\n///a\n.\n.\n.\na\n.\na\n/\n.\n0000000   a 00  . 00\n0000004 \n');
    expect(dirname('a/b/c')).toBe('a/b');
  });

  it('usage', async () => {
    expect(await rc('dirname')).toMatchObject(usage('dirname', '[-z] name ...'));
    expect(await rc('dirname -q a')).toMatchObject(usage('dirname', '[-z] name ...'));
  });
});

describe('cmp', () => {
  const files = { c1: 'hello\nworld\n', c2: 'hello\nwarld\n', c3: 'hello\n' };

  it('equal files: no output, empty status; the first difference in POSIX words and status differ', async () => {
    expect(await rc('cmp c1 c1', { files })).toMatchObject({ out: '', err: '', status: '' });
    expect(await rc('cmp c1 c2', { files })).toMatchObject({ out: 'c1 c2 differ: char 8, line 2\n', err: '', status: 'differ' });
    expect(await rc('cmp -L c1 c2', { files })).toMatchObject({ out: 'c1 c2 differ: char 8, line 2\n', status: 'differ' });
  });

  it('-l lists every difference in octal; -s is silent; a short file is EOF on fd 2', async () => {
    expect(await rc('cmp -l c1 c2', { files: { c1: 'abcdef', c2: 'aXcdeY' } })).toMatchObject({ out: '2 142 130\n6 146 131\n', status: 'differ' });
    expect(await rc('cmp -s c1 c2', { files })).toMatchObject({ out: '', err: '', status: 'differ' });
    expect(await rc('cmp c1 c3', { files })).toMatchObject({ out: '', err: 'cmp: EOF on c3\n', status: 'differ' });
    expect(await rc('cmp -s c3 c1', { files })).toMatchObject({ out: '', err: '', status: 'differ' });
    expect(await rc('cmp -l c1 c3', { files: { c1: 'hellx\nmore', c3: 'hello\n' } })).toMatchObject({ out: '5 170 157\n', err: 'cmp: EOF on c3\n', status: 'differ' });
  });

  it('skips (decimal or 0x) and standard input', async () => {
    expect(await rc('cmp c1 c2 6 6', { files })).toMatchObject({ out: 'c1 c2 differ: char 2, line 1\n', status: 'differ' });
    expect(await rc('cmp c1 c2 8 8; cmp c1 c2 0x8 0x8; cmp c3 -; cmp c3 < c3', { files, stdin: 'hello\n' })).toMatchObject({ out: '', status: '' });
    expect(await rc('cmp c1 c3 100', { files })).toMatchObject({ err: 'cmp: EOF on c1\n', status: 'differ' });
  });

  it('errors and usage', async () => {
    expect(await rc('cmp c1 nosuch', { files })).toMatchObject({ out: '', err: 'cmp: nosuch: file does not exist\n', status: 'file does not exist' });
    const u = usage('cmp', '[-lLs] file1 [file2 [skip1 [skip2]]]');
    for (const bad of ['cmp', 'cmp -x c1 c2', 'cmp c1 c2 zz', 'cmp a b 1 2 3']) expect(await rc(bad, { files })).toMatchObject(u);
  });
});

describe('xd', () => {
  const s16 = '0123456789abcdef';
  const files = { h: 'hello\n', s16, s17: `${s16}g`, z: Buffer.concat([Buffer.alloc(48), Buffer.from('x')]), ctl: Buffer.from('a\tb\r\n\b\0\x7f\xff ~', 'latin1') };

  it('the default -4x; a short group padded with zeros; a dump ending on a group boundary; empty input', async () => {
    const r = await rc('xd h; xd s16; xd < /dev/null; echo hello | xd', { files });
    expect(r.out).toBe('0000000  68656c6c 6f0a0000\n0000006 \n'
      + '0000000  30313233 34353637 38396162 63646566\n0000010 \n0000010 \n'
      + '0000000 \n0000000 \n'
      + '0000000  68656c6c 6f0a0000\n0000006 \n');
  });

  it('-c -b -1x, each format a line with later addresses blank-padded', async () => {
    const r = await rc('xd -c ctl; xd -b h; xd -1x h; xd -c -1x h', { files });
    expect(r.out).toBe('0000000   a \\t  b \\r \\n \\b 00 7f ff     ~\n000000b \n'
      + '0000000  68 65 6c 6c 6f 0a\n0000006 \n'.repeat(2)
      + '0000000   h  e  l  l  o \\n\n      0  68 65 6c 6c 6f 0a\n0000006 \n');
  });

  it('sizes and styles: -2o -4d -8x -wd', async () => {
    const r = await rc('xd -2o h; xd -4d h; xd -8x s16; xd -wd h', { files });
    expect(r.out).toBe('0000000  064145 066154 067412\n0000006 \n'
      + '0000000  1751477356 1862926336\n0000006 \n'
      + '0000000  3031323334353637 3839616263646566\n0000010 \n0000010 \n'
      + '0000000  26725 27756 28426\n0000006 \n');
  });

  it('-r folds repeats, -s swaps words, -a sets the address style; several files get titles', async () => {
    const r = await rc('xd -r z; xd -s s16; xd -ad -1x s17; xd -ao -b s17; xd h s16', { files });
    expect(r.out).toBe('0000000  00000000 00000000 00000000 00000000\n*\n0000030  78000000\n0000031 \n'
      + '0000000  33323130 37363534 62613938 66656463\n0000010 \n0000010 \n'
      + '0000000  30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66\n0000016  67\n0000017 \n'
      + '0000000  30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66\n0000020  67\n0000021 \n'
      + 'h\n0000000  68656c6c 6f0a0000\n0000006 \ns16\n0000000  30313233 34353637 38396162 63646566\n0000010 \n0000010 \n');
  });

  it('errors and usage', async () => {
    expect(await rc('xd nosuch h', { files })).toMatchObject({ out: 'h\n0000000  68656c6c 6f0a0000\n0000006 \n', err: 'xd: nosuch: file does not exist\n', status: 'file does not exist' });
    const u = usage('xd', '[-u] [-r] [-s] [-a{odx}] [-c|{b1w2l4v8}{odx}] ... file ...');
    for (const bad of ['xd -q h', 'xd -cx h', 'xd -az h', 'xd -- h']) expect(await rc(bad, { files })).toMatchObject(u);
  });
});

describe('hexdump', () => {
  const h = Buffer.from('hello world, this is a test\0\x01\xff\n', 'latin1');
  const z = Buffer.concat([Buffer.alloc(64), Buffer.from('abc')]);

  it('-C and the default, with busybox padding of a short last line', async () => {
    const r = await rc('hexdump -C h; hexdump h', { files: { h } });
    expect(r.out).toBe('00000000  68 65 6c 6c 6f 20 77 6f  72 6c 64 2c 20 74 68 69  |hello world, thi|\n'
      + '00000010  73 20 69 73 20 61 20 74  65 73 74 00 01 ff 0a     |s is a test....|\n0000001f\n'
      + '0000000 6568 6c6c 206f 6f77 6c72 2c64 7420 6968\n0000010 2073 7369 6120 7420 7365 0074 ff01 000a\n000001f\n');
  });

  it('-b -c -d -o -x, and several formats a line each', async () => {
    const r = await rc('hexdump -c h; hexdump -d h; hexdump -b -x h', { files: { h } });
    expect(r.out).toBe('0000000   h   e   l   l   o       w   o   r   l   d   ,       t   h   i\n'
      + '0000010   s       i   s       a       t   e   s   t  \\0 001 377  \\n    \n000001f\n'
      + '0000000   25960   27756   08303   28535   27762   11364   29728   26984\n'
      + '0000010   08307   29545   24864   29728   29541   00116   65281   00010\n000001f\n'
      + '0000000 150 145 154 154 157 040 167 157 162 154 144 054 040 164 150 151\n'
      + '0000000    6568    6c6c    206f    6f77    6c72    2c64    7420    6968\n'
      + '0000010 163 040 151 163 040 141 040 164 145 163 164 000 001 377 012    \n'
      + '0000010    2073    7369    6120    7420    7365    0074    ff01    000a\n000001f\n');
    expect((await rc('hexdump -o h', { files: { h } })).out.split('\n')[0]).toBe('0000000  062550  066154  020157  067567  066162  026144  072040  064550');
  });

  it('repeated lines fold to *, -v shows them; -s and -n; empty input prints nothing', async () => {
    const r = await rc('hexdump -C z; hexdump z; hexdump -Cv -n 32 z; hexdump -C -s 3 -n 5 h; hexdump -C < /dev/null; hexdump -C -s 1k z', { files: { h, z } });
    const zero = '00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|';
    expect(r.out).toBe(`00000000  ${zero}\n*\n00000040  61 62 63${' '.repeat(42)}|abc|\n00000043\n`
      + `0000000 0000 0000 0000 0000 0000 0000 0000 0000\n*\n0000040 6261 0063${' '.repeat(30)}\n0000043\n`
      + `00000000  ${zero}\n00000010  ${zero}\n00000020\n`
      + `00000003  6c 6f 20 77 6f${' '.repeat(36)}|lo wo|\n00000008\n`
      + '00000043\n');
    // A short last block that repeats the start of the one before: a '*', then the block (busybox 1.35).
    expect((await rc('hexdump -C z', { files: { z: Buffer.alloc(20) } })).out).toBe(`00000000  ${zero}\n*\n00000010  00 00 00 00${' '.repeat(39)}|....|\n00000014\n`);
  });

  it('the files are one stream; a missing one is reported', async () => {
    const r = await rc('hexdump -C a nosuch b', { files: { a: 'abc', b: 'def' } });
    expect(r).toMatchObject({ out: `00000000  61 62 63 64 65 66${' '.repeat(33)}|abcdef|\n00000006\n`, err: 'hexdump: nosuch: file does not exist\n', status: 'file does not exist' });
  });

  it('usage', async () => {
    for (const bad of ['hexdump -q', 'hexdump -n', 'hexdump -e x h']) expect(await rc(bad)).toMatchObject(usage('hexdump', '[-bcCdovx] [-n length] [-s offset] [file ...]'));
    expect(await rc('hexdump -n 1k h')).toMatchObject({ err: "hexdump: invalid number '1k'\n", status: "invalid number '1k'" });
    expect(await rc('hexdump -s 0x1g h')).toMatchObject({ err: "hexdump: invalid number '0x1g'\n" });
  });
});

describe('sha1sum, sha256sum', () => {
  const sha1abc = 'a9993e364706816aba3e25717850c26c9cd0d89d';
  const sha256empty = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

  it('GNU lines for files and standard input', async () => {
    const r = await rc('sha1sum abc - < abc; sha256sum empty', { files: { abc: 'abc', empty: '' } });
    expect(r.out).toBe(`${sha1abc}  abc\n${sha1abc}  -\n${sha256empty}  empty\n`);
    expect((await rc('echo -n abc | sha256sum')).out).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  -\n');
  });

  it('-c checks: OK, FAILED, unreadable, badly formatted lines, and the status', async () => {
    const sums = `${sha1abc}  abc\n${sha1abc} *empty\n${sha1abc}  nosuch\njunk\n`;
    const r = await rc('sha1sum -c sums', { files: { abc: 'abc', empty: '', sums } });
    expect(r.out).toBe('abc: OK\nempty: FAILED\nnosuch: FAILED open or read\n');
    expect(r.err).toBe('sha1sum: nosuch: file does not exist\nsha1sum: WARNING: 1 line is improperly formatted\n'
      + 'sha1sum: WARNING: 1 listed file could not be read\nsha1sum: WARNING: 1 computed checksum did NOT match\n');
    expect(r.status).toBe('checksum mismatch');
    expect(await rc('sha256sum abc empty | sha256sum -c', { files: { abc: 'abc', empty: '' } })).toMatchObject({ out: 'abc: OK\nempty: OK\n', status: '' });
    expect(await rc('echo junk | sha1sum -c')).toMatchObject({ err: "sha1sum: 'standard input': no properly formatted checksum lines found\n", status: '|no checksums' });
  });

  it('errors and usage', async () => {
    expect(await rc('mkdir d; sha1sum d nosuch abc', { files: { abc: 'abc' } })).toMatchObject({
      out: `${sha1abc}  abc\n`, err: 'sha1sum: d: is a directory\nsha1sum: nosuch: file does not exist\n', status: 'file does not exist',
    });
    expect(await rc('sha256sum -x')).toMatchObject(usage('sha256sum', '[-c] [file ...]'));
  });
});

describe('tar', () => {
  const files = { 't/': '', 't/a': 'A\n', 't/s/': '', 't/s/b': 'BB\n' };
  const mtimes = { 't/a': 1000000000, 't/s/b': 1100000000, 't/s': 1200000000, t: 1300000000 };

  it('c then t then x: contents, modes and mtimes come back', async () => {
    const r = await rc("chmod 640 t/a; chmod 750 t/s; tar cf t.tar t; tar tf t.tar; mkdir o; cd o; tar xf ../t.tar; cat t/a t/s/b; stat -c '%a %Y %n' t t/a t/s t/s/b", { files, mtimes });
    expect(r.out).toBe('t/\nt/a\nt/s/\nt/s/b\nA\nBB\n775 1300000000 t\n640 1000000000 t/a\n750 1200000000 t/s\n664 1100000000 t/s/b\n');
    expect(r.status).toBe('');
    expect((await r.node.sys.stat('/tmp/t.tar')).length % 10240).toBe(0);
  });

  it('tv lists in busybox long form', async () => {
    const r = await rc('tar cf t.tar t; tar tvf t.tar', { files, mtimes });
    expect(r.out).toBe(`drwxrwxr-x glenda/none         0 ${local(1300000000)} t/\n-rw-rw-r-- glenda/none         2 ${local(1000000000)} t/a\n`
      + `drwxrwxr-x glenda/none         0 ${local(1200000000)} t/s/\n-rw-rw-r-- glenda/none         3 ${local(1100000000)} t/s/b\n`);
  });

  it('standard input and output; the key with or without a dash; v to fd 2 when the archive is fd 1', async () => {
    const r = await rc('tar cf - t | tar tf -; tar c t | tar t; tar -cvf x.tar t; tar -t -f x.tar | wc -l; tar cvf - t > y.tar; mkdir o; cd o; tar xvf ../y.tar', { files });
    expect(r.out).toBe(`${'t/\nt/a\nt/s/\nt/s/b\n'.repeat(3)}4\n${'t/\nt/a\nt/s/\nt/s/b\n'}`);
    expect(r.err).toBe('t/\nt/a\nt/s/\nt/s/b\n');
  });

  it('long names go through a pax header; a leading / is removed', async () => {
    const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(60)}/${'g'.repeat(120)}`;
    const r = await rc(`mkdir -p ${long.slice(0, long.lastIndexOf('/'))}; echo deep > ${long}; tar cf l.tar ddd*; mkdir o; cd o; tar xf ../l.tar; cat ${long}; tar tf ../l.tar | grep g; tar cf ../abs.tar /tmp/l.tar; tar tf ../abs.tar`);
    expect(r.out).toBe(`deep\n${long}\ntmp/l.tar\n`);
    expect(r.err).toBe("tar: removing leading '/' from member names\n");
  });

  it('x refuses names with .. and skips types it cannot make; c leaves the archive out of itself', async () => {
    const entry = (name: string, typeflag: string, data = ''): Buffer[] => [
      encodeHeader({ name, mode: 0o644, uid: 0, gid: 0, size: data.length, mtime: 1, typeflag, linkname: typeflag === '2' ? 'ok' : '', uname: 'u', gname: 'g' }),
      ...(data ? [padded(Buffer.from(data))] : []),
    ];
    const evil = Buffer.concat([...entry('../evil', '0', 'bad'), ...entry('link', '2'), ...entry('ok', '0', 'fine\n'), Buffer.alloc(1024)]);
    const r = await rc('mkdir x; cd x; tar xf ../evil.tar; ls; cat ok; cd ..; tar cf t/self.tar t; tar tf t/self.tar', { files: { 'evil.tar': evil, ...files } });
    expect(r.out).toBe('ok\nfine\nt/\nt/a\nt/s/\nt/s/b\n');
    expect(r.err).toBe("tar: ../evil: unsafe member name; skipped\ntar: link: entry type '2' not supported; skipped\ntar: t/self.tar: file is the archive; not dumped\n");
    expect(paxRecord('path', 'x'.repeat(3))).toBe('12 path=xxx\n');
  });

  it('names given to t and x select members; one not in the archive is an error', async () => {
    const r = await rc('tar cf t.tar t; tar tf t.tar t/s/ t/a nosuch; mkdir o; cd o; tar xf ../t.tar t/s; ls t; ls t/s', { files });
    expect(r.out).toBe('t/a\nt/s/\nt/s/b\ns\nb\n');
    expect(r.err).toBe('tar: nosuch: not found in archive\n');
  });

  it('errors: missing files, bad and short archives; usage', async () => {
    expect(await rc('tar cf x.tar nosuch t; tar tf x.tar', { files })).toMatchObject({ out: 't/\nt/a\nt/s/\nt/s/b\n', err: 'tar: nosuch: file does not exist\n', status: '' });
    expect(await rc('tar cf x.tar nosuch')).toMatchObject({ err: 'tar: nosuch: file does not exist\n', status: 'file does not exist' });
    expect(await rc('tar tf nosuch.tar')).toMatchObject({ err: 'tar: nosuch.tar: file does not exist\n', status: 'file does not exist' });
    expect(await rc('tar tf bad.tar', { files: { 'bad.tar': Buffer.alloc(512, 7) } })).toMatchObject({ err: 'tar: bad.tar: bad tar header checksum\n', status: 'bad tar header checksum' });
    const short = encodeHeader({ name: 'f', mode: 0o644, uid: 0, gid: 0, size: 2000, mtime: 1, typeflag: '0', linkname: '', uname: '', gname: '' });
    expect(await rc('tar xf short.tar', { files: { 'short.tar': Buffer.concat([short, Buffer.alloc(512)]) } })).toMatchObject({ err: 'tar: short.tar: unexpected end of archive\n', status: 'unexpected end of archive' });
    expect(await rc('tar cf x.tar')).toMatchObject({ err: 'tar: will not create an empty archive\n', status: 'will not create an empty archive' });
    for (const bad of ['tar', 'tar ct', 'tar qf x', 'tar cf']) expect(await rc(bad)).toMatchObject(usage('tar', '{c|t|x}[v][f archive] [file ...]'));
  });
});

describe('mtime', () => {
  it('prints %11d name; a missing file is reported and the rest printed; no files, no output', async () => {
    const r = await rc('mtime a nosuch b; mtime', { files: { a: '', b: '' }, mtimes: { a: 1000000000, b: 12345 } });
    expect(r).toMatchObject({ out: ' 1000000000 a\n      12345 b\n', err: 'mtime: nosuch: file does not exist\n', status: '' });
    expect((await rc('mtime nosuch')).status).toBe('file does not exist');
    expect(await rc('mtime -x a')).toMatchObject(usage('mtime', '[file ...]'));
  });
});

describe('split', () => {
  const names = async (r: Run, re: RegExp): Promise<string[]> => (await r.node.sys.dirread('/tmp')).map((d) => d.name).filter((n) => re.test(n)).sort();
  const read = async (r: Run, n: string): Promise<string> => (await r.node.sys.readFile(`/tmp/${n}`)).toString();

  it('-l N into xaa xab ...; 1000 lines by default; a last line without newline', async () => {
    const r = await rc('seq 1 25 > n; split -l 10 n; cat xac; seq 1 2500 > big; split big y; split -l 2 part p', { files: { part: 'l1\nl2\nl3' } });
    expect(r.out).toBe('21\n22\n23\n24\n25\n');
    expect(await names(r, /^x/)).toEqual(['xaa', 'xab', 'xac']);
    expect((await read(r, 'xaa')).split('\n').length).toBe(11);
    expect(await names(r, /^y/)).toEqual(['yaa', 'yab', 'yac']);
    expect((await read(r, 'yac')).split('\n').length).toBe(501);
    expect([await read(r, 'paa'), await read(r, 'pab')]).toEqual(['l1\nl2\n', 'l3']);
  });

  it('-b with suffixes, -a and -d, standard input; an empty input makes nothing', async () => {
    const r = await rc('split -b 1k f; split -a 3 -d -b 1000 f part.; seq 1 3 | split -l 1 - s; split /dev/null e', { files: { f: 'z'.repeat(2500) } });
    expect(await names(r, /^x/)).toEqual(['xaa', 'xab', 'xac']);
    expect((await read(r, 'xac')).length).toBe(452);
    expect(await names(r, /^part/)).toEqual(['part.000', 'part.001', 'part.002']);
    expect([await read(r, 'saa'), await read(r, 'sac')]).toEqual(['1\n', '3\n']);
    expect(await names(r, /^e/)).toEqual([]);
    expect([parseSize('10'), parseSize('2k'), parseSize('1KB'), parseSize('1m'), parseSize('3b'), parseSize('x'), parseSize('0')]).toEqual([10, 2048, 1000, 1048576, 1536, undefined, undefined]);
    expect([suffix(0, 2, false), suffix(27, 2, false), suffix(675, 2, false), suffix(676, 2, false), suffix(7, 3, true)]).toEqual(['aa', 'bb', 'zz', undefined, '007']);
  });

  it('errors: suffixes exhausted, bad numbers, a missing file; usage', async () => {
    const r = await rc('seq 1 30 | split -a 1 -l 1 - e');
    expect(r).toMatchObject({ err: 'split: output file suffixes exhausted\n', status: '|output file suffixes exhausted' });
    expect(await names(r, /^e/)).toHaveLength(26);
    expect(await rc('split -l 0 n')).toMatchObject({ err: 'split: invalid number of lines: 0\n' });
    expect(await rc('split -b zz n')).toMatchObject({ err: 'split: invalid number of bytes: zz\n' });
    expect(await rc('split nosuch')).toMatchObject({ err: 'split: nosuch: file does not exist\n', status: 'file does not exist' });
    for (const bad of ['split -l 2 -b 3 n', 'split a b c', 'split -q']) expect(await rc(bad)).toMatchObject(usage('split', '[-l lines | -b size] [-a length] [-d] [file [prefix]]'));
  });
});
