import { describe, expect, it } from 'vitest';
import { Console } from './console.ts';
import { Einterrupted } from '../../fs/9p/errors.ts';
import { Ehungup } from '../errors.ts';
import { bytes, errOf, settled, str } from './testing.ts';

const never = new AbortController().signal;

function withOutput(c: Console): () => string {
  const out: string[] = [];
  c.onOutput((b) => out.push(str(b)));
  return () => out.join('');
}

async function line(c: Console, count = 1024): Promise<string> {
  return str(await c.read(count, never));
}

describe('Console line discipline (cooked)', () => {
  it('hands over a line per read when Enter is typed, newline included, and echoes', async () => {
    const c = new Console('t');
    const out = withOutput(c);
    const r = c.read(100, never);
    c.input('ls -l');
    expect(await settled(r)).toBe(false);
    c.input('\r');
    expect(str(await r)).toBe('ls -l\n');
    expect(out()).toBe('ls -l\n');
  });

  it('treats CR LF as one Enter and LF alone as Enter', async () => {
    const c = new Console('t');
    c.input('a\r\nb\n');
    expect(await line(c)).toBe('a\n');
    expect(await line(c)).toBe('b\n');
    expect(c.pending).toBe(0);
  });

  it('returns one line per read even when several are ready, and the rest of a long line next', async () => {
    const c = new Console('t');
    c.input('hello world\nsecond\n');
    expect(await line(c, 5)).toBe('hello');
    expect(await line(c)).toBe(' world\n');
    expect(await line(c)).toBe('second\n');
  });

  it('erases with BS and DEL (UTF-8 aware), a word with ^W, the line with ^U', async () => {
    const c = new Console('t');
    const out = withOutput(c);
    c.input('abc\x7f\x08x\n');
    expect(await line(c)).toBe('ax\n');
    expect(out()).toBe('abc\b \b\b \bx\n');
    c.input('héé\x7f\n');
    expect(await line(c)).toBe('hé\n');
    c.input('one two  \x17three\n');
    expect(await line(c)).toBe('one three\n');
    c.input('gone\x15kept\n');
    expect(await line(c)).toBe('kept\n');
    c.input('\x7f\x7fok\n'); // erasing past the start is harmless
    expect(await line(c)).toBe('ok\n');
  });

  it('^D hands over the line without a newline; on an empty line one read gets end of file', async () => {
    const c = new Console('t');
    c.input('partial\x04');
    expect(await line(c)).toBe('partial');
    c.input('\x04');
    expect(await line(c)).toBe('');
    c.input('next\n');
    expect(await line(c)).toBe('next\n');
  });

  it('^C drops the line and tells interrupt listeners', async () => {
    const c = new Console('t');
    const out = withOutput(c);
    let n = 0;
    const off = c.onInterrupt(() => { n++; });
    c.input('rm -rf /\x03');
    expect(n).toBe(1);
    expect(out()).toBe('rm -rf /^C\n');
    c.input('date\n');
    expect(await line(c)).toBe('date\n');
    off();
    c.input('\x03');
    expect(n).toBe(1);
  });

  it('drops escape sequences (arrow keys) in cooked mode', async () => {
    const c = new Console('t');
    const out = withOutput(c);
    c.input('a\x1b[Ab\x1bOBc\x1b[1;5Dd\n');
    expect(await line(c)).toBe('abcd\n');
    expect(out()).toBe('abcd\n');
  });

  it('does not echo when echo is off', async () => {
    const c = new Console('t', { echo: false });
    const out = withOutput(c);
    c.input('secret\n');
    expect(await line(c)).toBe('secret\n');
    expect(out()).toBe('');
  });

  it('hands over a full line at maxLine', async () => {
    const c = new Console('t', { maxLine: 4 });
    c.input('abcdef\n');
    expect(await line(c)).toBe('abcd');
    expect(await line(c)).toBe('ef\n');
  });
});

describe('Console raw mode', () => {
  it('passes bytes as typed, unechoed, and a read gathers what is ready', async () => {
    const c = new Console('t');
    const out = withOutput(c);
    c.raw = true;
    c.input('\x7f');
    c.input('q\x03\r');
    expect(await line(c)).toBe('\x7fq\x03\r');
    expect(out()).toBe('');
    c.input('abcdef');
    expect(await line(c, 4)).toBe('abcd');
    expect(await line(c, 4)).toBe('ef');
  });

  it('going raw hands a half-typed line over; rawoff cooks again', async () => {
    const c = new Console('t');
    c.input('hal');
    c.raw = true;
    expect(await line(c)).toBe('hal');
    c.raw = false;
    c.input('x\x7fy\n');
    expect(await line(c)).toBe('y\n');
  });

  it('a raw read ends at a line end: what follows stays for the next reader, raw or cooked', async () => {
    const c = new Console('t');
    c.raw = true;
    c.input('cat\r\ntyped\nahead\n');
    expect(await line(c)).toBe('cat\r\n');
    c.raw = false;
    expect(await line(c)).toBe('typed\n');
    expect(await line(c)).toBe('ahead\n');
  });
});

