// Console: one terminal (a tty, an xterm.js tab, a test) as the kernel sees it, with Plan 9's
// line discipline (devcons.c). The terminal side types with input() and shows what
// onOutput() hands it; /dev/cons reads the typed text and writes the output.
//
// Cooked mode (the default): typed bytes are echoed and collected into a line; Enter (CR or
// LF) hands the line, newline included, to readers, one line per read. Backspace (BS or DEL)
// erases a character, ^W a word, ^U the line; ^D hands over the line without a newline (on an
// empty line, one read returns end of file); ^C drops the line and tells onInterrupt
// listeners (the shell side posts the note); escape sequences (arrow keys) are dropped.
// Raw mode (consctl rawon): bytes reach readers as typed, unechoed, unedited.
// close() hangs the console up: readers drain what was typed, then get end of file; writes
// fail with 'i/o on hungup channel'.

import { Rendez } from '../../fs/server/tree-feed.ts';
import { Ehungup } from '../errors.ts';

export interface ConsoleSize {
  cols: number;
  rows: number;
}

export interface ConsoleOptions {
  /** Echo typed bytes in cooked mode (default true: the terminal side does not echo). */
  echo?: boolean;
  size?: ConsoleSize;
  /** Longest cooked line; a full line is handed over as it is (default 64 KiB). */
  maxLine?: number;
}

const BS = 0x08, DEL = 0x7f, CR = 0x0d, LF = 0x0a, ESC = 0x1b;
const CTRL_C = 0x03, CTRL_D = 0x04, CTRL_U = 0x15, CTRL_W = 0x17;
const utf8 = new TextEncoder();
const EMPTY = new Uint8Array(0);

type Listener<T> = (v: T) => void;

/** Add a listener to a set; the returned function removes it. */
function listen<T>(set: Set<Listener<T>>, cb: Listener<T>): () => void {
  set.add(cb);
  return () => { set.delete(cb); };
}

/** Call every listener; one that throws does not stop the others or the caller. */
function tell<T>(set: Set<Listener<T>>, v: T): void {
  for (const cb of [...set]) {
    try { cb(v); } catch { /* a terminal's failure is its own */ }
  }
}

export class Console {
  readonly id: string;
  echo: boolean;
  /** When something was last typed (ms since the epoch): finger's idle time. */
  lastInput = Date.now();
  readonly #maxLine: number;
  /** Records ready for readers: cooked lines, raw input chunks, or an empty record (one end of file). */
  readonly #ready: Uint8Array[] = [];
  #readyBytes = 0;
  /** The cooked line being typed. */
  #line: number[] = [];
  /** Inside an escape sequence: 0 no, 1 after ESC, 2 inside CSI/SS3 parameters. */
  #esc = 0;
  /** A CR was just seen (a following LF is the same Enter). */
  #cr = false;
  #raw = false;
  #size: ConsoleSize;
  #closed = false;
  /** Records typed in raw mode (not cooked lines): cooked when raw mode ends unread. */
  readonly #typedRaw = new WeakSet<Uint8Array>();
  /** The terminal will type nothing more (a host pipe ran dry): reads drain, then end of file. */
  #inputEnded = false;
  #ctlOpens = 0;
  readonly #rendez = new Rendez();
  readonly #output = new Set<Listener<Uint8Array>>();
  readonly #interrupt = new Set<Listener<void>>();
  readonly #resize = new Set<Listener<ConsoleSize>>();
  readonly #close = new Set<Listener<void>>();

  constructor(id: string, opts: ConsoleOptions = {}) {
    this.id = id;
    this.echo = opts.echo ?? true;
    this.#size = { ...(opts.size ?? { cols: 80, rows: 24 }) };
    this.#maxLine = opts.maxLine ?? 1 << 16;
  }

  // ---- the terminal side ----

  /** Bytes typed on the terminal. Ignored once closed. */
  input(data: Uint8Array | string): void {
    if (this.#closed) return;
    this.lastInput = Date.now();
    const b = typeof data === 'string' ? utf8.encode(data) : data;
    if (b.length === 0) return;
    if (this.#raw) {
      const rec = b.slice();
      this.#typedRaw.add(rec);
      this.#push(rec);
      return;
    }
    this.#cookAll(b);
  }

  #cookAll(b: Uint8Array): void {
    const echo: number[] = [];
    for (const c of b) this.#cook(c, echo);
    if (echo.length && this.echo) this.#emit(Uint8Array.from(echo));
  }

