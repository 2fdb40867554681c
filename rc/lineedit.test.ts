import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { History } from './history.ts';
import { LineEditor, readLine } from './lineedit.ts';
import type { EditEvent, EditResult } from './lineedit.ts';

// ---- keys ----
const ctrl = (c: string): string => String.fromCharCode(c.toUpperCase().charCodeAt(0) - 64);
const LEFT = '\x1b[D', RIGHT = '\x1b[C', UP = '\x1b[A', DOWN = '\x1b[B';
const HOME = '\x1b[H', END = '\x1b[F', DELETE = '\x1b[3~';
const BS = '\b', DEL = '\x7f';
const PASTE_ON = '\x1b[200~', PASTE_OFF = '\x1b[201~';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

/**
 * A tiny terminal: rows of cells, a cursor, and only the output the editor may use
 * (\r \n \b, ESC[K, ESC[nC, ESC[nD; SGR ESC[..m is accepted for coloured prompts and
 * does nothing). Anything else throws. It notes writes into the last column, which
 * would make a real terminal wrap.
 */
class Screen {
  readonly cols: number;
  rows: string[][] = [[]];
  row = 0;
  col = 0;
  lastColWritten = false;

  constructor(cols: number) {
    this.cols = cols;
  }

  write(out: Uint8Array | string): void {
    const chars = [...(typeof out === 'string' ? out : dec(out))];
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i]!;
      const line = this.rows[this.row]!;
      if (ch === '\r') this.col = 0;
      else if (ch === '\n') { this.row++; this.rows[this.row] ??= []; }
      else if (ch === '\b') this.col = Math.max(0, this.col - 1);
      else if (ch === '\x1b') {
        if (chars[i + 1] !== '[') throw new Error(`unexpected escape ESC ${chars[i + 1]}`);
        let j = i + 2, params = '';
        while (j < chars.length && /[0-9;]/.test(chars[j]!)) params += chars[j++];
        const fin = chars[j];
        const n = params === '' ? 1 : Number(params);
        if (fin === 'K' && params === '') line.length = Math.min(line.length, this.col);
        else if (fin === 'C') this.col = Math.min(this.cols - 1, this.col + n);
        else if (fin === 'D') this.col = Math.max(0, this.col - n);
        else if (fin === 'm') { /* colour */ }
        else throw new Error(`unexpected sequence ESC[${params}${fin}`);
        i = j;
      } else if (ch.codePointAt(0)! < 0x20 || ch === '\x7f') {
        throw new Error(`unexpected control ${JSON.stringify(ch)}`);
      } else {
        if (this.col >= this.cols - 1) this.lastColWritten = true;
        line[this.col] = ch;
        this.col = Math.min(this.cols - 1, this.col + 1);
      }
    }
  }

  /** The cells of the cursor's row, holes as spaces. */
  cells(): string[] {
    return Array.from(this.rows[this.row]!, (c) => c ?? ' ');
  }

  line(): string {
    return this.cells().join('');
  }
}

/** An editor wired to a screen, with the events seen. */
class Term {
  readonly ed: LineEditor;
  readonly scr: Screen;
  readonly prompt: string;
  events: EditEvent[] = [];

  constructor(opts: { history?: History; cols?: number; prompt?: string; autoHistory?: boolean } = {}) {
    const cols = opts.cols ?? 80;
    this.ed = new LineEditor({ history: opts.history, cols, autoHistory: opts.autoHistory });
    this.scr = new Screen(cols);
    this.prompt = opts.prompt ?? '% ';
    this.start();
  }

  #take(r: EditResult): EditEvent[] {
    expect(r.events.length).toBeLessThanOrEqual(1);
    this.scr.write(r.output);
    this.events.push(...r.events);
    return r.events;
  }

  start(): EditEvent[] {
    return this.#take(this.ed.start(this.prompt));
  }

  type(s: string | Uint8Array): EditEvent[] {
    return this.#take(this.ed.feed(typeof s === 'string' ? enc(s) : s));
  }

  /** The screen shows the prompt and the line, with the cursor in the right place. */
  check(): void {
    const pw = this.prompt.length;
    const text = this.ed.text.replace(/\t/g, ' ');
    expect(this.scr.line()).toBe(this.prompt + text);
    expect(this.scr.col).toBe(pw + this.ed.cursor);
  }
}

/** Type keys one by one, checking the screen after each. */
function typeKeys(t: Term, keys: string[]): void {
  for (const k of keys) {
    t.type(k);
    t.check();
  }
}

