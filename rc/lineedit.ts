// The interactive line editor for rc: a pure state machine. Bytes typed at a raw-mode
// terminal go in, bytes to write back and finished lines come out; there is no I/O, so
// it works over /dev/cons, an xterm.js WebSocket or a test alike.
//
// Keys (emacs style):
//   ← → ^B ^F          move a character        Home End ^A ^E     start / end of line
//   ^← ^→ ESC b ESC f   move a word             ↑ ↓ ^P ^N          history
//   BS (0x08) DEL (0x7f) delete before cursor   Delete (ESC[3~)    delete under cursor
//   ^U ^K               kill to start / to end  ^W ESC DEL         kill word before cursor
//   ESC d               kill word after cursor  ^Y                 yank the last kill
//   ^L                  redraw the line         Enter (CR, LF; CRLF is one Enter)
//   ^C  abandon the line: prints ^C, reports 'interrupt'
//   ^D  'eof' on an empty line; otherwise deletes under the cursor (nothing at the end)
//   Tab inserts a literal tab, shown as one space (every code point takes one column).
// Other control characters are ignored. Escape sequences (CSI ESC [ ... final, SS3 ESC O x)
// that mean nothing here are swallowed whole, also when split across feeds; ESC then a
// printable character is a Meta chord (unbound ones are ignored); ESC then a control
// character drops the ESC. A lone ESC waits for the next byte (there are no timers).
// Bracketed paste (ESC[200~ ... ESC[201~) inserts text literally; in a paste or not,
// each newline accepts a line. Callers may enable the mode with BRACKETED_PASTE_ON.
//
// Input is decoded as UTF-8 by code point (a sequence split across feeds is joined);
// wide and combining characters are assumed to take one column like any other.
//
// Type-ahead: once an event ends a line, the editor is idle and further input is queued,
// echoed and edited only after the next start(), which may itself return an event. So
// each start()/feed()/endOfInput() returns at most one event and no typed input is lost.
//
// Display: one screen row. A line that does not fit scrolls sideways, keeping the cursor
// in view, and never writes into the terminal's last column (so it never wraps). Output
// uses only \r \n \b, ESC[K, ESC[nC and ESC[nD. The prompt may hold newlines and colour
// escapes; its last line must be narrower than the terminal.

import type { History } from './history.ts';

export type EditEvent = { kind: 'line'; text: string } | { kind: 'interrupt' } | { kind: 'eof' };

export interface EditResult {
  /** Bytes to write to the terminal. */
  output: Uint8Array;
  /** At most one: the event that ended the line, if one did. */
  events: EditEvent[];
}

export interface LineEditorOptions {
  history?: History;
  /** Terminal width (default 80). */
  cols?: number;
  /** Add each accepted line to `history` (default true). */
  autoHistory?: boolean;
}

/** Ask the terminal to bracket pasted text (write at start-up; OFF on leaving raw mode). */
export const BRACKETED_PASTE_ON = '\x1b[?2004h';
export const BRACKETED_PASTE_OFF = '\x1b[?2004l';

const ESC = '\x1b';
const CSI = '\x1b[';
/** Longest CSI kept; a longer one is still swallowed, just not recognised. */
const MAX_CSI = 32;
const encoder = new TextEncoder();

type Action =
  | 'left' | 'right' | 'home' | 'end' | 'wordLeft' | 'wordRight' | 'up' | 'down'
  | 'backspace' | 'delete' | 'eofOrDelete' | 'killStart' | 'killEnd' | 'killWordLeft'
  | 'killWordRight' | 'yank' | 'redraw' | 'interrupt';
type Keymap = Readonly<Partial<Record<string, Action>>>;

/** Control characters (Enter is handled apart; unlisted ones are ignored). */
const CTRL_KEYS: Keymap = {
  '\x01': 'home', '\x02': 'left', '\x03': 'interrupt', '\x04': 'eofOrDelete', '\x05': 'end',
  '\x06': 'right', '\b': 'backspace', '\x7f': 'backspace', '\x0b': 'killEnd', '\x0c': 'redraw',
  '\x0e': 'down', '\x10': 'up', '\x15': 'killStart', '\x17': 'killWordLeft', '\x19': 'yank',
};
/** ESC then a character. */
const META_KEYS: Keymap = { b: 'wordLeft', f: 'wordRight', d: 'killWordRight', '\x7f': 'killWordLeft', '\b': 'killWordLeft' };
/** ESC O x (application cursor keys) and ESC [ x, by final character. */
const ARROW_KEYS: Keymap = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end' };
/** ESC [ n ~ */
const TILDE_KEYS: Keymap = { 1: 'home', 7: 'home', 4: 'end', 8: 'end', 3: 'delete' };

