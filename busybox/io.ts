// What every command shares: the command wrapper (usage line, error printing, flushing), a
// buffered writer for fd 1, a line reader over an fd, and opening input files ('-' is stdin).
//
// Text is processed as byte strings: one char per byte (latin1), so any byte sequence passes
// through unchanged and comparisons are byte order, as GNU tools do under LC_ALL=C. Arguments
// arrive as JS strings and are turned into byte strings with bytestr() where they meet data.

import { OREAD, OTRUNC, OWRITE } from '../fs/9p/constants.ts';
import { Enoent } from '../fs/9p/errors.ts';
import type { Program } from '../kernel/kernel.ts';
import { Epipe } from '../kernel/dev/pipe.ts';
import { ExitSignal } from '../kernel/sys.ts';
import type { Sys } from '../kernel/sys.ts';
import { UsageError } from './flags.ts';

/** A JS string (an argument) as a byte string of its UTF-8 encoding. */
export function bytestr(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** A byte string back to a JS string, decoding UTF-8 (for messages and names). */
export function textOf(b: string): string {
  return Buffer.from(b, 'latin1').toString('utf8');
}

/** Compare JS strings (names) in the byte order of their UTF-8, as LC_ALL=C sorts. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Compare byte strings: code unit order is byte order, since every unit is below 256. */
export function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The Plan 9 error string of anything thrown. */
export function errmsg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Output to an fd, gathered into large writes (each write is a 9P message or a pipe wakeup). */
export class Out {
  static readonly CHUNK = 64 * 1024;
  readonly #sys: Sys;
  readonly #fd: number;
  #parts: Buffer[] = [];
  #size = 0;
  /** Strings appended and not yet encoded (one encode per chunk, not per line), and their encoding. */
  #str = '';
  #enc: 'latin1' | 'utf8' = 'utf8';

  constructor(sys: Sys, fd = 1) {
    this.#sys = sys;
    this.#fd = fd;
  }

  /** Append a byte string. A promise only when a chunk is written (await it, or check). */
  bytes(b: string): void | Promise<void> { return this.#append(b, 'latin1'); }

  /** Append a JS string, UTF-8 encoded. */
  text(s: string): void | Promise<void> { return this.#append(s, 'utf8'); }

  #append(s: string, enc: 'latin1' | 'utf8'): void | Promise<void> {
    if (s.length === 0) return;
    if (this.#str !== '' && this.#enc !== enc) this.#encodeStr();
    this.#enc = enc;
    this.#str += s;
    this.#size += s.length;
    return this.#size >= Out.CHUNK ? this.flush() : undefined;
  }

  #encodeStr(): void {
    if (this.#str === '') return;
    this.#parts.push(Buffer.from(this.#str, this.#enc));
    this.#str = '';
  }

  raw(b: Uint8Array): void | Promise<void> {
    if (b.length === 0) return;
    this.#encodeStr();
    this.#parts.push(Buffer.from(b.buffer, b.byteOffset, b.length));
    this.#size += b.length;
    return this.#size >= Out.CHUNK ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.#size === 0) return;
    this.#encodeStr();
    const b = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts);
    this.#parts = [];
    this.#size = 0;
    await this.#sys.write(this.#fd, b);
  }
}

/** One line of input, without its newline; nl says whether it had one (the last may not). */
export interface Line {
  text: string;
  nl: boolean;
}

/**
 * Lines of an fd, read in large chunks. beforeRead runs before each read that may block:
 * commands flush their output there, so a filter in an interactive pipeline answers each
 * line as it comes while bulk data still moves in large writes.
 */
export class LineReader {
  readonly #sys: Sys;
  readonly #fd: number;
  readonly #beforeRead: (() => Promise<void>) | undefined;
  #buf = '';
  #pos = 0;
  #eof = false;

  constructor(sys: Sys, fd: number, beforeRead?: () => Promise<void>) {
    this.#sys = sys;
    this.#fd = fd;
    this.#beforeRead = beforeRead;
  }

  /** The next line: at once when it is already buffered, else a promise (so loops can skip an await per line). */
  next(): Line | undefined | Promise<Line | undefined> {
    const i = this.#buf.indexOf('\n', this.#pos);
    if (i >= 0) {
      const text = this.#buf.slice(this.#pos, i);
      this.#pos = i + 1;
      return { text, nl: true };
    }
    return this.#nextSlow();
  }

  async #nextSlow(): Promise<Line | undefined> {
    for (;;) {
      const i = this.#buf.indexOf('\n', this.#pos);
      if (i >= 0) {
        const text = this.#buf.slice(this.#pos, i);
        this.#pos = i + 1;
        return { text, nl: true };
      }
      if (this.#eof) {
        if (this.#pos >= this.#buf.length) return undefined;
        const text = this.#buf.slice(this.#pos);
        this.#buf = '';
        this.#pos = 0;
        return { text, nl: false };
      }
      await this.#beforeRead?.();
      const d = await this.#sys.read(this.#fd, Out.CHUNK);
      if (d.length === 0) { this.#eof = true; continue; }
      this.#buf = this.#buf.slice(this.#pos) + Buffer.from(d.buffer, d.byteOffset, d.length).toString('latin1');
      this.#pos = 0;
    }
  }
}

/** Open a file to write from its start: truncate it if there (it may be a pipe or /fd/N), else create it. */
export async function openOutput(sys: Sys, path: string): Promise<number> {
  try { return await sys.open(path, OWRITE | OTRUNC); } catch (e) {
    if (errmsg(e) !== Enoent) throw e;
    return sys.create(path, OWRITE, 0o666);
  }
}

/** Everything left on an fd, as a byte string. */
export async function readAll(sys: Sys, fd: number): Promise<string> {
  const parts: Buffer[] = [];
  for (;;) {
    const d = await sys.read(fd, Out.CHUNK);
    if (d.length === 0) break;
    parts.push(Buffer.from(d.buffer, d.byteOffset, d.length));
  }
  return Buffer.concat(parts).toString('latin1');
}

/** A running command: its name, output, and whether something already went wrong. */
export class Cmd {
  readonly sys: Sys;
  readonly name: string;
  readonly out: Out;
  /** Set by fail(): the last error, so the command ends with a failure status even if it carries on. */
  error = '';

  constructor(sys: Sys, name: string) {
    this.sys = sys;
    this.name = name;
    this.out = new Out(sys, 1);
  }

  /** NAME: MESSAGE on fd 2 (output so far is flushed first, so the two interleave as written). */
  async warn(msg: string): Promise<void> {
    try {
      await this.out.flush();
      await this.sys.write(2, `${this.name}: ${msg}\n`);
    } catch { /* nowhere left to complain */ }
  }

  /** NAME: PATH: ERROR on fd 2, and remember the failure. */
  async fail(path: string, e: unknown): Promise<void> {
    this.error = errmsg(e) || 'error';
    await this.warn(`${path}: ${this.error}`);
  }

  /** Open an input ('-' is fd 0); on failure report it and return undefined. */
  async open(path: string): Promise<number | undefined> {
    if (path === '-') return 0;
    try { return await this.sys.open(path, OREAD); } catch (e) { await this.fail(path, e); return undefined; }
  }

  /** Close what open() returned (never fd 0). */
  async close(fd: number): Promise<void> {
    if (fd !== 0) await this.sys.close(fd);
  }

  /** Run fn over each input in turn (none given: stdin), skipping those that fail to open. */
  async eachInput(files: string[], fn: (fd: number, path: string) => Promise<void>): Promise<void> {
    for (const path of files.length ? files : ['-']) {
      const fd = await this.open(path);
      if (fd === undefined) continue;
      try { await fn(fd, path); } finally { await this.close(fd); }
    }
  }

  /** Every line of the inputs, in order. */
  /** Call fn on every line of the inputs, in order, awaiting only what fn or a read returns (fast for big inputs). */
  async eachLine(files: string[], fn: (l: Line, path: string) => void | Promise<void>): Promise<void> {
    for (const path of files.length ? files : ['-']) {
      const fd = await this.open(path);
      if (fd === undefined) continue;
      try {
        const r = new LineReader(this.sys, fd, () => this.out.flush());
        for (;;) {
          const got = r.next();
          const l = got instanceof Promise ? await got : got;
          if (!l) break;
          const w = fn(l, path);
          if (w) await w;
        }
      } finally { await this.close(fd); }
    }
  }

  async *lines(files: string[]): AsyncGenerator<Line & { path: string }> {
    for (const path of files.length ? files : ['-']) {
      const fd = await this.open(path);
      if (fd === undefined) continue;
      try {
        const r = new LineReader(this.sys, fd, () => this.out.flush());
        for (let l = await r.next(); l; l = await r.next()) yield { ...l, path };
      } finally { await this.close(fd); }
    }
  }
}

/**
 * Make a Program of a command body. The body returns its status ('' or nothing is success);
 * a UsageError prints `usage: NAME USAGE` and exits 'usage'; any other error prints
 * `NAME: ERROR` and becomes the status. Output is flushed at the end either way.
 */
export function command(name: string, usage: string, body: (c: Cmd) => Promise<string | void>): Program {
  return async (sys) => {
    const c = new Cmd(sys, name);
    let status: string;
    try {
      status = (await body(c)) ?? '';
      await c.out.flush();
      if (status === '') status = c.error;
    } catch (e) {
      if (e instanceof ExitSignal) { await c.out.flush().catch(() => {}); throw e; }
      if (e instanceof UsageError) {
        await sys.write(2, `usage: ${name}${usage ? ` ${usage}` : ''}\n`).catch(() => 0);
        return 'usage';
      }
      const msg = errmsg(e);
      // A reader that went away ends a writer quietly, as the pipe note does in Plan 9.
      if (msg !== Epipe && msg !== 'interrupted') {
        await c.out.flush().catch(() => {});
        await c.warn(msg);
      }
      return msg || 'error';
    }
    return status;
  };
}