describe('LineEditor: start and typing', () => {
  it('start writes the prompt', () => {
    const ed = new LineEditor();
    const r = ed.start('% ');
    expect(dec(r.output)).toBe('% ');
    expect(r.events).toEqual([]);
    expect(ed.active).toBe(true);
  });

  it('newlines in the prompt are written as CRLF', () => {
    const ed = new LineEditor();
    expect(dec(ed.start('a\nb\r\n% ').output)).toBe('a\r\nb\r\n% ');
  });

  it('typing at the end echoes just the characters', () => {
    const t = new Term();
    const r = t.ed.feed(enc('echo hi'));
    expect(dec(r.output)).toBe('echo hi');
    t.scr.write(r.output);
    t.check();
  });

  it('Enter (CR) accepts the line without the newline and writes CRLF', () => {
    const ed = new LineEditor();
    ed.start('% ');
    ed.feed(enc('ls /bin'));
    const r = ed.feed(enc('\r'));
    expect(r.events).toEqual([{ kind: 'line', text: 'ls /bin' }]);
    expect(dec(r.output)).toBe('\r\n');
    expect(ed.active).toBe(false);
  });

  it('LF accepts a line too; an empty line is a line', () => {
    const t = new Term();
    expect(t.type('x\n')).toEqual([{ kind: 'line', text: 'x' }]);
    t.start();
    expect(t.type('\r')).toEqual([{ kind: 'line', text: '' }]);
  });

  it('CRLF is one Enter, also split across feeds and across start()', () => {
    const t = new Term();
    expect(t.type('a\r\n')).toEqual([{ kind: 'line', text: 'a' }]);
    expect(t.start()).toEqual([]);
    expect(t.type('b\r')).toEqual([{ kind: 'line', text: 'b' }]);
    t.type('\n');           // idle: queued, then skipped
    expect(t.start()).toEqual([]);
    expect(t.type('c\r')).toEqual([{ kind: 'line', text: 'c' }]);
    expect(t.start()).toEqual([]);
    expect(t.type('\n')).toEqual([]);   // the CR's LF, arriving late
    expect(t.type('\n')).toEqual([{ kind: 'line', text: '' }]);
  });

  it('LF CR is two Enters', () => {
    const t = new Term();
    expect(t.type('a\n\r')).toEqual([{ kind: 'line', text: 'a' }]);
    expect(t.start()).toEqual([{ kind: 'line', text: '' }]);
  });

  it('Tab inserts a literal tab, shown as one space', () => {
    const t = new Term();
    typeKeys(t, ['a', '\t', 'b', LEFT, LEFT, ctrl('b')]);
    expect(t.ed.text).toBe('a\tb');
    expect(t.ed.cursor).toBe(0);
    expect(t.type('\r')).toEqual([{ kind: 'line', text: 'a\tb' }]);
  });

  it('other control characters are ignored', () => {
    const t = new Term();
    typeKeys(t, ['a', '\x00', ctrl('g'), ctrl('t'), ctrl('o'), ctrl('z'), ctrl('\\'), '\x9b', 'b']);
    expect(t.ed.text).toBe('ab');
  });
});

