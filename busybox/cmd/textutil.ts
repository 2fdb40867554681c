// Pieces head, tail and cut share: GNU's count syntax (5, +5, -5, 2k), the `==> name <==`
// headers between several files, and opening an input that must not be a directory.

import { DMDIR } from '../../fs/9p/constants.ts';
import { Eisdir } from '../../fs/9p/errors.ts';
import type { Cmd } from '../io.ts';

/** A count as head and tail take it: its sign ('+' from the start, '-' all but) and size. */
export interface Count {
  sign: '' | '+' | '-';
  n: number;
}

const SUFFIX: Record<string, number> = { '': 1, b: 512, k: 1024, K: 1024, kB: 1000, m: 1 << 20, M: 1 << 20, MB: 1e6, g: 1 << 30, G: 1 << 30 };

/** Parse [+-]N[suffix]; undefined when it is not one. */
export function parseCount(s: string): Count | undefined {
  const m = /^([+-]?)(\d+)(b|k|K|kB|m|M|MB|g|G)?$/.exec(s);
  if (!m) return undefined;
  return { sign: m[1] as Count['sign'], n: Number(m[2]) * SUFFIX[m[3] ?? '']! };
}

/** GNU's headers: a blank line before each but the first that is printed. */
export class Headers {
  readonly #c: Cmd;
  readonly #on: boolean;
  #first = true;
  #last: string | undefined;

  constructor(c: Cmd, on: boolean) {
    this.#c = c;
    this.#on = on;
  }

  /** Print the header of name (unless it is the one printed last: tail -f switches back and forth). */
  async show(name: string): Promise<void> {
    if (!this.#on || this.#last === name) return;
    await this.#c.out.text(`${this.#first ? '' : '\n'}==> ${name} <==\n`);
    this.#first = false;
    this.#last = name;
  }
}

/** Open an input for reading ('-' is fd 0); a directory is refused. Failures are reported. */
export async function openInput(c: Cmd, path: string): Promise<number | undefined> {
  const fd = await c.open(path);
  if (fd === undefined) return undefined;
  try {
    if ((await c.sys.fstat(fd)).mode & DMDIR) {
      await c.close(fd);
      await c.fail(path, Eisdir);
      return undefined;
    }
  } catch { /* a stream without a stat: read it anyway */ }
  return fd;
}

/** The name a header shows for an operand. */
export function displayName(path: string): string {
  return path === '-' ? 'standard input' : path;
}
