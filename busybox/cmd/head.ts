// head [-qv] [-n [-]lines | -lines] [-c [-]bytes] [file ...]: the first 10 lines (or the
// given number of lines or bytes) of each file. A count with a leading '-' prints all but
// that many at the end, as GNU head does. Several files get `==> name <==` headers (-q: never,
// -v: always). head stops reading once it has enough, so `yes | head` ends.

import { parseFlags, UsageError } from '../flags.ts';
import { command, LineReader, Out } from '../io.ts';
import type { Cmd } from '../io.ts';
import { displayName, Headers, openInput, parseCount } from './textutil.ts';
import type { Count } from './textutil.ts';

async function firstLines(c: Cmd, fd: number, n: number): Promise<void> {
  if (n === 0) return;
  const r = new LineReader(c.sys, fd, () => c.out.flush());
  let i = 0;
  for (let l = await r.next(); l; l = await r.next()) {
    await c.out.bytes(l.nl ? `${l.text}\n` : l.text);
    if (++i >= n) return;
  }
}

/** All but the last n lines: hold n lines back. */
async function allButLines(c: Cmd, fd: number, n: number): Promise<void> {
  const r = new LineReader(c.sys, fd, () => c.out.flush());
  const held: string[] = [];
  for (let l = await r.next(); l; l = await r.next()) {
    held.push(l.nl ? `${l.text}\n` : l.text);
    if (held.length > n) await c.out.bytes(held.shift()!);
  }
}

async function firstBytes(c: Cmd, fd: number, n: number): Promise<void> {
  for (let left = n; left > 0;) {
    await c.out.flush();
    const d = await c.sys.read(fd, Math.min(left, Out.CHUNK));
    if (d.length === 0) break;
    await c.out.raw(d);
    left -= d.length;
  }
}

async function allButBytes(c: Cmd, fd: number, n: number): Promise<void> {
  const parts: Uint8Array[] = [];
  for (;;) {
    const d = await c.sys.read(fd, Out.CHUNK);
    if (d.length === 0) break;
    parts.push(d);
  }
  const all = Buffer.concat(parts);
  await c.out.raw(all.subarray(0, Math.max(0, all.length - n)));
}

export const head = command('head', '[-qv] [-n lines | -c bytes] [file ...]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'qv', values: 'nc', numeric: 'n' });
  const bytes = f.has('c');
  const spec = bytes ? f.value('c')! : f.value('n') ?? '10';
  const count: Count | undefined = parseCount(spec);
  if (!count) throw new UsageError(`invalid number of ${bytes ? 'bytes' : 'lines'}: ${spec}`);
  const files = f.args.length ? f.args : ['-'];
  const headers = new Headers(c, f.has('v') || (files.length > 1 && !f.has('q')));
  for (const path of files) {
    const fd = await openInput(c, path);
    if (fd === undefined) continue;
    try {
      await headers.show(displayName(path));
      if (count.sign === '-') await (bytes ? allButBytes : allButLines)(c, fd, count.n);
      else await (bytes ? firstBytes : firstLines)(c, fd, count.n);
    } finally { await c.close(fd); }
  }
});
