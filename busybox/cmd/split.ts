// split [-l lines | -b size] [-a length] [-d] [file [prefix]]: cut a file ('-' or none:
// standard input) into pieces of so many lines (-l, default 1000) or bytes (-b; a size may
// end in b k m g for 512 and powers of 1024, or KB MB GB for powers of 1000), written to
// prefix (default x) followed by a suffix of length letters (-a, default 2): xaa, xab, ...;
// -d uses digits: x00, x01. A piece is created only when data arrives for it, so an empty
// input makes no files. As GNU split and busybox's take them, not Plan 9's -n/-f/-s.

import type { Sys } from '../../kernel/sys.ts';
import { parseFlags, UsageError } from '../flags.ts';
import { command, openOutput, Out } from '../io.ts';

const UNITS: Record<string, number> = {
  '': 1, b: 512, k: 1024, K: 1024, m: 1024 ** 2, M: 1024 ** 2, g: 1024 ** 3, G: 1024 ** 3, KB: 1000, MB: 1000 ** 2, GB: 1000 ** 3,
};

export function parseSize(s: string): number | undefined {
  const m = /^(\d+)([bkKmMgG]|[KMG]B)?$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]) * UNITS[m[2] ?? '']!;
  return n > 0 && Number.isSafeInteger(n) ? n : undefined;
}

/** The k-th suffix (from 0) of the given length, letters or digits; undefined past the last. */
export function suffix(k: number, length: number, digits: boolean): string | undefined {
  const base = digits ? 10 : 26;
  let s = '';
  for (let i = 0; i < length; i++) {
    const d = k % base;
    s = (digits ? String(d) : String.fromCharCode(97 + d)) + s;
    k = Math.floor(k / base);
  }
  return k === 0 ? s : undefined;
}

/** The pieces being written: the current one is opened when its first byte comes. */
class Pieces {
  readonly #sys: Sys;
  readonly #name: (k: number) => string | undefined;
  #k = 0;
  #cur: { fd: number; out: Out } | undefined;

  constructor(sys: Sys, name: (k: number) => string | undefined) {
    this.#sys = sys;
    this.#name = name;
  }

  async write(b: Buffer): Promise<void> {
    if (b.length === 0) return;
    if (!this.#cur) {
      const name = this.#name(this.#k++);
      if (name === undefined) throw new Error('output file suffixes exhausted');
      const fd = await openOutput(this.#sys, name);
      this.#cur = { fd, out: new Out(this.#sys, fd) };
    }
    await this.#cur.out.raw(b);
  }

  /** End the current piece; the next write starts another. */
  async end(): Promise<void> {
    if (!this.#cur) return;
    const { fd, out } = this.#cur;
    this.#cur = undefined;
    try { await out.flush(); } finally { await this.#sys.close(fd); }
  }
}

export const split = command('split', '[-l lines | -b size] [-a length] [-d] [file [prefix]]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'd', values: 'lba' });
  if (f.args.length > 2 || (f.has('l') && f.has('b'))) throw new UsageError();
  const lines = f.has('l') ? Number(f.value('l')) : 1000;
  if (!Number.isSafeInteger(lines) || lines <= 0 || !/^\d+$/.test(f.value('l') ?? '1')) throw new Error(`invalid number of lines: ${f.value('l')}`);
  const bytes = f.has('b') ? parseSize(f.value('b')!) : undefined;
  if (f.has('b') && bytes === undefined) throw new Error(`invalid number of bytes: ${f.value('b')}`);
  const alen = Number(f.value('a') ?? '2');
  if (!Number.isSafeInteger(alen) || alen <= 0 || alen > 32) throw new Error(`invalid suffix length: ${f.value('a')}`);
  const prefix = f.args[1] ?? 'x';
  const pieces = new Pieces(c.sys, (k) => {
    const s = suffix(k, alen, f.has('d'));
    return s === undefined ? undefined : prefix + s;
  });
  const fd = await c.open(f.args[0] ?? '-');
  if (fd === undefined) return;
  try {
    let left = bytes ?? lines;
    for (;;) {
      const d0 = await c.sys.read(fd, Out.CHUNK);
      if (d0.length === 0) break;
      let d = Buffer.from(d0.buffer, d0.byteOffset, d0.length);
      while (d.length) {
        let take = d.length;
        if (bytes !== undefined) {
          take = Math.min(left, d.length);
          left -= take;
        } else {
          // Count the newlines of d against the piece; the one that completes it ends take.
          let i = 0;
          while (left > 0) {
            const at = d.indexOf(10, i);
            if (at < 0) break;
            i = at + 1;
            left--;
          }
          if (left === 0) take = i;
        }
        await pieces.write(d.subarray(0, take));
        d = d.subarray(take);
        if (left === 0) { await pieces.end(); left = bytes ?? lines; }
      }
    }
  } finally {
    await pieces.end();
    await c.close(fd);
  }
});
