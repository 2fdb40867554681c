// Differential test: each invocation runs under our busybox (in a kernel, cwd a ramfs /tmp)
// and under the host's GNU tool (cwd a fresh host temp dir holding the same files, LC_ALL=C),
// and stdout and success/failure must agree. stderr wording differs by design (Plan 9 error
// strings) and is not compared. An invocation whose host tool is missing is skipped.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TestKernels } from '../kernel/testkit.ts';
import { Busybox } from './testing.ts';

const kernels = new TestKernels();
afterEach(() => kernels.shutdown());

interface Case {
  argv: string[];
  stdin?: string;
  /** Files in the working directory; a name ending in / is a directory. */
  files?: Record<string, string>;
  /** A second command run afterwards in the same directory, its output compared too (for mkdir, rm, touch). */
  after?: string[];
}

const FRUIT = 'banana\napple\ncherry\napple\nbanana\nbanana\ndate\n';
const NUMS = '10\n9\n-3\n2.5\n010\nx\n1e2\n';
const TABLE = 'bob:25:x\nalice:30:y\ncarol:25:z\ndave:4:w\n';
const WORDS = 'the quick  brown fox\njumps over\tthe lazy dog\n\nend';
const FILES = { f1: 'one\ntwo\nthree\n', f2: 'alpha beta\ngamma\n', empty: '' };

