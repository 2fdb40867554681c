// hexdump [-bcCdovx] [-n length] [-s offset] [file ...]: busybox's (and BSD's) hexdump with
// its built-in formats, byte for byte: the files are one stream, dumped 16 bytes a line,
// each format flag adding a line per block in the order given (none: 2-byte hex words).
// -C is the canonical hex and ASCII form. A block equal to the one before is shown as one
// '*' (-v shows them all). Words are little-endian, as on the hosts busybox runs on. The
// address after the data ends the dump, in the form of the last format given; an empty
// input prints nothing. -s skips bytes first (0x hex and 0 octal too, and a b, k or m
// suffix: 512, 1024, 1048576), -n stops after length bytes (decimal), as busybox reads
// them. -e and -f (format strings) are not supported.

import { parseFlags, UsageError } from '../flags.ts';
import type { Cmd } from '../io.ts';
import { command, Out } from '../io.ts';
import { ChainReader } from './bytereader.ts';

/** A conversion repeated over consecutive units of the block. */
interface Unit {
  reps: number;
  size: number;
  /** Text before and after each value; the last repetition drops one trailing space. */
  before: string;
  after: string;
  /** Width of the value, which is what a unit past the end of the data prints as blanks. */
  width: number;
  conv: (v: number) => string;
}

interface Format {
  /** Address digits (7 or 8) and what follows the address. */
  digits: number;
  sep: string;
  /** Format strings, in busybox's terms: each walks the block from its start. */
  segments: Array<Array<Unit | string>>;
}

const CHAR_ESC: Record<number, string> = { 0: '\\0', 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

const pad = (v: number, base: number, w: number): string => v.toString(base).padStart(w, '0');
const printable = (b: number): boolean => b >= 0x20 && b < 0x7f;
const words = (before: string, width: number, conv: (v: number) => string): Unit => ({ reps: 8, size: 2, before, after: ' ', width, conv });

const FORMATS: Record<string, Format> = {
  '': { digits: 7, sep: ' ', segments: [[words('', 4, (v) => pad(v, 16, 4))]] },
  b: { digits: 7, sep: ' ', segments: [[{ reps: 16, size: 1, before: '', after: ' ', width: 3, conv: (v) => pad(v, 8, 3) }]] },
  c: {
    digits: 7, sep: ' ',
    segments: [[{ reps: 16, size: 1, before: '', after: ' ', width: 3, conv: (v) => (CHAR_ESC[v] ?? (printable(v) ? String.fromCharCode(v) : pad(v, 8, 3))).padStart(3) }]],
  },
  d: { digits: 7, sep: ' ', segments: [[words('  ', 5, (v) => pad(v, 10, 5))]] },
  o: { digits: 7, sep: ' ', segments: [[words(' ', 6, (v) => pad(v, 8, 6))]] },
  x: { digits: 7, sep: ' ', segments: [[words('   ', 4, (v) => pad(v, 16, 4))]] },
  C: {
    digits: 8, sep: '  ',
    segments: [
      [{ reps: 8, size: 1, before: '', after: ' ', width: 2, conv: (v) => pad(v, 16, 2) }, '  ', { reps: 8, size: 1, before: '', after: ' ', width: 2, conv: (v) => pad(v, 16, 2) }],
      ['  |', { reps: 16, size: 1, before: '', after: '', width: 0, conv: (v) => (printable(v) ? String.fromCharCode(v) : '.') }, '|'],
    ],
  },
};

/** One format's line for a block of which n bytes are data (the rest zero). */
export function renderLine(f: Format, addr: number, block: Uint8Array, n: number): string {
  let s = pad(addr, 16, f.digits) + f.sep;
  for (const seg of f.segments) {
    let off = 0;
    for (const p of seg) {
      if (typeof p === 'string') { s += p; continue; }
      for (let r = 0; r < p.reps; r++, off += p.size) {
        const after = r === p.reps - 1 && p.after.endsWith(' ') ? p.after.slice(0, -1) : p.after;
        if (off >= n) { s += p.before + ' '.repeat(p.width) + after; continue; }
        let v = 0;
        for (let j = p.size - 1; j >= 0; j--) v = v * 256 + block[off + j]!;
        s += p.before + p.conv(v) + after;
      }
    }
  }
  return s + '\n';
}

/** -s's offset: C's bases (0x hex, leading 0 octal) and an optional b, k or m (512, 1024, 1048576). */
export function parseOffset(s: string): number {
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)([bkm]?)$/.exec(s);
  if (!m) throw new Error(`invalid number '${s}'`);
  const n = m[1]!.length > 1 && m[1]![0] === '0' && !/[xX]/.test(m[1]!) ? parseInt(m[1]!, 8) : Number(m[1]);
  return n * ({ '': 1, b: 512, k: 1024, m: 1024 * 1024 } as Record<string, number>)[m[2]!]!;
}

/** -n's length: decimal only, as busybox takes it. */
export function parseLength(s: string): number {
  if (!/^\d+$/.test(s)) throw new Error(`invalid number '${s}'`);
  return Number(s);
}

async function dump(c: Cmd, formats: Format[], r: ChainReader, skip: number, limit: number, all: boolean): Promise<void> {
  let addr = 0;
  while (addr < skip) {
    const d = await r.read(Math.min(skip - addr, Out.CHUNK));
    if (d.length === 0) break;
    addr += d.length;
  }
  let left = limit;
  let prev: Buffer | undefined;
  let star = false;
  for (;;) {
    const d = left > 0 ? await r.read(Math.min(16, left)) : Buffer.alloc(0);
    left -= d.length;
    if (d.length === 0) break;
    if (!all && d.length === 16 && prev?.equals(d)) {
      if (!star) await c.out.text('*\n');
      star = true;
    } else {
      // busybox marks a short last block that repeats the start of the one before, and prints it anyway.
      if (!all && d.length < 16 && !star && prev?.subarray(0, d.length).equals(d)) await c.out.text('*\n');
      const block = new Uint8Array(16);
      block.set(d);
      for (const f of formats) await c.out.text(renderLine(f, addr, block, d.length));
      star = false;
    }
    prev = Buffer.from(d);
    addr += d.length;
    if (d.length < 16) break;
  }
  if (addr > 0) await c.out.text(pad(addr, 16, formats.at(-1)!.digits) + '\n');
}

export const hexdump = command('hexdump', '[-bcCdovx] [-n length] [-s offset] [file ...]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'bcCdovx', values: 'ns' });
  // The format flags in the order given, each as often as given, as busybox adds them.
  const formats: Format[] = [];
  for (const a of c.sys.args.slice(1, c.sys.args.length - f.args.length)) {
    if (!a.startsWith('-') || a === '--') continue;
    for (const ch of a.slice(1)) {
      if (ch === 'n' || ch === 's') break;
      if (ch !== 'v') formats.push(FORMATS[ch]!);
    }
  }
  if (formats.length === 0) formats.push(FORMATS['']!);
  const n = f.value('n'), s = f.value('s');
  await dump(c, formats, new ChainReader(c, f.args), s === undefined ? 0 : parseOffset(s), n === undefined ? Infinity : parseLength(n), f.has('v'));
});