  /** Receive everything written to /dev/cons (and the echo); returns the unsubscribe function. */
  onOutput(cb: (data: Uint8Array) => void): () => void { return listen(this.#output, cb); }
  /** ^C in cooked mode; returns the unsubscribe function. */
  onInterrupt(cb: () => void): () => void { return listen(this.#interrupt, cb); }
  /** The size changed (terminal resize or consctl); returns the unsubscribe function. */
  onResize(cb: (size: ConsoleSize) => void): () => void { return listen(this.#resize, cb); }
  /** The console was closed. */
  onClose(cb: () => void): () => void {
    if (this.#closed) { cb(); return () => {}; }
    return listen(this.#close, cb);
  }

  get size(): ConsoleSize { return { ...this.#size }; }
  set size(s: ConsoleSize) {
    const cols = Math.max(1, Math.floor(s.cols)), rows = Math.max(1, Math.floor(s.rows));
    if (!Number.isFinite(cols) || !Number.isFinite(rows)) return;
    if (cols === this.#size.cols && rows === this.#size.rows) return;
    this.#size = { cols, rows };
    tell(this.#resize, this.size);
  }

  get raw(): boolean { return this.#raw; }
  set raw(on: boolean) {
    if (on === this.#raw) return;
    this.#raw = on;
    // Going raw hands a half-typed line to readers as it is (devcons does the same).
    if (on && this.#line.length) this.#push(Uint8Array.from(this.#line.splice(0)));
    this.#esc = 0;
    this.#cr = false;
    // Going cooked: bytes typed ahead while raw and not read (the rest of a paste after the
    // line a line editor took) are cooked now, as if typed now: echoed, made into lines, a ^D
    // an end of file for the command that reads them.
    if (!on) {
      let k = this.#ready.length;
      while (k > 0 && this.#typedRaw.has(this.#ready[k - 1]!)) k--;
      const ahead = this.#ready.splice(k);
      for (const r of ahead) { this.#readyBytes -= r.length; this.#cookAll(r); }
    }
  }

  get closed(): boolean { return this.#closed; }

  /**
   * No more input (stdin of a hosted console reached its end): a line being typed is handed
   * over, readers drain what is ready, then every read is end of file. Unlike close(), output
   * still works, so a command running when the input ran dry finishes and is seen.
   */
  endInput(): void {
    if (this.#closed || this.#inputEnded) return;
    if (this.#line.length) this.#push(Uint8Array.from(this.#line.splice(0)));
    this.#inputEnded = true;
    this.#rendez.wakeup();
  }

  /** Bytes typed and ready for readers (the line being edited not counted). */
  get pending(): number { return this.#readyBytes; }

  /** Readers waiting for input. */
  get readers(): number { return this.#rendez.sleepers; }

  /** Hang up: readers drain what is ready, then get end of file; writes fail. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#line = [];
    this.#rendez.wakeup();
    tell(this.#close, undefined);
    this.#output.clear();
    this.#interrupt.clear();
    this.#resize.clear();
  }

  // ---- the device side (/dev/cons, /dev/consctl) ----

  /** At most count bytes: one cooked line (or its rest), or the raw bytes typed so far; waits for input. */
  async read(count: number, signal: AbortSignal): Promise<Uint8Array> {
    if (count <= 0) return EMPTY;
    await this.#rendez.sleep(signal, () => this.#ready.length > 0 || this.#closed || this.#inputEnded);
    const head = this.#ready[0];
    if (!head) return EMPTY;
    if (head.length === 0) { this.#ready.shift(); return EMPTY; }
    if (head.length > count) {
      this.#ready[0] = head.subarray(count);
      if (this.#typedRaw.has(head)) this.#typedRaw.add(this.#ready[0]);
      this.#readyBytes -= count;
      const part = head.subarray(0, count);
      if (this.#typedRaw.has(head)) this.#typedRaw.add(part);
      return this.#oneLine(part);
    }
    this.#ready.shift();
    this.#readyBytes -= head.length;
    if (!this.#raw) return this.#oneLine(head);
    // Raw: gather whatever else was typed, up to count (an end-of-file record stops it).
    const parts = [head];
    let n = head.length;
    while (this.#ready.length && this.#ready[0]!.length > 0 && n < count) {
      const r = this.#ready[0]!;
      const take = Math.min(r.length, count - n);
      parts.push(r.subarray(0, take));
      n += take;
      this.#readyBytes -= take;
      if (take === r.length) this.#ready.shift(); else this.#ready[0] = r.subarray(take);
    }
    const out = new Uint8Array(n);
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return this.#oneLine(out);
  }

  /**
   * One line at most: what was typed after a line end stays for whoever reads next, so a line
   * editor in raw mode hands the rest of a paste to the command it runs, as cooked typeahead
   * does (and a cooked read after raw mode gets lines, not the raw chunk).
   */
  #oneLine(out: Uint8Array): Uint8Array {
    let end = out.findIndex((c) => c === LF || c === CR);
    if (end >= 0 && out[end] === CR && out[end + 1] === LF) end++;
    if (end < 0 || end === out.length - 1) return out;
    const rest = out.subarray(end + 1);
    if (this.#raw || this.#typedRaw.has(out)) this.#typedRaw.add(rest);
    this.#ready.unshift(rest);
    this.#readyBytes += rest.length;
    return out.subarray(0, end + 1);
  }

  /** Output from a program; returns the bytes taken. */
  write(data: Uint8Array): number {
    if (this.#closed) throw new Error(Ehungup);
    if (data.length) this.#emit(data.slice());
    return data.length;
  }

  /** A consctl open (raw mode set through consctl ends when the last one closes, as in Plan 9). */
  ctlOpened(): void { this.#ctlOpens++; }
  ctlClosed(): void {
    if (this.#ctlOpens > 0 && --this.#ctlOpens === 0) this.raw = false;
  }

  /** The consctl status: lines that, written back, restore the mode. */
  ctlText(): string {
    return `${this.#raw ? 'rawon' : 'rawoff'}\nsize ${this.#size.cols}x${this.#size.rows}\n`;
  }

  // ---- internals ----

  #emit(data: Uint8Array): void {
    tell(this.#output, data);
  }

  #push(rec: Uint8Array): void {
    this.#ready.push(rec);
    this.#readyBytes += rec.length;
    this.#rendez.wakeup();
  }

  /** One typed byte in cooked mode; what to echo goes to echo. */
  #cook(c: number, echo: number[]): void {
    if (this.#esc === 1) {
      this.#esc = c === 0x5b || c === 0x4f ? 2 : 0; // ESC [ (CSI) or ESC O (SS3); ESC x is dropped whole
      return;
    }
    if (this.#esc === 2) {
      if (c >= 0x40 && c <= 0x7e) this.#esc = 0;
      return;
    }
    const afterCr = this.#cr;
    this.#cr = c === CR;
    switch (c) {
      case ESC:
        this.#esc = 1;
        return;
      case LF:
        if (afterCr) return; // CR LF is one Enter
        this.#enter(echo);
        return;
      case CR:
        this.#enter(echo);
        return;
      case BS: case DEL:
        this.#erase(1, echo);
        return;
      case CTRL_W: {
        let n = 0, i = this.#line.length;
        while (i > 0 && isSpace(this.#line[i - 1]!)) { i--; n++; }
        while (i > 0 && !isSpace(this.#line[i - 1]!)) { i = startOfChar(this.#line, i - 1); n++; }
        this.#erase(n, echo);
        return;
      }
      case CTRL_U:
        this.#erase(Infinity, echo);
        return;
      case CTRL_D:
        this.#push(Uint8Array.from(this.#line.splice(0)));
        return;
      case CTRL_C:
        this.#line = [];
        echo.push(0x5e, 0x43, LF); // ^C and a new line
        tell(this.#interrupt, undefined);
        return;
      default:
        this.#line.push(c);
        echo.push(c);
        if (this.#line.length >= this.#maxLine) this.#push(Uint8Array.from(this.#line.splice(0)));
    }
  }

  #enter(echo: number[]): void {
    this.#line.push(LF);
    echo.push(LF);
    this.#push(Uint8Array.from(this.#line.splice(0)));
  }

  /** Erase up to n characters (UTF-8 aware) from the line, echoing BS SP BS for each. */
  #erase(n: number, echo: number[]): void {
    for (let k = 0; k < n && this.#line.length; k++) {
      this.#line.length = startOfChar(this.#line, this.#line.length - 1);
      echo.push(BS, 0x20, BS);
    }
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** Index of the first byte of the UTF-8 character whose last byte is at i. */
function startOfChar(line: number[], i: number): number {
  while (i > 0 && (line[i]! & 0xc0) === 0x80) i--;
  return i;
}