/** What enters the line: printable characters and tab. */
function insertable(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return ch === '\t' || (c >= 0x20 && c !== 0x7f && !(c >= 0x80 && c <= 0x9f));
}

function blank(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}

/** Columns a prompt's last line takes: colour escapes and controls take none. */
function promptWidth(s: string): number {
  const plain = s.replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '').replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)?/g, '');
  let n = 0;
  for (const ch of plain) if (insertable(ch)) n++;
  return n;
}

export class LineEditor {
  readonly #history: History | undefined;
  readonly #autoHistory: boolean;
  #cols: number;
  readonly #decoder = new TextDecoder('utf-8');

  // ---- input parsing: survives from line to line ----
  /** Decoded code points not yet handled; #qHead is the first unhandled one. */
  #queue: string[] = [];
  #qHead = 0;
  /** The escape sequence read so far (from ESC), or null outside one. */
  #esc: string | null = null;
  /** Inside a bracketed paste. */
  #paste = false;
  /** The last character was a CR that accepted a line: an LF right after it is the same Enter. */
  #afterCR = false;
  /** The input stream has ended (endOfInput). */
  #ended = false;

  // ---- the line being edited ----
  #active = false;
  #buf: string[] = [];
  #cursor = 0;
  #kill: string[] = [];
  /** History position while browsing (entries.length means the line being typed); null when not. */
  #histPos: number | null = null;
  #draft: string[] = [];

  // ---- the screen, as written so far ----
  #promptTail = '';
  #pw = 0;
  /** Characters shown after the prompt, the first being #buf[#offset]. */
  #shown: string[] = [];
  #offset = 0;
  /** Screen column of the cursor, counted from the end of the prompt. */
  #scr = 0;
  #fullRedraw = false;
  #out: string[] = [];
  #event: EditEvent | null = null;

  constructor(opts: LineEditorOptions = {}) {
    this.#history = opts.history;
    this.#autoHistory = opts.autoHistory ?? true;
    this.#cols = 80;
    if (opts.cols !== undefined) this.cols = opts.cols;
  }