describe('LineEditor: moving and editing', () => {
  it('left arrow then insert puts text in the middle', () => {
    const t = new Term();
    typeKeys(t, ['a', 'c', 'd', LEFT, LEFT, 'b']);
    expect(t.ed.text).toBe('abcd');
    expect(t.ed.cursor).toBe(2);
  });

  it('type, move left 3, insert, ^E, backspace', () => {
    const t = new Term();
    typeKeys(t, [...'hello world', LEFT, LEFT, LEFT, 'X', 'Y', ctrl('e'), DEL]);
    expect(t.ed.text).toBe('hello woXYrl');
    expect(t.ed.cursor).toBe(12);
    expect(t.type('\r')).toEqual([{ kind: 'line', text: 'hello woXYrl' }]);
  });

  it('the same keys in one feed give the same screen', () => {
    const t = new Term();
    t.type('hello world' + LEFT + LEFT + LEFT + 'XY' + ctrl('e') + DEL);
    t.check();
    expect(t.ed.text).toBe('hello woXYrl');
  });

  it('Home, End, ^A, ^E, ^B, ^F and the other home/end encodings', () => {
    const t = new Term();
    typeKeys(t, [...'abcdef']);
    const at = (k: string, pos: number): void => {
      t.type(k);
      t.check();
      expect(t.ed.cursor, JSON.stringify(k)).toBe(pos);
    };
    at(HOME, 0); at(END, 6); at(ctrl('a'), 0); at(ctrl('e'), 6);
    at(ctrl('b'), 5); at(ctrl('b'), 4); at(ctrl('f'), 5); at(RIGHT, 6);
    at('\x1b[1~', 0); at('\x1b[4~', 6); at('\x1b[7~', 0); at('\x1b[8~', 6);
    at('\x1bOH', 0); at('\x1bOF', 6); at('\x1bOD', 5); at('\x1bOC', 6);
    at('\x1b[1H', 0); at('\x1b[1F', 6); at('\x1b[1D', 5);
  });

  it('moves stop at the ends', () => {
    const t = new Term();
    typeKeys(t, ['a', 'b', LEFT, LEFT, LEFT, ctrl('b')]);
    expect(t.ed.cursor).toBe(0);
    typeKeys(t, [RIGHT, RIGHT, RIGHT, ctrl('f')]);
    expect(t.ed.cursor).toBe(2);
  });

  it('backspace (DEL and BS) deletes before the cursor, not at the start', () => {
    const t = new Term();
    typeKeys(t, [...'abcd', DEL, BS]);
    expect(t.ed.text).toBe('ab');
    typeKeys(t, [LEFT, BS]);
    expect(t.ed.text).toBe('b');
    expect(t.ed.cursor).toBe(0);
    typeKeys(t, [BS, DEL]);
    expect(t.ed.text).toBe('b');
  });

  it('Delete (ESC[3~) deletes under the cursor, nothing at the end', () => {
    const t = new Term();
    typeKeys(t, [...'abcd', HOME, DELETE, RIGHT, DELETE]);
    expect(t.ed.text).toBe('bd');
    expect(t.ed.cursor).toBe(1);
    typeKeys(t, [END, DELETE]);
    expect(t.ed.text).toBe('bd');
  });

  it('^U kills to the start of the line', () => {
    const t = new Term();
    typeKeys(t, [...'echo hello', LEFT, LEFT, ctrl('u')]);
    expect(t.ed.text).toBe('lo');
    expect(t.ed.cursor).toBe(0);
  });

  it('^K kills to the end of the line', () => {
    const t = new Term();
    typeKeys(t, [...'echo hello', HOME, RIGHT, RIGHT, ctrl('k')]);
    expect(t.ed.text).toBe('ec');
    expect(t.ed.cursor).toBe(2);
  });

  it('^W deletes the word before the cursor, and blanks before it', () => {
    const t = new Term();
    typeKeys(t, [...'cat  foo bar  ', ctrl('w')]);
    expect(t.ed.text).toBe('cat  foo ');
    typeKeys(t, [ctrl('w')]);
    expect(t.ed.text).toBe('cat  ');
    typeKeys(t, [ctrl('w')]);
    expect(t.ed.text).toBe('');
    typeKeys(t, [ctrl('w')]);
    expect(t.ed.text).toBe('');
  });

  it('^W in the middle of a word deletes its first part', () => {
    const t = new Term();
    typeKeys(t, [...'ls /usr/bin', LEFT, LEFT, LEFT, ctrl('w')]);
    expect(t.ed.text).toBe('ls bin');
    expect(t.ed.cursor).toBe(3);
  });

  it('^Y yanks the last kill', () => {
    const t = new Term();
    typeKeys(t, [...'one two', ctrl('w'), HOME, ctrl('y')]);
    expect(t.ed.text).toBe('twoone ');
    typeKeys(t, [ctrl('e'), ctrl('u'), ctrl('y'), ctrl('y')]);
    expect(t.ed.text).toBe('twoone twoone ');
  });

  it('Meta and Ctrl word moves and kills', () => {
    const t = new Term();
    typeKeys(t, [...'aa bb cc', '\x1bb']);
    expect(t.ed.cursor).toBe(6);
    typeKeys(t, ['\x1b[1;5D', '\x1b[1;3D']);
    expect(t.ed.cursor).toBe(0);
    typeKeys(t, ['\x1bf']);
    expect(t.ed.cursor).toBe(2);
    typeKeys(t, ['\x1b[1;5C']);
    expect(t.ed.cursor).toBe(5);
    typeKeys(t, ['\x1bd']);
    expect(t.ed.text).toBe('aa bb');
    typeKeys(t, ['\x1b\x7f']);
    expect(t.ed.text).toBe('aa ');
    typeKeys(t, ['\x1b\b']);
    expect(t.ed.text).toBe('');
  });

  it('^L redraws the whole line', () => {
    const t = new Term();
    typeKeys(t, [...'abc', LEFT]);
    const r = t.ed.feed(enc(ctrl('l')));
    expect(dec(r.output).startsWith('\r% abc\x1b[K')).toBe(true);
    t.scr.write(r.output);
    t.check();
    // a screen scribbled on is put right
    t.scr.rows[0] = [...'garbage garbage garbage'];
    t.type(ctrl('l'));
    t.check();
  });

  it('redraw() does what ^L does, and nothing when idle', () => {
    const t = new Term();
    typeKeys(t, [...'xyz', LEFT]);
    t.scr.rows[0] = [...'%%%%%%%%%%%'];
    t.scr.write(t.ed.redraw());
    t.check();
    t.type('\r');
    expect(t.ed.redraw().length).toBe(0);
  });
});