describe('Console typeahead across modes', () => {
  it('bytes typed while raw and not read are cooked when raw mode ends: echoed, lines, ^D an end of file', async () => {
    const c = new Console('t');
    const out = withOutput(c);
    c.raw = true;
    c.input('cat >f\rline one\rline t');
    c.input('wo\r\x04echo next\r');
    expect(await line(c)).toBe('cat >f\r'); // what a line editor takes
    c.raw = false; // the command runs
    expect(out()).toBe('line one\nline two\necho next\n');
    expect(await line(c)).toBe('line one\n');
    expect(await line(c)).toBe('line two\n');
    expect(await line(c)).toBe(''); // the ^D
    expect(await line(c)).toBe('echo next\n');
  });

  it('a read shorter than what was typed still stops at the first line end', async () => {
    const c = new Console('t');
    c.raw = true;
    c.input('ab\rcdefgh\rij');
    expect(await line(c, 6)).toBe('ab\r');
    c.raw = false;
    expect(await line(c)).toBe('cdefgh\n');
    c.input('\r');
    expect(await line(c)).toBe('ij\n');
  });
});

describe('Console end of input', () => {
  it('endInput: a half line is handed over, readers drain, then every read is end of file; output still works', async () => {
    const c = new Console('t');
    const out = withOutput(c);
    c.input('one\ntw');
    const waiting = c.read(1024, never);
    expect(await waiting).toEqual(bytes('one\n'));
    c.endInput();
    expect(await line(c)).toBe('tw');
    expect(await line(c)).toBe('');
    expect(await line(c)).toBe('');
    c.write(bytes('still shown\n'));
    expect(out()).toContain('still shown\n');
    expect(c.closed).toBe(false);
  });

  it('endInput wakes a blocked reader with end of file', async () => {
    const c = new Console('t');
    const r = c.read(10, never);
    c.endInput();
    expect(await r).toEqual(new Uint8Array(0));
  });
});

describe('Console reads, writes, size and close', () => {
  it('a waiting read ends with interrupted when its signal aborts', async () => {
    const c = new Console('t');
    const ac = new AbortController();
    const r = c.read(10, ac.signal);
    expect(c.readers).toBe(1);
    ac.abort();
    expect(await errOf(() => r)).toBe(Einterrupted);
    c.input('still here\n');
    expect(await line(c)).toBe('still here\n');
  });

  it('write goes to every output listener; a failing listener does not stop the others', () => {
    const c = new Console('t');
    const a: string[] = [];
    c.onOutput(() => { throw new Error('broken terminal'); });
    const off = c.onOutput((b) => a.push(str(b)));
    expect(c.write(bytes('hi\n'))).toBe(3);
    off();
    c.write(bytes('gone'));
    expect(a).toEqual(['hi\n']);
  });

  it('size can be set and is reported to resize listeners once per change', () => {
    const c = new Console('t', { size: { cols: 100, rows: 30 } });
    expect(c.size).toEqual({ cols: 100, rows: 30 });
    const seen: string[] = [];
    c.onResize((s) => seen.push(`${s.cols}x${s.rows}`));
    c.size = { cols: 120, rows: 40 };
    c.size = { cols: 120, rows: 40 };
    expect(seen).toEqual(['120x40']);
    expect(c.ctlText()).toBe('rawoff\nsize 120x40\n');
  });

  it('close: readers drain, then get end of file; writes fail; input is ignored', async () => {
    const c = new Console('t');
    const waiting = c.read(10, never);
    let closed = 0;
    c.onClose(() => { closed++; });
    c.input('last\n');
    expect(str(await waiting)).toBe('last\n');
    c.input('queued\n');
    const r2 = c.read(10, never);
    c.close();
    c.close();
    expect(closed).toBe(1);
    expect(c.closed).toBe(true);
    expect(str(await r2)).toBe('queued\n');
    expect(await line(c)).toBe('');
    expect(await line(c)).toBe('');
    expect(await errOf(() => c.write(bytes('x')))).toBe(Ehungup);
    c.input('ignored\n');
    expect(c.pending).toBe(0);
  });

  it('close wakes a blocked reader with end of file', async () => {
    const c = new Console('t');
    const r = c.read(10, never);
    expect(await settled(r)).toBe(false);
    c.close();
    expect(str(await r)).toBe('');
  });

  it('raw mode set through consctl ends when the last consctl open closes', () => {
    const c = new Console('t');
    c.ctlOpened();
    c.ctlOpened();
    c.raw = true;
    c.ctlClosed();
    expect(c.raw).toBe(true);
    c.ctlClosed();
    expect(c.raw).toBe(false);
  });
});
