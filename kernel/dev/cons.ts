// #c: the console device (Plan 9 cons(3)), one tree per console id (the attach name; the
// kernel attaches with the walking process's console id, '' meaning 'console').
//
//   cons     read: what was typed on this console (blocks; see console.ts); write: output
//   consctl  write rawon, rawoff, size COLSxROWS; read: the mode and size, as those lines
//   null     reads end of file, writes vanish        zero    reads zeros
//   random   reads random bytes                       time    sec nsec ticks hz (Plan 9 layout)
//   user     the attaching user                       sysname the kernel's name
//   hostowner                                         kmesg   the kernel's log lines
//
// pid and ppid are not here: a 9P request carries no process identity. The terminal side
// gets its Console from ConsDevice.console(id): input(), onOutput(), size, raw, close().

import { randomBytes } from 'node:crypto';
import type { Kernel } from '../kernel.ts';
import type { Req } from '../../fs/server/fileserver.ts';
import { Ebadctl, Tree, file, readStr, session, text } from '../../fs/server/tree.ts';
import type { Session } from '../../fs/server/tree.ts';
import { Console } from './console.ts';
import type { ConsoleOptions } from './console.ts';
import { PerAttach } from './perattach.ts';

export { Console } from './console.ts';
export type { ConsoleOptions, ConsoleSize } from './console.ts';

/** What cons needs of the kernel. */
export type ConsKernel = Pick<Kernel, 'sysname' | 'kmesg' | 'bootTime'>;

export interface ConsDeviceOptions {
  /** The host owner (/dev/hostowner; default 'glenda'). */
  hostowner?: string;
  /** Options for every console made (echo, size). */
  console?: ConsoleOptions;
}

/** The console id an attach name stands for. */
export function consoleId(aname: string): string {
  return aname === '' ? 'console' : aname;
}

const NUMSIZE = 12, VLNUMSIZE = 22;

export class ConsDevice {
  readonly kernel: ConsKernel;
  /** The FileServer to register as '#c'. */
  readonly fs: PerAttach;
  hostowner: string;
  readonly #opts: ConsoleOptions;
  readonly #consoles = new Map<string, Console>();
  /** hrtime at creation and the wall clock then, in nanoseconds: /dev/time's clock. */
  readonly #hr0 = process.hrtime.bigint();
  readonly #wall0 = BigInt(Date.now()) * 1_000_000n;

  constructor(kernel: ConsKernel, opts: ConsDeviceOptions = {}) {
    this.kernel = kernel;
    this.hostowner = opts.hostowner ?? 'glenda';
    this.#opts = opts.console ?? {};
    this.fs = new PerAttach((key) => this.#tree(this.console(key)), { key: consoleId });
  }

  /** The console with this id, made if there is none (a closed console is replaced by a new one). */
  console(id = 'console'): Console {
    let c = this.#consoles.get(id);
    if (!c) {
      const made = new Console(id, this.#opts);
      c = made;
      this.#consoles.set(id, made);
      made.onClose(() => {
        if (this.#consoles.get(id) === made) this.#consoles.delete(id);
        this.fs.drop(id);
      });
    }
    return c;
  }

  /** Whether a console with this id is live. */
  has(id: string): boolean { return this.#consoles.has(id); }

  ids(): string[] { return [...this.#consoles.keys()]; }

  /** Close every console (kernel shutdown). */
  closeAll(): void {
    for (const c of [...this.#consoles.values()]) c.close();
  }

  /** /dev/time: seconds, nanoseconds since the epoch, ticks since boot, ticks per second. */
  timeText(): string {
    const nsec = this.#wall0 + (process.hrtime.bigint() - this.#hr0);
    const sec = nsec / 1_000_000_000n;
    const ticks = nsec - BigInt(this.kernel.bootTime) * 1_000_000n;
    const hz = 1_000_000_000n;
    const f = (v: bigint, w: number): string => String(v < 0n ? 0n : v).padStart(w - 1);
    return `${f(sec, NUMSIZE)} ${f(nsec, VLNUMSIZE)} ${f(ticks, VLNUMSIZE)} ${f(hz, VLNUMSIZE)} `;
  }

  #tree(con: Console): Tree {
    const k = this.kernel;
    return new Tree([
      file('cons', {
        read: (_off, count, req) => con.read(count, req.signal),
        write: (_off, data) => con.write(data),
      }),
      session('consctl', () => consctl(con)),
      file('null', { read: () => new Uint8Array(0), write: (_off, data) => data.length }),
      file('zero', { read: (_off, count) => new Uint8Array(count) }),
      file('random', { read: (_off, count) => new Uint8Array(randomBytes(count)) }),
      text('time', () => this.timeText()),
      file('user', { read: (off, count, req: Req) => readStr(req.uname, off, count) }),
      text('sysname', () => k.sysname),
      text('hostowner', () => this.hostowner),
      text('kmesg', () => k.kmesg.map((l) => l + '\n').join('')),
    ], { owner: this.hostowner });
  }
}

/** One open of consctl: each write is commands (one per line, as in Plan 9 a write is a command); its close may end raw mode. */
function consctl(con: Console): Session {
  con.ctlOpened();
  let released = false;
  const run = (line: string): void => {
    const [verb, arg, ...rest] = line.split(/\s+/);
    if (rest.length) throw new Error(Ebadctl);
    if (verb === 'rawon' && arg === undefined) con.raw = true;
    else if (verb === 'rawoff' && arg === undefined) con.raw = false;
    else if ((verb === 'holdon' || verb === 'holdoff') && arg === undefined) { /* rio's hold mode: nothing to hold here */ }
    else if (verb === 'size' && arg !== undefined) {
      const m = /^(\d{1,5})x(\d{1,5})$/.exec(arg);
      if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new Error(Ebadctl);
      con.size = { cols: Number(m[1]), rows: Number(m[2]) };
    } else throw new Error(Ebadctl);
  };
  let snap = '';
  return {
    read(off, count) {
      if (off === 0 || snap === '') snap = con.ctlText();
      return readStr(snap, off, count);
    },
    write(_off, data) {
      for (const l of new TextDecoder().decode(data).split('\n')) { const t = l.trim(); if (t) run(t); }
      return data.length;
    },
    clunk() {
      if (released) return;
      released = true;
      con.ctlClosed();
    },
  };
}