describe('LineEditor: history', () => {
  function withHistory(...lines: string[]): Term {
    const h = new History();
    for (const l of lines) h.add(l);
    return new Term({ history: h });
  }

  it('up starts from the newest entry and goes back; down comes forward', () => {
    const t = withHistory('one', 'two', 'three');
    typeKeys(t, [UP]);
    expect(t.ed.text).toBe('three');
    expect(t.ed.cursor).toBe(5);
    typeKeys(t, [UP, UP]);
    expect(t.ed.text).toBe('one');
    typeKeys(t, [UP]);
    expect(t.ed.text).toBe('one');
    typeKeys(t, [DOWN]);
    expect(t.ed.text).toBe('two');
  });

  it('^P and ^N and SS3 arrows browse too', () => {
    const t = withHistory('one', 'two');
    typeKeys(t, [ctrl('p'), ctrl('p')]);
    expect(t.ed.text).toBe('one');
    typeKeys(t, [ctrl('n')]);
    expect(t.ed.text).toBe('two');
    typeKeys(t, ['\x1bOA']);
    expect(t.ed.text).toBe('one');
    typeKeys(t, ['\x1bOB']);
    expect(t.ed.text).toBe('two');
  });

  it('coming back down restores the line being typed, with the cursor at its end', () => {
    const t = withHistory('one', 'two');
    typeKeys(t, [...'partial', LEFT, LEFT, UP, UP, DOWN, DOWN]);
    expect(t.ed.text).toBe('partial');
    expect(t.ed.cursor).toBe(7);
    typeKeys(t, [DOWN]);
    expect(t.ed.text).toBe('partial');
    typeKeys(t, [UP]);
    expect(t.ed.text).toBe('two');
  });

  it('down with nothing browsed does nothing', () => {
    const t = withHistory('one');
    typeKeys(t, [...'abc', DOWN, ctrl('n')]);
    expect(t.ed.text).toBe('abc');
  });

  it('a recalled line can be edited and accepted; it becomes the newest entry', () => {
    const h = new History();
    h.add('echo one');
    h.add('ls');
    const t = new Term({ history: h });
    typeKeys(t, [UP, UP, DEL, DEL, DEL, ...'two']);
    expect(t.type('\r')).toEqual([{ kind: 'line', text: 'echo two' }]);
    expect(h.entries()).toEqual(['echo one', 'ls', 'echo two']);
    t.start();
    typeKeys(t, [UP]);
    expect(t.ed.text).toBe('echo two');
  });

  it('accepted lines are added, without consecutive duplicates or empty lines', () => {
    const h = new History();
    const t = new Term({ history: h });
    for (const l of ['ls', 'ls', '', 'pwd', 'ls']) {
      t.type(l + '\r');
      t.start();
    }
    expect(h.entries()).toEqual(['ls', 'pwd', 'ls']);
    typeKeys(t, [UP, UP, UP, UP]);
    expect(t.ed.text).toBe('ls');
  });

  it('the history bound holds through the editor', () => {
    const h = new History(2);
    const t = new Term({ history: h });
    for (const l of ['a', 'b', 'c']) { t.type(l + '\r'); t.start(); }
    typeKeys(t, [UP, UP, UP]);
    expect(t.ed.text).toBe('b');
  });

  it('autoHistory false leaves the history alone', () => {
    const h = new History();
    const t = new Term({ history: h, autoHistory: false });
    t.type('ls\r');
    expect(h.entries()).toEqual([]);
  });

  it('without a history, up and down do nothing', () => {
    const t = new Term();
    typeKeys(t, [...'abc', UP, DOWN, ctrl('p')]);
    expect(t.ed.text).toBe('abc');
  });

  it('a new line starts outside the history', () => {
    const t = withHistory('one', 'two');
    typeKeys(t, [UP, UP]);
    t.type(ctrl('c'));
    t.start();
    typeKeys(t, [UP]);
    expect(t.ed.text).toBe('two');
  });
});

