// Exact-size reads over fds, for the commands that work in fixed blocks rather than lines
// (cmp, xd, hexdump, tar): a read of n bytes returns fewer only at the end of the input, as
// Plan 9's Bread does, however the data arrives (a pipe hands over whatever was written).

import type { Sys } from '../../kernel/sys.ts';
import type { Cmd } from '../io.ts';
import { Out } from '../io.ts';

/** Anything that hands out bytes until it is empty. */
export interface ByteSource {
  /** Up to n bytes; fewer only at the end, none when the end was reached. */
  read(n: number): Promise<Buffer>;
}

export class ByteReader implements ByteSource {
  readonly #sys: Sys;
  readonly #fd: number;
  readonly #beforeRead: (() => Promise<void>) | undefined;
  #buf: Buffer = Buffer.alloc(0);
  #eof = false;

  constructor(sys: Sys, fd: number, beforeRead?: () => Promise<void>) {
    this.#sys = sys;
    this.#fd = fd;
    this.#beforeRead = beforeRead;
  }

  async read(n: number): Promise<Buffer> {
    while (this.#buf.length < n && !this.#eof) {
      await this.#beforeRead?.();
      const d = await this.#sys.read(this.#fd, Math.max(Out.CHUNK, n));
      if (d.length === 0) this.#eof = true;
      else this.#buf = this.#buf.length ? Buffer.concat([this.#buf, d]) : Buffer.from(d.buffer, d.byteOffset, d.length);
    }
    const out = this.#buf.subarray(0, n);
    this.#buf = this.#buf.subarray(out.length);
    return out;
  }
}

/**
 * The named inputs ('-' or none: stdin) as one stream, as hexdump reads them: each is opened
 * when the one before runs out, and one that will not open is reported and skipped.
 */
export class ChainReader implements ByteSource {
  readonly #c: Cmd;
  readonly #paths: string[];
  #cur: { fd: number; r: ByteReader } | undefined;

  constructor(c: Cmd, paths: string[]) {
    this.#c = c;
    this.#paths = paths.length ? [...paths] : ['-'];
  }

  async read(n: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let got = 0;
    while (got < n) {
      if (!this.#cur) {
        const path = this.#paths.shift();
        if (path === undefined) break;
        const fd = await this.#c.open(path);
        if (fd === undefined) continue;
        this.#cur = { fd, r: new ByteReader(this.#c.sys, fd, () => this.#c.out.flush()) };
      }
      const d = await this.#cur.r.read(n - got);
      if (d.length < n - got) {
        await this.#c.close(this.#cur.fd);
        this.#cur = undefined;
      }
      parts.push(d);
      got += d.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
}
