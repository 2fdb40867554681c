// cmp [-lLs] file1 [file2 [skip1 [skip2]]]: compare two files byte by byte ('-', or a
// missing file2, is standard input). The first difference is reported in POSIX's words,
// `a b differ: char N, line L` (N counts bytes from 1, after the skips); -l lists every
// differing byte instead, `N o1 o2` with the bytes in octal, 3 wide (busybox); -s says
// nothing. One file ending first gives `cmp: EOF on NAME` on fd 2. The status is '' when
// the files are equal, 'differ' when they are not, and the error when one cannot be read.
// -L, Plan 9's flag for printing the line, is accepted: the line is always printed.

import { parseFlags, UsageError } from '../flags.ts';
import type { Cmd } from '../io.ts';
import { command, Out } from '../io.ts';
import { ByteReader } from './bytereader.ts';

function skipCount(s: string | undefined): number {
  if (s === undefined) return 0;
  if (!/^(\d+|0[xX][0-9a-fA-F]+)$/.test(s)) throw new UsageError(`bad skip ${s}`);
  return Number(s);
}

/** Read and drop up to n bytes. */
export async function skip(r: ByteReader, n: number): Promise<number> {
  let done = 0;
  while (done < n) {
    const d = await r.read(Math.min(n - done, Out.CHUNK));
    if (d.length === 0) break;
    done += d.length;
  }
  return done;
}

async function compare(c: Cmd, names: [string, string], rs: [ByteReader, ByteReader], list: boolean, silent: boolean): Promise<string> {
  let pos = 0, line = 1, differ = false;
  for (;;) {
    const [a, b] = await Promise.all([rs[0].read(Out.CHUNK), rs[1].read(Out.CHUNK)]);
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const x = a[i]!, y = b[i]!;
      if (x !== y) {
        if (!list) {
          if (!silent) await c.out.text(`${names[0]} ${names[1]} differ: char ${pos + i + 1}, line ${line}\n`);
          return 'differ';
        }
        differ = true;
        if (!silent) await c.out.text(`${pos + i + 1} ${x.toString(8).padStart(3)} ${y.toString(8).padStart(3)}\n`);
      }
      if (x === 10) line++;
    }
    pos += n;
    if (a.length !== b.length) {
      if (!silent) await c.warn(`EOF on ${names[a.length < b.length ? 0 : 1]}`);
      return 'differ';
    }
    if (a.length === 0) return differ ? 'differ' : '';
  }
}

export const cmp = command('cmp', '[-lLs] file1 [file2 [skip1 [skip2]]]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'lLs' });
  if (f.args.length < 1 || f.args.length > 4) throw new UsageError();
  const names: [string, string] = [f.args[0]!, f.args[1] ?? '-'];
  const skips = [skipCount(f.args[2]), skipCount(f.args[3])];
  const fds: number[] = [];
  try {
    for (const name of names) {
      const fd = await c.open(name);
      if (fd === undefined) return c.error;
      fds.push(fd);
    }
    const flush = (): Promise<void> => c.out.flush();
    const rs: [ByteReader, ByteReader] = [new ByteReader(c.sys, fds[0]!, flush), new ByteReader(c.sys, fds[1]!, flush)];
    // A skip past the end leaves that file empty; compare() then reports its EOF.
    await Promise.all([skip(rs[0], skips[0]!), skip(rs[1], skips[1]!)]);
    return await compare(c, names, rs, f.has('l'), f.has('s'));
  } finally {
    for (const fd of fds) await c.close(fd);
  }
});
