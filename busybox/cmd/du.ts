// du [-ash] [file ...]: disk usage, as Plan 9 du counts it: each file's length rounded up to
// whole KiB, summed over each directory (a directory's own length is not counted), printed
// `N<tab>path` for every directory below each operand (none: '.'), after its contents.
// -a prints files too, -s only each operand's total. -h prints byte totals the way GNU
// `du -h --apparent-size` does (1023, 1.5K, 12M); there are no disk blocks to count here.
// A file reached twice under one operand (through a bind) is counted once.

import { DMDIR } from '../../fs/9p/constants.ts';
import type { Dir } from '../../fs/9p/fcall.ts';
import { parseFlags } from '../flags.ts';
import type { Cmd } from '../io.ts';
import { byteOrder, command } from '../io.ts';
import { join } from './copytree.ts';

interface Size {
  kib: number;
  bytes: number;
}

/** GNU's human form, rounding up: one decimal below 10, none above; powers of 1024. */
export function human(bytes: number): string {
  if (bytes < 1024) return String(bytes);
  const units = 'KMGTPEZY';
  let v = bytes;
  for (let u = 0; u < units.length; u++) {
    v /= 1024;
    if (v < 10) {
      const t = Math.ceil(v * 10 - 1e-9) / 10;
      if (t < 10) return `${t.toFixed(1)}${units[u]}`;
    }
    const n = Math.ceil(v - 1e-9);
    if (n < 1024 || u === units.length - 1) return `${n}${units[u]}`;
  }
  return String(bytes);
}

class Du {
  readonly #c: Cmd;
  readonly #all: boolean;
  readonly #summary: boolean;
  readonly #human: boolean;
  readonly #seen = new Set<string>();

  constructor(c: Cmd, all: boolean, summary: boolean, human: boolean) {
    this.#c = c;
    this.#all = all;
    this.#summary = summary;
    this.#human = human;
  }

  async print(s: Size, path: string): Promise<void> {
    await this.#c.out.text(`${this.#human ? human(s.bytes) : s.kib}\t${path}\n`);
  }

  /** The first time a file is met; later meetings count nothing. */
  #first(d: Dir): boolean {
    const key = `${d.type}.${d.dev}.${d.qid.path}.${d.qid.type & 0x80}`;
    if (this.#seen.has(key)) return false;
    this.#seen.add(key);
    return true;
  }

  /** The size of path (stat d), printing what the flags ask for below it; not path itself. */
  async walk(path: string, d: Dir): Promise<Size> {
    if (!(d.mode & DMDIR)) return { kib: Math.ceil(d.length / 1024), bytes: d.length };
    const total: Size = { kib: 0, bytes: 0 };
    let entries: Dir[];
    try { entries = await this.#c.sys.dirread(path); } catch (e) { await this.#c.fail(path, e); return total; }
    for (const e of entries.sort((a, b) => byteOrder(a.name, b.name))) {
      if (!this.#first(e)) continue;
      const p = join(path, e.name);
      const s = await this.walk(p, e);
      total.kib += s.kib;
      total.bytes += s.bytes;
      if (!this.#summary && (this.#all || e.mode & DMDIR)) await this.print(s, p);
    }
    return total;
  }

  async operand(path: string): Promise<void> {
    let d: Dir;
    try { d = await this.#c.sys.stat(path); } catch (e) { await this.#c.fail(path, e); return; }
    // Each operand is counted whole, as Plan 9's du counts them.
    this.#seen.clear();
    this.#first(d);
    await this.print(await this.walk(path, d), path);
  }
}

export const du = command('du', '[-ash] [file ...]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'ash' });
  const du = new Du(c, f.has('a'), f.has('s'), f.has('h'));
  for (const path of f.args.length ? f.args : ['.']) await du.operand(path);
});