const CASES: Case[] = [
  { argv: ['echo', 'hello', 'world'] },
  { argv: ['echo', '-n', 'no', 'newline'] },
  { argv: ['echo'] },
  { argv: ['cat', 'f1', 'f2'], files: FILES },
  { argv: ['cat'], stdin: WORDS },
  { argv: ['cat', 'f1', '-', 'f2'], stdin: 'middle\n', files: FILES },
  { argv: ['cat', 'nosuch', 'f1'], files: FILES },
  { argv: ['seq', '5'] },
  { argv: ['seq', '2', '5'] },
  { argv: ['seq', '1', '3', '10'] },
  { argv: ['seq', '10', '-3', '1'] },
  { argv: ['seq', '-w', '8', '10'] },
  { argv: ['seq', '0', '0.25', '1'] },
  { argv: ['seq', '0', '0.1', '1'] },
  { argv: ['seq', '-w', '-1', '0.5', '1'] },
  { argv: ['seq', '5', '1'] },
  { argv: ['seq', '-s', ',', '3'] },
  { argv: ['wc', '-l'], stdin: WORDS },
  { argv: ['wc', '-w'], stdin: WORDS },
  { argv: ['wc', '-c'], stdin: WORDS },
  { argv: ['wc'], stdin: WORDS },
  { argv: ['wc', '-lw'], stdin: WORDS },
  { argv: ['wc', 'f1'], files: FILES },
  { argv: ['wc', '-l', 'f1'], files: FILES },
  { argv: ['wc', 'f1', 'f2', 'empty'], files: FILES },
  { argv: ['wc', '-c', 'f1', 'f2'], files: FILES },
  { argv: ['sort'], stdin: FRUIT },
  { argv: ['sort', '-r'], stdin: FRUIT },
  { argv: ['sort', '-u'], stdin: FRUIT },
  { argv: ['sort', '-n'], stdin: NUMS },
  { argv: ['sort', '-nr'], stdin: NUMS },
  { argv: ['sort', '-nu'], stdin: '1\n01\n2\n1.0\n' },
  { argv: ['sort', '-t', ':', '-k', '2n'], stdin: TABLE },
  { argv: ['sort', '-t', ':', '-k', '2,2n', '-k', '1r'], stdin: TABLE },
  { argv: ['sort', '-k', '2'], stdin: 'a  b\na c\nb a\n' },
  { argv: ['sort', '-f'], stdin: 'b\nB\na\nA\n' },
  { argv: ['sort', 'f1', 'f2'], files: FILES },
  { argv: ['uniq'], stdin: 'a\na\nb\na\nc\nc\n' },
  { argv: ['uniq', '-c'], stdin: 'a\na\nb\na\nc\nc\n' },
  { argv: ['uniq', '-d'], stdin: 'a\na\nb\na\nc\nc\n' },
  { argv: ['uniq', '-u'], stdin: 'a\na\nb\na\nc\nc\n' },
  { argv: ['tr', 'a-z', 'A-Z'], stdin: WORDS },
  { argv: ['tr', '-d', 'aeiou'], stdin: WORDS },
  { argv: ['tr', '-s', ' '], stdin: 'a   b  c d\n' },
  { argv: ['tr', '[:lower:]', '[:upper:]'], stdin: 'Mixed Case\n' },
  { argv: ['tr', '\\001', ':'], stdin: 'a\x01b\x01c\n' },
  { argv: ['tr', 'abc', 'xy'], stdin: 'aabbcc\n' },
  { argv: ['tr', '-cs', 'a-z', '\\n'], stdin: 'one, two;three\n' },
  { argv: ['grep', 'an'], stdin: FRUIT },
  { argv: ['grep', '-v', 'an'], stdin: FRUIT },
  { argv: ['grep', '-n', 'e'], stdin: FRUIT },
  { argv: ['grep', '-c', 'an'], stdin: FRUIT },
  { argv: ['grep', '-i', 'APP'], stdin: FRUIT },
  { argv: ['grep', 'nothing'], stdin: FRUIT },
  { argv: ['grep', '-q', 'date'], stdin: FRUIT },
  { argv: ['grep', '-e', 'che', '-e', 'dat'], stdin: FRUIT },
  { argv: ['grep', '^b.n'], stdin: FRUIT },
  { argv: ['grep', 'y$'], stdin: FRUIT },
  { argv: ['grep', '[c-d]'], stdin: FRUIT },
  { argv: ['grep', '-E', 'ch|da'], stdin: FRUIT },
  { argv: ['grep', 'ch\\|da'], stdin: FRUIT },
  { argv: ['grep', '^b\\(an\\)\\+a$'], stdin: FRUIT },
  { argv: ['grep', '-E', 'p+l'], stdin: FRUIT },
  { argv: ['grep', '-x', 'date'], stdin: FRUIT },
  { argv: ['grep', '-F', 'a.'], stdin: 'a.b\naxb\n' },
  { argv: ['grep', 't', 'f1', 'f2'], files: FILES },
  { argv: ['grep', '-h', 't', 'f1', 'f2'], files: FILES },
  { argv: ['grep', '-l', 'a', 'f1', 'f2'], files: FILES },
  { argv: ['grep', '-c', 'e', 'f1', 'f2'], files: FILES },
  { argv: ['grep', '-s', 'o', 'nosuch', 'f1'], files: FILES },
  { argv: ['sed', 's/an/AN/'], stdin: FRUIT },
  { argv: ['sed', 's/an/AN/g'], stdin: FRUIT },
  { argv: ['sed', 's/an/[&]/2'], stdin: FRUIT },
  { argv: ['sed', '-E', 's/(b)(an)/\\2\\1/g'], stdin: FRUIT },
  { argv: ['sed', 's/\\(b\\)\\(an\\)/\\2\\1/g'], stdin: FRUIT },
  { argv: ['sed', 's,.*/\\(.*/.*\\)$,\\1,'], stdin: '/a/b/c/d\nx/y\n' },
  { argv: ['sed', '-n', '2p'], stdin: FRUIT },
  { argv: ['sed', '-n', '$p'], stdin: FRUIT },
  { argv: ['sed', '2,4d'], stdin: FRUIT },
  { argv: ['sed', '/cherry/,/banana/d'], stdin: FRUIT },
  { argv: ['sed', '3q'], stdin: FRUIT },
  { argv: ['sed', '-e', 's/a/A/', '-e', 's/e/E/;2d'], stdin: FRUIT },
  { argv: ['sed', 's,.*/,,'], stdin: '/usr/lib/x\nplain\na/b/\n' },
  { argv: ['sed', 's/x*/-/g'], stdin: 'abc\nbaaac\n' },
  { argv: ['sed', 'p'], stdin: 'no newline at end' },
  { argv: ['sed', '-n', '/apple/{=;p;}'], stdin: FRUIT },
  { argv: ['sed', '$!d'], stdin: FRUIT },
  { argv: ['sed', '2,1p'], stdin: FRUIT },
  { argv: ['sed', '-n', '/apple/,/apple/p'], stdin: FRUIT },
  { argv: ['sed', '-n', '2,+2p'], stdin: FRUIT },
  { argv: ['sed', '1i\\\nfirst'], stdin: 'x\ny\n' },
  { argv: ['sed', '$a end'], stdin: 'x\ny\n' },
  { argv: ['sed', '2c changed'], stdin: 'x\ny\nz\n' },
  { argv: ['sed', 'y/abc/xyz/'], stdin: FRUIT },
  { argv: ['sed', 'n;d'], stdin: FRUIT },
  { argv: ['sed', '-n', 'h;n;G;p'], stdin: FRUIT },
  { argv: ['sed', ':a;s/an/AN/;ta'], stdin: FRUIT },
  { argv: ['sed', 's/a/\\n/g'], stdin: FRUIT },
  { argv: ['sed', 's/a/\n/g'], stdin: FRUIT },
  { argv: ['sed', '/^b/!s/$/ !/'], stdin: FRUIT },
  { argv: ['sed', 's/[/]/|/g'], stdin: 'a/b/c\n' },
  { argv: ['sed', '-n', '/an/Ip'], stdin: 'BANANA\nx\n' },
  { argv: ['grep', '-n', 'e', 'f1', 'f2'], files: FILES },
  { argv: ['grep', '-vc', 'e'], stdin: FRUIT },
  { argv: ['grep', '-l', 'zzz', 'f1'], files: FILES },
  { argv: ['grep', '[[:digit:]]x'], stdin: 'a1x\nb\n' },
  { argv: ['grep', '-i', '[A-C]H'], stdin: FRUIT },
  { argv: ['grep', '-E', '(an)+a$'], stdin: FRUIT },
  { argv: ['grep', '-F', '-e', 'x', '-e', 'an'], stdin: FRUIT },
  { argv: ['sort', '-b', '-k', '2'], stdin: 'a  b\na c\nb a\n' },
  { argv: ['sort', '-k', '1.2'], stdin: 'ab\nba\nca\n' },
  { argv: ['sort', '-t', ':', '-k', '3'], stdin: TABLE },
  { argv: ['sort', '-n', '-k', '2', '-t', ':', '-u'], stdin: TABLE },
  { argv: ['sort', '-r', '-k', '1,1'], stdin: 'a 2\na 1\nb 1\n' },
  { argv: ['sort'], stdin: 'b\na\xff\na\n\xc3\xa9\nA\n' },
  { argv: ['uniq', '-c'], stdin: 'x\nx' },
  { argv: ['uniq', '-c', '-i'], stdin: 'a\nA\nb\n' },
  { argv: ['wc'], stdin: 'a\x01b \x01 \x80c\r\n\vx' },
  { argv: ['wc', '-m'], stdin: 'abc' },
  { argv: ['seq', '1e2', '1e2'] },
  { argv: ['seq', '-w', '0.5', '1.5', '10'] },
  { argv: ['seq', '1', '0.1', '1.3'] },
  { argv: ['seq', '-5', '-2'] },
  { argv: ['seq', 'x'] },
  { argv: ['tr', 'a-c', 'A-C'], stdin: 'aabbccdd\n' },
  { argv: ['tr', '-d', '\n'], stdin: 'a\nb\nc\n' },
  { argv: ['tr', 'a-z', '[X*]'], stdin: 'hello\n' },
  { argv: ['tr', '-s', 'a-z', 'A-Z'], stdin: 'aabbcc  dd\n' },
  { argv: ['test', 'abc', '<', 'abd'] },
  { argv: ['test', 'abc', '-a'] },
  { argv: ['test', '-x', 'f1'], files: FILES },
  { argv: ['test', '-r', 'f1'], files: FILES },
  { argv: ['test', 'x', '-eq', '1'] },
  { argv: ['test', '(', '', ')'] },
  { argv: ['test', '!', 'a', '=', 'a'] },
  { argv: ['[', '1', '=', '1'] },
  { argv: ['basename', '/usr/lib/file.txt'] },
  { argv: ['basename', '/usr/lib/file.txt', '.txt'] },
  { argv: ['basename', 'dir/'] },
  { argv: ['basename', '/'] },
  { argv: ['test', '1', '-lt', '2'] },
  { argv: ['test', '10', '-le', '9'] },
  { argv: ['test', 'a', '=', 'b'] },
  { argv: ['test', 'a', '!=', 'b'] },
  { argv: ['test', '-z', ''] },
  { argv: ['test', '-n', ''] },
  { argv: ['test', '!', '-e', 'nosuch'] },
  { argv: ['test', '-f', 'f1'], files: FILES },
  { argv: ['test', '-d', 'f1'], files: FILES },
  { argv: ['test', '-s', 'empty'], files: FILES },
  { argv: ['test', '-d', 'sub'], files: { 'sub/': '' } },
  { argv: ['test', 'a', '=', 'a', '-a', '(', 'b', '=', 'c', '-o', '1', '-eq', '1', ')'] },
  { argv: ['test'] },
  { argv: ['[', '3', '-gt', '2', ']'] },
  { argv: ['[', '-n', 'x', '-a', '-z', 'y', ']'] },
  { argv: ['ls'], files: { ...FILES, '.hidden': 'h', 'Zed': '', 'sub/': '' } },
  { argv: ['ls', '-r'], files: { ...FILES, 'sub/': '' } },
  { argv: ['ls', '-p'], files: { ...FILES, 'sub/': '' } },
  { argv: ['ls', '-F'], files: { ...FILES, 'sub/': '' } },
  { argv: ['ls', 'sub'], files: { 'sub/': '', 'sub/b': '', 'sub/a': '' } },
  { argv: ['ls', 'f1', 'sub', 'f2'], files: { ...FILES, 'sub/': '', 'sub/a': '' } },
  { argv: ['ls', 'sub', 'sub2'], files: { 'sub/': '', 'sub/a': '', 'sub2/': '' } },
  { argv: ['ls', '-d', 'sub'], files: { 'sub/': '', 'sub/a': '' } },
  { argv: ['ls', 'nosuch', 'f1'], files: FILES },
  { argv: ['ls', 'nosuch', 'sub'], files: { 'sub/': '', 'sub/a': '' } },
  { argv: ['mkdir', 'd'], after: ['ls', '-p'] },
  { argv: ['mkdir', 'f1'], files: FILES },
  { argv: ['mkdir', '-p', 'x/y/z', 'x/w'], after: ['ls', 'x', 'x/y'] },
  { argv: ['rm', 'f1'], files: FILES, after: ['ls'] },
  { argv: ['rm', 'nosuch'] },
  { argv: ['rm', '-f', 'nosuch'] },
  { argv: ['rm', 'sub'], files: { 'sub/': '' }, after: ['ls'] },
  { argv: ['rm', '-r', 'sub'], files: { 'sub/': '', 'sub/a': '', 'sub/d/': '', 'sub/d/e': '' }, after: ['ls'] },
  { argv: ['touch', 'new', 'f1'], files: FILES, after: ['cat', 'f1', 'new'] },
  { argv: ['env', '-i', 'A=1', 'B=two words', 'env'] },
  { argv: ['true'] },
  { argv: ['false'] },
  { argv: ['sleep', '0.01'] },
];