describe('LineEditor: ^C and ^D', () => {
  it('^C abandons the line, prints ^C and a newline, reports interrupt', () => {
    const h = new History();
    const t = new Term({ history: h });
    typeKeys(t, [...'rm -rf', LEFT, LEFT]);
    const r = t.ed.feed(enc(ctrl('c')));
    expect(r.events).toEqual([{ kind: 'interrupt' }]);
    expect(dec(r.output).endsWith('^C\r\n')).toBe(true);
    t.scr.write(r.output);
    expect(t.scr.rows[0]!.join('')).toBe('% rm -rf^C');
    expect(h.entries()).toEqual([]);
    t.start();
    expect(t.ed.text).toBe('');
    t.check();
  });

  it('^D on an empty line is end of file', () => {
    const t = new Term();
    expect(t.type(ctrl('d'))).toEqual([{ kind: 'eof' }]);
    expect(t.ed.active).toBe(false);
  });

  it('^D on a line deletes under the cursor, and does nothing at the end', () => {
    const t = new Term();
    typeKeys(t, [...'abc', ctrl('d')]);
    expect(t.ed.text).toBe('abc');
    expect(t.events).toEqual([]);
    typeKeys(t, [HOME, ctrl('d')]);
    expect(t.ed.text).toBe('bc');
    typeKeys(t, [ctrl('d'), ctrl('d')]);
    expect(t.ed.text).toBe('');
    expect(t.events).toEqual([]);
    expect(t.type(ctrl('d'))).toEqual([{ kind: 'eof' }]);
  });
});

describe('LineEditor: type-ahead and paste', () => {
  it('a paste of three lines in one chunk gives three lines, one per start()', () => {
    const t = new Term();
    expect(t.type('ls\ncd /tmp\necho hi\n')).toEqual([{ kind: 'line', text: 'ls' }]);
    expect(t.start()).toEqual([{ kind: 'line', text: 'cd /tmp' }]);
    expect(t.start()).toEqual([{ kind: 'line', text: 'echo hi' }]);
    expect(t.start()).toEqual([]);
    expect(t.scr.rows.map((r) => r.join(''))).toEqual(['% ls', '% cd /tmp', '% echo hi', '% ']);
  });

  it('the unfinished rest of a paste is left in the line', () => {
    const t = new Term();
    expect(t.type('a\r\nb\r\nc')).toEqual([{ kind: 'line', text: 'a' }]);
    expect(t.start()).toEqual([{ kind: 'line', text: 'b' }]);
    expect(t.start()).toEqual([]);
    expect(t.ed.text).toBe('c');
    t.check();
  });

  it('input while idle is queued, not echoed, and edited after start()', () => {
    const t = new Term();
    t.type('first\r');
    const r = t.ed.feed(enc('sec' + LEFT + 'x'));
    expect(r.output.length).toBe(0);
    expect(r.events).toEqual([]);
    t.start();
    expect(t.ed.text).toBe('sexc');
    t.check();
  });

  it('a different prompt for the next line is used for queued input', () => {
    const t = new Term();
    t.type('{\necho\n');
    const r = t.ed.start('>> ');
    expect(dec(r.output)).toBe('>> echo\r\n');
    expect(r.events).toEqual([{ kind: 'line', text: 'echo' }]);
  });

  it('bracketed paste inserts text literally; newlines still accept lines', () => {
    const t = new Term();
    const evs = t.type(PASTE_ON + 'one\x03\x15' + LEFT + '\ttwo\nthree' + PASTE_OFF);
    expect(evs).toEqual([{ kind: 'line', text: 'one\ttwo' }]);
    expect(t.start()).toEqual([]);
    expect(t.ed.text).toBe('three');
    t.check();
    typeKeys(t, [LEFT, ctrl('u')]);   // keys work again after the paste
    expect(t.ed.text).toBe('e');
  });

  it('a bracketed paste can span feeds, with markers split', () => {
    const t = new Term();
    t.type('\x1b[20');
    t.type('0~ab');
    t.type('\x1b');
    t.type('[D\x1b[2');
    t.type('01~\x1b[D');
    expect(t.ed.text).toBe('ab');
    expect(t.ed.cursor).toBe(1);
    t.check();
  });

  it('a large paste and a large yank work (one render per feed)', () => {
    const t = new Term({ cols: 80 });
    const big = 'x'.repeat(200_000);
    const r = t.ed.feed(enc(PASTE_ON + big + PASTE_OFF));
    expect(r.output.length).toBeLessThan(200);   // only the visible window is written
    t.scr.write(r.output);
    t.type(ctrl('u') + ctrl('y') + ctrl('y'));
    expect(t.ed.text.length).toBe(400_000);
    expect(t.type('\r')).toEqual([{ kind: 'line', text: big + big }]);
  });

  it('paste with ESC not starting a CSI keeps the following character', () => {
    const t = new Term();
    t.type(PASTE_ON + 'a\x1bxb' + PASTE_OFF);
    expect(t.ed.text).toBe('axb');
  });
});

