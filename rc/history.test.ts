import { describe, expect, it } from 'vitest';
import { History } from './history.ts';

describe('History', () => {
  it('keeps lines oldest first', () => {
    const h = new History();
    expect(h.add('ls')).toBe(true);
    expect(h.add('cd /tmp')).toBe(true);
    expect(h.entries()).toEqual(['ls', 'cd /tmp']);
    expect(h.length).toBe(2);
  });

  it('entries() is a copy', () => {
    const h = new History();
    h.add('a');
    const e = h.entries();
    e.push('b');
    h.add('c');
    expect(e).toEqual(['a', 'b']);
    expect(h.entries()).toEqual(['a', 'c']);
  });

  it('skips empty and blank lines', () => {
    const h = new History();
    expect(h.add('')).toBe(false);
    expect(h.add('   ')).toBe(false);
    expect(h.add('\t ')).toBe(false);
    expect(h.entries()).toEqual([]);
  });

  it('skips consecutive duplicates only', () => {
    const h = new History();
    h.add('ls');
    expect(h.add('ls')).toBe(false);
    h.add('pwd');
    expect(h.add('ls')).toBe(true);
    expect(h.entries()).toEqual(['ls', 'pwd', 'ls']);
  });

  it('keeps leading/trailing blanks as typed (they are a different line)', () => {
    const h = new History();
    h.add('ls');
    expect(h.add(' ls')).toBe(true);
    expect(h.entries()).toEqual(['ls', ' ls']);
  });

  it('is bounded, dropping the oldest', () => {
    const h = new History(3);
    for (const l of ['1', '2', '3', '4', '5']) h.add(l);
    expect(h.entries()).toEqual(['3', '4', '5']);
  });

  it('defaults to 500 entries', () => {
    const h = new History();
    expect(h.max).toBe(500);
    for (let i = 0; i < 600; i++) h.add(`echo ${i}`);
    const e = h.entries();
    expect(e.length).toBe(500);
    expect(e[0]).toBe('echo 100');
    expect(e.at(-1)).toBe('echo 599');
  });

  it('max 0 stores nothing; a bad max throws', () => {
    const h = new History(0);
    expect(h.add('ls')).toBe(false);
    expect(h.entries()).toEqual([]);
    expect(() => new History(-1)).toThrow(RangeError);
    expect(() => new History(1.5)).toThrow(RangeError);
    expect(() => new History(Number.NaN)).toThrow(RangeError);
  });

  it('skips lines with newlines or other control characters, allows tabs', () => {
    const h = new History();
    expect(h.add('echo a\nb')).toBe(false);
    expect(h.add('echo a\r')).toBe(false);
    expect(h.add('echo \x1b[31m')).toBe(false);
    expect(h.add('echo \x7f')).toBe(false);
    expect(h.add('echo \x85')).toBe(false);
    expect(h.add('echo\ta')).toBe(true);
    expect(h.add('echo ünï €')).toBe(true);
    expect(h.entries()).toEqual(['echo\ta', 'echo ünï €']);
  });

  it('clear() empties it', () => {
    const h = new History();
    h.add('a');
    h.clear();
    expect(h.entries()).toEqual([]);
    expect(h.add('a')).toBe(true);
  });

  describe('save and load', () => {
    it('save writes one entry per line', () => {
      const h = new History();
      h.add('ls');
      h.add('echo hi');
      expect(h.save()).toBe('ls\necho hi\n');
      expect(new History().save()).toBe('');
    });

    it('round-trips', () => {
      const h = new History();
      for (const l of ['ls', 'cd /', 'echo\t"€"', 'ls']) h.add(l);
      const g = new History();
      g.load(h.save());
      expect(g.entries()).toEqual(h.entries());
      expect(g.save()).toBe(h.save());
    });

    it('load applies the rules: blanks, duplicates, CRLF, missing final newline', () => {
      const h = new History();
      h.load('ls\r\n\n  \nls\npwd\r\npwd\ndate');
      expect(h.entries()).toEqual(['ls', 'pwd', 'date']);
    });

    it('load keeps the newest max entries', () => {
      const h = new History(2);
      h.load('a\nb\nc\nd\n');
      expect(h.entries()).toEqual(['c', 'd']);
    });

    it('load replaces what was there', () => {
      const h = new History();
      h.add('old');
      h.load('new\n');
      expect(h.entries()).toEqual(['new']);
      h.load('');
      expect(h.entries()).toEqual([]);
    });

    it('lines with control characters in a file are skipped', () => {
      const h = new History();
      h.load('ok\nbad\x1b[A\nfine\n');
      expect(h.entries()).toEqual(['ok', 'fine']);
    });
  });
});
