// xd [-rsu] [-a{odx}] [-c|{b1w2l4v8}{odx}] ... [file ...]: Plan 9's hex dump. Each group of
// 16 bytes is printed once per format, each line after the group's address (7 digits,
// zero-padded on the first format's line, blank-padded on the others):
//
//   0000000  68656c6c 6f0a0000        (the default, -4x: big-endian 4-byte words in hex)
//   0000006
//
// A short last group is padded with zero bytes, and the address after the data ends the
// dump. Sizes are 1 (b), 2 (w), 4 (l), 8 (v) bytes, styles o, d, x; -c is -1x showing
// printable bytes as themselves and \t \r \n \b as escapes. -r prints a run of identical
// groups as the first and a '*', -s swaps the bytes of each 4-byte word, -a sets the
// address style; -u (flush each line) is accepted. With several files each starts with its
// name. The format arguments are parsed here as xd's own argument loop does: each -ARG is
// one format (-1x -c is two lines a group), so parseFlags' grouping does not fit.

import { UsageError } from '../flags.ts';
import type { Cmd } from '../io.ts';
import { command } from '../io.ts';
import { ByteReader } from './bytereader.ts';

interface Format {
  /** log2 of the unit size; -c is 0. */
  log: number;
  /** 8, 10 or 16. */
  base: number;
  chars: boolean;
}

/** Digits of one unit per size (log2) and base, as Plan 9's dfmt table pads them. */
const WIDTH: Record<number, number[]> = { 8: [3, 6, 11, 22], 10: [3, 5, 10, 20], 16: [2, 4, 8, 16] };
const SIZE: Record<string, number> = { b: 0, 1: 0, w: 1, 2: 1, l: 2, 4: 2, v: 3, 8: 3 };
const BASE: Record<string, number> = { o: 8, d: 10, x: 16 };
const ESCAPES: Record<number, string> = { 9: '\\t', 13: '\\r', 10: '\\n', 8: '\\b' };

interface Options {
  formats: Format[];
  abase: number;
  repeats: boolean;
  swizzle: boolean;
  files: string[];
}

export function parseXdArgs(args: string[]): Options {
  const o: Options = { formats: [], abase: 16, repeats: false, swizzle: false, files: [] };
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a.length < 2 || a[0] !== '-') break;
    const s = a.slice(1);
    if (s === 'r') { o.repeats = true; continue; }
    if (s === 's') { o.swizzle = true; continue; }
    if (s === 'u') continue;
    if (s[0] === 'a') {
      const b = BASE[s.slice(1)];
      if (s.length !== 2 || b === undefined) throw new UsageError();
      o.abase = b;
      continue;
    }
    const f: Format = { log: 2, base: 16, chars: false };
    if (s === 'c') { f.chars = true; f.log = 0; } else {
      for (const ch of s) {
        if (ch in SIZE) f.log = SIZE[ch]!;
        else if (ch in BASE) f.base = BASE[ch]!;
        else throw new UsageError();
      }
    }
    if (o.formats.length >= 9) throw new UsageError('too many formats');
    o.formats.push(f);
  }
  if (o.formats.length === 0) o.formats.push({ log: 2, base: 16, chars: false });
  o.files = args.slice(i);
  return o;
}

function num(v: bigint | number, base: number, width: number): string {
  return v.toString(base).padStart(width, '0');
}

/** One format's rendering of a 16-byte group of which n bytes are data. */
export function renderGroup(f: Format, g: Uint8Array, n: number): string {
  let s = '';
  if (f.chars) {
    for (let i = 0; i < n; i++) {
      const b = g[i]!;
      s += ESCAPES[b] !== undefined ? ` ${ESCAPES[b]}` : b >= 0x7f || b < 0x20 ? ` ${num(b, 16, 2)}` : `  ${String.fromCharCode(b)}`;
    }
    return s;
  }
  const size = 1 << f.log, width = WIDTH[f.base]![f.log]!;
  for (let i = 0; i < n; i += size) {
    let v = 0n;
    for (let j = 0; j < size; j++) v = (v << 8n) | BigInt(g[i + j]!);
    s += ` ${num(v, f.base, width)}`;
  }
  return s;
}

function address(a: number, base: number, zero: boolean): string {
  const s = a.toString(base);
  return (zero ? s.padStart(7, '0') : s.padStart(7)) + ' ';
}

async function dump(c: Cmd, o: Options, fd: number): Promise<void> {
  const r = new ByteReader(c.sys, fd, () => c.out.flush());
  const g = new Uint8Array(16);
  let prev: Buffer | undefined;
  let addr = 0, star = false;
  for (;;) {
    const d = await r.read(16);
    g.fill(0);
    g.set(d);
    if (o.swizzle) for (let i = 0; i < 16; i += 4) g.subarray(i, i + 4).reverse();
    if (d.length === 16 && o.repeats) {
      const cur = Buffer.from(g);
      if (addr > 0 && prev?.equals(cur)) {
        addr += 16;
        if (!star) { star = true; await c.out.text('*\n'); }
        continue;
      }
      prev = cur;
      star = false;
    }
    for (const [k, f] of o.formats.entries()) await c.out.text(`${address(addr, o.abase, k === 0)}${renderGroup(f, g, d.length)}\n`);
    addr += d.length;
    // Plan 9's xd ends on a short read, so a dump that ends on a group boundary prints one empty group first.
    if (d.length < 16) {
      await c.out.text(`${address(addr, o.abase, true)}\n`);
      return;
    }
  }
}

export const xd = command('xd', '[-u] [-r] [-s] [-a{odx}] [-c|{b1w2l4v8}{odx}] ... file ...', async (c) => {
  const o = parseXdArgs(c.sys.args.slice(1));
  if (o.files.length === 0) { await dump(c, o, 0); return; }
  for (const path of o.files) {
    const fd = await c.open(path);
    if (fd === undefined) continue;
    try {
      if (o.files.length > 1) await c.out.text(`${path}\n`);
      await dump(c, o, fd);
    } finally { await c.close(fd); }
  }
});