describe('LineEditor: UTF-8', () => {
  it('multi-byte characters move the cursor one column', () => {
    const t = new Term();
    typeKeys(t, [...'aé€😀b', LEFT, LEFT]);
    expect(t.ed.cursor).toBe(3);
    typeKeys(t, ['x', BS, BS, 'y']);
    expect(t.ed.text).toBe('aéy😀b');
    expect(t.type('\r')).toEqual([{ kind: 'line', text: 'aéy😀b' }]);
  });

  it('a sequence split across feeds is joined', () => {
    const t = new Term();
    const bytes = enc('é€😀');
    expect(bytes.length).toBe(9);
    for (let i = 0; i < bytes.length; i++) t.type(bytes.subarray(i, i + 1));
    expect(t.ed.text).toBe('é€😀');
    t.check();
    t.type(bytes.subarray(0, 1));
    expect(t.ed.text).toBe('é€😀');
    t.type(bytes.subarray(1, 5));
    expect(t.ed.text).toBe('é€😀é€');
    t.check();
  });

  it('a split sequence survives the end of a line (queued)', () => {
    const t = new Term();
    const b = enc('x\r€');
    t.type(b.subarray(0, 3));
    t.type(b.subarray(3));
    t.start();
    expect(t.ed.text).toBe('€');
  });

  it('invalid UTF-8 becomes U+FFFD', () => {
    const t = new Term();
    t.type(new Uint8Array([0x61, 0xff, 0x62]));
    expect(t.ed.text).toBe('a\ufffdb');
  });
});

describe('LineEditor: escape sequences', () => {
  it('a sequence split across feeds works', () => {
    const t = new Term();
    t.type('abc');
    t.type('\x1b');
    expect(t.ed.text).toBe('abc');
    expect(t.ed.cursor).toBe(3);
    t.type('[D');
    expect(t.ed.cursor).toBe(2);
    t.type('\x1b[');
    t.type('D');
    expect(t.ed.cursor).toBe(1);
    t.type('\x1b[3');
    t.type('~');
    expect(t.ed.text).toBe('ac');
    t.type('\x1bO');
    t.type('H');
    expect(t.ed.cursor).toBe(0);
    t.check();
  });

  it('unknown sequences are swallowed whole', () => {
    const t = new Term();
    const unknown = ['\x1b[15~', '\x1b[2~', '\x1b[5~', '\x1b[1;2P', '\x1b[?25h', '\x1b[200;1~', '\x1bOP', '\x1bOx',
      '\x1b[1;2A', '\x1b[Z', '\x1b[M', '\x1b[<0;10;5M', '\x1b[' + '9'.repeat(100) + 'q'];
    typeKeys(t, ['a', ...unknown, 'b']);
    expect(t.ed.text).toBe('ab');
    typeKeys(t, [unknown.join('')]);
    expect(t.ed.text).toBe('ab');
  });

  it('ESC and a printable character is a Meta chord: unbound ones are ignored', () => {
    const t = new Term();
    typeKeys(t, ['a', '\x1bx', '\x1b.', '\x1b\t', 'b']);
    expect(t.ed.text).toBe('ab');
  });

  it('ESC and a control character drops the ESC', () => {
    const t = new Term();
    typeKeys(t, [...'abc', '\x1b\x01', '\x1b\x1b[C']);
    expect(t.ed.cursor).toBe(1);
    expect(t.type('\x1b\r')).toEqual([{ kind: 'line', text: 'abc' }]);
  });

  it('a CSI broken by a non-CSI character drops the CSI and takes the character', () => {
    const t = new Term();
    typeKeys(t, ['\x1b[1é', '\x1b[\x01', 'z']);   // é inserted; ^A goes home
    expect(t.ed.text).toBe('zé');
  });
});