  get cols(): number { return this.#cols; }

  /** Terminal width; values below 2 or not finite are ignored. The next output redraws the line. */
  set cols(n: number) {
    if (!Number.isFinite(n) || n < 2) return;
    const c = Math.floor(n);
    if (c !== this.#cols) this.#fullRedraw = true;
    this.#cols = c;
  }

  /** The line as edited so far. */
  get text(): string { return this.#buf.join(''); }
  /** Cursor position in code points. */
  get cursor(): number { return this.#cursor; }
  /** Reading a line (between start() and the event that ends it). */
  get active(): boolean { return this.#active; }

  /** Begin reading a line: writes the prompt, then handles input queued since the last line. */
  start(prompt: string): EditResult {
    this.#active = true;
    [this.#buf, this.#cursor, this.#histPos, this.#draft] = [[], 0, null, []];
    this.#promptTail = prompt.slice(prompt.lastIndexOf('\n') + 1);
    this.#pw = promptWidth(this.#promptTail);
    [this.#shown, this.#offset, this.#scr, this.#fullRedraw] = [[], 0, 0, false];
    this.#out.push(prompt.replace(/\r?\n/g, '\r\n'));
    return this.#run();
  }

  /** Feed typed bytes. While idle (after an event, before start()) they are only queued. */
  feed(bytes: Uint8Array): EditResult {
    for (const ch of this.#decoder.decode(bytes, { stream: true })) this.#queue.push(ch);
    return this.#run();
  }

  /**
   * The input stream has ended. A partial line is accepted as a line and the next start()
   * reports 'eof'; an empty line reports 'eof' now.
   */
  endOfInput(): EditResult {
    if (!this.#ended) {
      for (const ch of this.#decoder.decode()) this.#queue.push(ch);
      this.#ended = true;
    }
    return this.#run();
  }

  /** Redraw the whole line (e.g. after a resize). */
  redraw(): Uint8Array {
    if (!this.#active) return new Uint8Array(0);
    this.#fullRedraw = true;
    return this.#run().output;
  }

  /** Handle queued input until it runs out or ends the line; collect the output. */
  #run(): EditResult {
    while (this.#active && this.#qHead < this.#queue.length) this.#char(this.#queue[this.#qHead++]!);
    if (this.#qHead > 1024 && this.#qHead * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#qHead);
      this.#qHead = 0;
    }
    if (this.#active && this.#ended && this.#qHead === this.#queue.length) {
      this.#esc = null;
      if (this.#buf.length === 0) this.#finish({ kind: 'eof' }, '\r\n');
      else this.#accept();
    }
    if (this.#active) this.#render();
    const output = encoder.encode(this.#out.join(''));
    this.#out = [];
    const events = this.#event ? [this.#event] : [];
    this.#event = null;
    return { output, events };
  }

  // ---- input ----

  #char(ch: string): void {
    if (this.#afterCR) {
      this.#afterCR = false;
      if (ch === '\n') return;
    }
    if (this.#esc !== null) this.#escChar(ch);
    else if (ch === ESC) this.#esc = ESC;
    else if (this.#paste) this.#pasteChar(ch);
    else this.#key(ch);
  }

  #pasteChar(ch: string): void {
    if (ch === '\r' || ch === '\n') this.#accept(ch);
    else if (insertable(ch)) this.#insert([ch]);
  }

  #escChar(ch: string): void {
    const esc = this.#esc!, c = ch.codePointAt(0)!;
    this.#esc = null;
    if (esc === ESC && (ch === '[' || ch === 'O')) this.#esc = ESC + ch;
    else if (esc === ESC && this.#paste) this.#pasteChar(ch);
    else if (esc === ESC && !insertable(ch) && ch !== '\x7f' && ch !== '\b') this.#char(ch);
    else if (esc === ESC) this.#do(META_KEYS[ch]);
    else if (esc === ESC + 'O') this.#do(this.#paste ? undefined : ARROW_KEYS[ch]);
    // CSI: parameter and intermediate bytes, then a final byte; a longer one than
    // MAX_CSI is still swallowed but matches nothing.
    else if (c >= 0x20 && c <= 0x3f) this.#esc = esc.length < MAX_CSI ? esc + ch : CSI + '!';
    else if (c >= 0x40 && c <= 0x7e) this.#csi(esc.slice(CSI.length), ch);
    else this.#char(ch);   // not a CSI after all: drop it, take this character afresh
  }

  #csi(params: string, final: string): void {
    if (final === '~' && params === '200') this.#paste = true;
    else if (final === '~' && params === '201') this.#paste = false;
    else if (this.#paste) return;   // keys mean nothing inside a paste
    else if (final === '~') this.#do(TILDE_KEYS[params]);
    else if (params === '' || params === '1') this.#do(ARROW_KEYS[final]);
    else if (params === '1;3' || params === '1;5') this.#do(final === 'C' ? 'wordRight' : final === 'D' ? 'wordLeft' : undefined);
  }

  #key(ch: string): void {
    if (ch === '\r' || ch === '\n') this.#accept(ch);
    else if (insertable(ch)) this.#insert([ch]);
    else this.#do(CTRL_KEYS[ch]);
  }

  #do(action: Action | undefined): void {
    const n = this.#buf.length, c = this.#cursor;
    switch (action) {
      case 'left': this.#move(c - 1); break;
      case 'right': this.#move(c + 1); break;
      case 'home': this.#move(0); break;
      case 'end': this.#move(n); break;
      case 'wordLeft': this.#move(this.#wordLeft()); break;
      case 'wordRight': this.#move(this.#wordRight()); break;
      case 'up': this.#histMove(-1); break;
      case 'down': this.#histMove(1); break;
      case 'backspace': this.#deleteRange(c - 1, c); break;
      case 'delete': this.#deleteRange(c, c + 1); break;
      case 'eofOrDelete':
        if (n === 0) this.#finish({ kind: 'eof' }, '\r\n');
        else this.#deleteRange(c, c + 1);
        break;
      case 'killStart': this.#killRange(0, c); break;
      case 'killEnd': this.#killRange(c, n); break;
      case 'killWordLeft': this.#killRange(this.#wordLeft(), c); break;
      case 'killWordRight': this.#killRange(c, this.#wordRight()); break;
      case 'yank': this.#insert(this.#kill); break;
      case 'redraw': this.#fullRedraw = true; break;
      case 'interrupt': this.#move(n); this.#finish({ kind: 'interrupt' }, '^C\r\n'); break;
      case undefined: break;   // unbound: ignored
    }
  }

  // ---- editing ----

  #insert(chars: readonly string[]): void {
    if (chars.length === 1) this.#buf.splice(this.#cursor, 0, chars[0]!);
    else this.#buf = [...this.#buf.slice(0, this.#cursor), ...chars, ...this.#buf.slice(this.#cursor)];   // no argument-count limit
    this.#cursor += chars.length;
  }

  #move(to: number): void {
    this.#cursor = Math.max(0, Math.min(this.#buf.length, to));
  }

  #deleteRange(from: number, to: number): string[] {
    const a = Math.max(0, from), b = Math.min(this.#buf.length, to);
    if (a >= b) return [];
    const gone = this.#buf.splice(a, b - a);
    if (this.#cursor > b) this.#cursor -= b - a;
    else if (this.#cursor > a) this.#cursor = a;
    return gone;
  }

  #killRange(from: number, to: number): void {
    const gone = this.#deleteRange(from, to);
    if (gone.length > 0) this.#kill = gone;
  }

  /** Start of the word before the cursor (words are separated by blanks). */
  #wordLeft(): number {
    let i = this.#cursor;
    while (i > 0 && blank(this.#buf[i - 1])) i--;
    while (i > 0 && !blank(this.#buf[i - 1])) i--;
    return i;
  }

  /** End of the word after the cursor. */
  #wordRight(): number {
    let i = this.#cursor;
    while (i < this.#buf.length && blank(this.#buf[i])) i++;
    while (i < this.#buf.length && !blank(this.#buf[i])) i++;
    return i;
  }

  /** Step through history: -1 older, +1 newer; coming back past the newest restores the draft. */
  #histMove(dir: -1 | 1): void {
    if (!this.#history) return;
    const list = this.#history.entries();
    const pos = this.#histPos ?? list.length;
    const next = Math.max(0, Math.min(list.length, pos + dir));
    if (next === pos) return;
    if (this.#histPos === null) this.#draft = this.#buf;
    this.#histPos = next;
    this.#buf = next === list.length ? [...this.#draft] : [...list[next]!];
    this.#cursor = this.#buf.length;
  }

  // ---- ending a line ----

  /** End the line; `by` is the Enter character, if one did it. */
  #accept(by?: string): void {
    if (by === '\r') this.#afterCR = true;
    const text = this.#buf.join('');
    if (this.#history && this.#autoHistory) this.#history.add(text);
    this.#finish({ kind: 'line', text }, '\r\n');
  }

  #finish(ev: EditEvent, tail: string): void {
    this.#render();
    this.#out.push(tail);
    this.#event = ev;
    this.#active = false;
  }

  // ---- display ----

  /** Bring the screen row up to date with the buffer, writing only what changed. */
  #render(): void {
    const room = Math.max(1, this.#cols - 1 - this.#pw);
    const len = this.#buf.length;
    let off = Math.min(this.#offset, Math.max(0, len - room));
    if (this.#cursor < off) off = this.#cursor;
    if (this.#cursor > off + room) off = this.#cursor - room;
    this.#offset = off;
    const view = this.#buf.slice(off, off + room).map((ch) => (ch === '\t' ? ' ' : ch));

    if (this.#fullRedraw) {
      this.#fullRedraw = false;
      this.#out.push('\r', this.#promptTail, view.join(''), CSI + 'K');
      this.#shown = view;
      this.#scr = view.length;
    } else {
      const old = this.#shown;
      let p = 0;
      while (p < old.length && p < view.length && old[p] === view[p]) p++;
      if (p < old.length || p < view.length) {
        this.#moveTo(p);
        this.#out.push(view.slice(p).join(''));
        this.#scr = view.length;
        if (view.length < old.length) this.#out.push(CSI + 'K');
        this.#shown = view;
      }
    }
    this.#moveTo(this.#cursor - off);
  }

  #moveTo(col: number): void {
    const d = col - this.#scr;
    if (d === -1) this.#out.push('\b');
    else if (d < 0) this.#out.push(`${CSI}${-d}D`);
    else if (d > 0) this.#out.push(`${CSI}${d}C`);
    this.#scr = col;
  }
}

/**
 * Read one line using read/write callbacks (e.g. /dev/cons in raw mode). read() returning
 * no bytes is the end of the stream: 'eof' on an empty line, else the partial line is
 * returned and the next call reports 'eof'.
 */
export async function readLine(
  ed: LineEditor,
  prompt: string,
  read: () => Promise<Uint8Array>,
  write: (b: Uint8Array) => Promise<void>,
): Promise<EditEvent> {
  let r = ed.start(prompt);
  for (;;) {
    if (r.output.length > 0) await write(r.output);
    const ev = r.events[0];
    if (ev) return ev;
    const bytes = await read();
    r = bytes.length === 0 ? ed.endOfInput() : ed.feed(bytes);
  }
}