function hostTool(name: string): string | undefined {
  return ['/usr/bin/', '/bin/'].map((d) => d + name).find((p) => existsSync(p));
}

interface Outcome {
  out: string;
  ok: boolean;
}

function runHost(dir: string, tool: string, argv: string[], stdin: string): Outcome {
  try {
    const out = execFileSync(tool, argv.slice(1), {
      cwd: dir, input: stdin, stdio: ['pipe', 'pipe', 'pipe'],
      env: { LC_ALL: 'C', TZ: 'UTC', PATH: '/usr/bin:/bin' },
    });
    return { out: out.toString('latin1'), ok: true };
  } catch (e) {
    const err = e as { stdout?: Buffer; status?: number };
    return { out: err.stdout?.toString('latin1') ?? '', ok: false };
  }
}

function hostFiles(dir: string, files: Record<string, string>): void {
  for (const [name, data] of Object.entries(files)) {
    if (name.endsWith('/')) mkdirSync(join(dir, name), { recursive: true });
    else writeFileSync(join(dir, name), data);
  }
}

describe('busybox against the host GNU tools (LC_ALL=C)', () => {
  for (const c of CASES) {
    const title = c.argv.map((a) => (/^[\w./,:=+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ') + (c.stdin !== undefined ? ' <stdin' : '');
    const tool = hostTool(c.argv[0]!);
    const after = c.after ? hostTool(c.after[0]!) : undefined;
    if (!tool || (c.after && !after)) {
      it.skip(`${title} (host has no ${c.argv[0]})`, () => {});
      continue;
    }
    it(title, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'bbdiff-'));
      try {
        hostFiles(dir, c.files ?? {});
        const host = runHost(dir, tool, c.argv, c.stdin ?? '');
        const hostAfter = c.after ? runHost(dir, after!, c.after, '') : undefined;

        const bb = await Busybox.boot(kernels);
        for (const [name, data] of Object.entries(c.files ?? {})) {
          if (name.endsWith('/')) await bb.sys.mkdir(`/tmp/${name.slice(0, -1)}`);
          else await bb.write(`/tmp/${name}`, data);
        }
        const ours = await bb.runBytes(c.argv, c.stdin ?? '');
        expect({ out: ours.out.toString('latin1'), ok: ours.status === '' }).toEqual(host);
        if (c.after) {
          const oursAfter = await bb.runBytes(c.after, '');
          expect({ out: oursAfter.out.toString('latin1'), ok: oursAfter.status === '' }).toEqual(hostAfter);
        }
      } finally { rmSync(dir, { recursive: true, force: true }); }
    });
  }
});