describe('LineEditor: end of input', () => {
  it('on an empty line is eof', () => {
    const ed = new LineEditor();
    ed.start('% ');
    expect(ed.endOfInput().events).toEqual([{ kind: 'eof' }]);
  });

  it('on a partial line accepts it, then eof at the next start, and stays at eof', () => {
    const ed = new LineEditor();
    ed.start('% ');
    ed.feed(enc('date'));
    const r = ed.endOfInput();
    expect(r.events).toEqual([{ kind: 'line', text: 'date' }]);
    expect(dec(r.output)).toBe('\r\n');
    expect(ed.start('% ').events).toEqual([{ kind: 'eof' }]);
    expect(ed.start('% ').events).toEqual([{ kind: 'eof' }]);
  });

  it('while idle, queued lines are still returned before eof', () => {
    const ed = new LineEditor();
    ed.start('% ');
    ed.feed(enc('a\nb\nc'));
    expect(ed.endOfInput().events).toEqual([]);
    expect(ed.start('% ').events).toEqual([{ kind: 'line', text: 'b' }]);
    expect(ed.start('% ').events).toEqual([{ kind: 'line', text: 'c' }]);
    expect(ed.start('% ').events).toEqual([{ kind: 'eof' }]);
  });

  it('a dangling escape or UTF-8 prefix at the end does not hang', () => {
    const ed = new LineEditor();
    ed.start('% ');
    ed.feed(new Uint8Array([0x61, 0x1b, 0x5b]));
    expect(ed.endOfInput().events).toEqual([{ kind: 'line', text: 'a' }]);
    const ed2 = new LineEditor();
    ed2.start('% ');
    ed2.feed(new Uint8Array([0x61, 0xe2, 0x82]));
    expect(ed2.endOfInput().events).toEqual([{ kind: 'line', text: 'a\ufffd' }]);
  });
});

describe('readLine', () => {
  function stream(chunks: string[]): { read: () => Promise<Uint8Array>; write: (b: Uint8Array) => Promise<void>; out: () => string } {
    const queue = chunks.map(enc);
    let written = '';
    return {
      read: async () => queue.shift() ?? new Uint8Array(0),
      write: async (b) => { written += dec(b); },
      out: () => written,
    };
  }

  it('reads lines, keeps type-ahead, ends with eof', async () => {
    const s = stream(['ec', 'ho hi\rls\r', 'da', 'te']);
    const ed = new LineEditor();
    expect(await readLine(ed, '% ', s.read, s.write)).toEqual({ kind: 'line', text: 'echo hi' });
    expect(await readLine(ed, '% ', s.read, s.write)).toEqual({ kind: 'line', text: 'ls' });
    expect(await readLine(ed, '% ', s.read, s.write)).toEqual({ kind: 'line', text: 'date' });
    expect(await readLine(ed, '% ', s.read, s.write)).toEqual({ kind: 'eof' });
    expect(s.out()).toBe('% echo hi\r\n% ls\r\n% date\r\n% \r\n');
  });

  it('reports interrupt and ^D eof', async () => {
    const s = stream(['abc\x03', '\x04']);
    const ed = new LineEditor();
    expect(await readLine(ed, '% ', s.read, s.write)).toEqual({ kind: 'interrupt' });
    expect(await readLine(ed, '% ', s.read, s.write)).toEqual({ kind: 'eof' });
  });

  it('eof on an empty stream', async () => {
    const s = stream([]);
    expect(await readLine(new LineEditor(), '% ', s.read, s.write)).toEqual({ kind: 'eof' });
  });
});

describe('LineEditor: long lines and width', () => {
  it('a line wider than the terminal scrolls sideways and never reaches the last column', () => {
    const t = new Term({ cols: 20 });
    const text = 'abcdefghijklmnopqrstuvwxyz0123';
    t.type(text);
    expect(t.scr.lastColWritten).toBe(false);
    expect(t.scr.line()).toBe('% ' + text.slice(-17));
    expect(t.scr.col).toBe(19);
    t.type(HOME);
    expect(t.scr.line()).toBe('% ' + text.slice(0, 17));
    expect(t.scr.col).toBe(2);
    t.type(END + ctrl('w'));
    expect(t.ed.text).toBe('');
    expect(t.scr.line()).toBe('% ');
    expect(t.scr.lastColWritten).toBe(false);
  });

  it('a line that just fits is shown whole', () => {
    const t = new Term({ cols: 10 });
    typeKeys(t, [...'1234567', HOME, DELETE, 'x', END, BS, 'y']);
    expect(t.ed.text).toBe('x23456y');
    expect(t.scr.lastColWritten).toBe(false);
  });

  it('cols ignores nonsense; a change redraws the line on the next output', () => {
    const ed = new LineEditor({ cols: 40 });
    ed.cols = 0;
    ed.cols = Number.NaN;
    ed.cols = -5;
    expect(ed.cols).toBe(40);
    ed.cols = 30.7;
    expect(ed.cols).toBe(30);
    ed.start('% ');
    ed.feed(enc('abc'));
    ed.cols = 50;
    expect(dec(ed.feed(enc('d')).output)).toBe('\r% abcd\x1b[K');
  });

  it('a coloured prompt takes only its visible width', () => {
    const t = new Term({ cols: 12, prompt: '\x1b[1m%\x1b[0m ' });
    t.type('abcdefghijklmnop');
    expect(t.scr.line()).toBe('% ' + 'fghijklmnop'.slice(-9));
    expect(t.scr.lastColWritten).toBe(false);
    t.type(ctrl('l'));
    expect(t.scr.line()).toBe('% ' + 'fghijklmnop'.slice(-9));
  });
});

// ---- properties: random keys against the screen ----

const KEYS = [
  'a', 'b', ' ', 'é', '€', '😀', '\t', LEFT, RIGHT, UP, DOWN, HOME, END, DELETE, BS, DEL,
  ctrl('a'), ctrl('b'), ctrl('d'), ctrl('e'), ctrl('f'), ctrl('k'), ctrl('l'), ctrl('n'), ctrl('p'),
  ctrl('u'), ctrl('w'), ctrl('y'), '\x1bb', '\x1bf', '\x1bd', '\x1b\x7f', '\x1b[1;5C', '\x1b[1;5D',
  '\x1b[15~', '\x1bOP', '\r', ctrl('c'),
];

/** What the screen row must show when the line may scroll sideways. */
function checkScrolled(t: Term): void {
  const pw = t.prompt.length, cols = t.scr.cols;
  const room = Math.max(1, cols - 1 - pw);
  const cells = t.scr.cells();
  expect(cells.slice(0, pw).join('')).toBe(t.prompt);
  const buf = [...t.ed.text.replace(/\t/g, ' ')];
  const first = t.ed.cursor - (t.scr.col - pw);   // buffer index shown first
  expect(first).toBeGreaterThanOrEqual(0);
  expect(first).toBeLessThanOrEqual(Math.max(0, buf.length - room));
  expect(cells.slice(pw).join('')).toBe(buf.slice(first, first + room).join(''));
  expect(t.scr.lastColWritten).toBe(false);
}

describe('LineEditor: properties', () => {
  const keys = fc.array(fc.constantFrom(...KEYS), { maxLength: 60 });

  it('after every key the screen shows the line and the cursor (wide terminal)', () => {
    fc.assert(fc.property(keys, (ks) => {
      const h = new History(5);
      const t = new Term({ history: h, cols: 200 });
      for (const k of ks) {
        if (t.type(k).length > 0) t.start();
        t.check();
      }
    }), { numRuns: 300 });
  });

  it('after every key the visible window is right (narrow terminal)', () => {
    fc.assert(fc.property(keys, fc.integer({ min: 4, max: 12 }), (ks, cols) => {
      const h = new History(5);
      const t = new Term({ history: h, cols });
      for (const k of ks) {
        if (t.type(k).length > 0) {
          t.start();
          t.scr.lastColWritten = false;   // ^C may write there; a new row starts clean
        }
        checkScrolled(t);
      }
    }), { numRuns: 300 });
  });

  it('how the input is cut into feeds changes nothing', () => {
    fc.assert(fc.property(keys, fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1 }), (ks, cuts) => {
      const bytes = enc(ks.join(''));
      const run = (chunks: Uint8Array[]): { events: EditEvent[]; text: string; cursor: number; screen: string[] } => {
        const t = new Term({ history: new History(5) });
        for (const c of chunks) {
          if (t.type(c).length > 0) while (t.start().length > 0) { /* drain queued lines */ }
        }
        t.check();
        return { events: t.events, text: t.ed.text, cursor: t.ed.cursor, screen: t.scr.rows.map((r) => r.join('')) };
      };
      const chunks: Uint8Array[] = [];
      for (let i = 0, j = 0; i < bytes.length; j++) {
        const n = cuts[j % cuts.length]!;
        chunks.push(bytes.subarray(i, i + n));
        i += n;
      }
      const whole = run([bytes]);
      const cut = run(chunks);
      expect(cut.events).toEqual(whole.events);
      expect(cut.text).toBe(whole.text);
      expect(cut.cursor).toBe(whole.cursor);
      expect(cut.screen[cut.screen.length - 1]).toBe(whole.screen[whole.screen.length - 1]);
    }), { numRuns: 300 });
  });
});
