import { describe, expect, it } from 'vitest';
import { regexp, RegexpError, translate } from './regexp.ts';

const m = (re: string, s: string, icase = false): boolean => regexp(re, { icase }).test(s);

describe('Plan 9 regexp(7) translated to JS', () => {
  it('literals, . and anchors', () => {
    expect(m('abc', 'xabcx')).toBe(true);
    expect(m('a.c', 'abc')).toBe(true);
    expect(m('a.c', 'a\nc')).toBe(false);
    expect(m('^ab', 'ab')).toBe(true);
    expect(m('^ab', 'cab')).toBe(false);
    expect(m('b$', 'ab')).toBe(true);
    expect(m('b$', 'ba')).toBe(false);
  });

  it('closures, alternation and groups are operators without any flag', () => {
    expect(m('ab+c', 'abbc')).toBe(true);
    expect(m('ab+c', 'ac')).toBe(false);
    expect(m('ab?c', 'ac')).toBe(true);
    expect(m('^(ab)*$', 'ababab')).toBe(true);
    expect(m('^(ab)*$', 'aba')).toBe(false);
    expect(m('^(cat|dog)s?$', 'dogs')).toBe(true);
    expect(m('^(cat|dog)s?$', 'cow')).toBe(false);
  });

  it('a closure of a closure nests (never becomes JS lazy)', () => {
    expect(translate('a*?')).toBe('(?:a*)?');
    expect(regexp('^a*?$').exec('aaa')?.[0]).toBe('aaa');
    expect(m('^(a+)+$', 'aaa')).toBe(true);
  });

  it('JS-only syntax is literal: braces, backslash sequences, slash', () => {
    expect(m('a{2}', 'aa')).toBe(false);
    expect(m('a{2}', 'a{2}')).toBe(true);
    expect(m('\\d', 'd')).toBe(true);
    expect(m('\\d', '1')).toBe(false);
    expect(m('^\\w+$', 'w+')).toBe(false);
    expect(m('\\w+', 'www')).toBe(true);
    expect(m('a/b', 'a/b')).toBe(true);
    expect(m('\\.', 'x')).toBe(false);
    expect(m('\\.', '.')).toBe(true);
    expect(m('\\(x\\)', '(x)')).toBe(true);
    expect(m('a\\nb', 'a\nb')).toBe(true);
  });

  it('classes: ranges, negation (never newline), quoting, POSIX names, ] first', () => {
    expect(m('^[a-c]+$', 'abcba')).toBe(true);
    expect(m('[^a-c]', 'abc')).toBe(false);
    expect(m('[^a]', '\n')).toBe(false);
    expect(m('[\\]]', ']')).toBe(true);
    expect(m('[]x]', ']')).toBe(true);
    expect(m('[a\\-z]', '-')).toBe(true);
    expect(m('[a\\-z]', 'b')).toBe(false);
    expect(m('^[[:digit:]]+$', '123')).toBe(true);
    expect(m('[[:upper:]]', 'abc')).toBe(false);
    expect(m('[.]', 'x')).toBe(false);
    expect(m('[-a]', '-')).toBe(true);
  });

  it('case folding is ASCII only, in literals and classes', () => {
    expect(m('hello', 'HeLLo', true)).toBe(true);
    expect(m('[a-c]x', 'BX', true)).toBe(true);
    expect(m('[^a]', 'A', true)).toBe(false);
    expect(m('\xe9', '\xc9', true)).toBe(false);
  });

  it('gnuEscapes: \\( \\) \\| \\+ \\? \\{n,m\\} are operators too; other escapes stay literal', () => {
    const g = (re: string, str: string): boolean => regexp(re, { gnuEscapes: true }).test(str);
    expect(g('^\\(ab\\)\\+$', 'abab')).toBe(true);
    expect(g('^a\\?b$', 'b')).toBe(true);
    expect(g('^(x\\|y)$', 'y')).toBe(true);
    expect(() => translate('\\(a', { gnuEscapes: true })).toThrow(/unmatched/);
    expect(g('a\\.b', 'a.b')).toBe(true);
    expect(g('a\\.b', 'axb')).toBe(false);
    // GNU basic intervals and a leading literal *.
    expect(g('^a\\{2\\}$', 'aa')).toBe(true);
    expect(g('^a\\{2\\}$', 'a{2}')).toBe(false);
    expect(g('^\\(ab\\)\\{1,2\\}$', 'abab')).toBe(true);
    expect(g('^x\\{2,\\}$', 'xxxx')).toBe(true);
    expect(g('*a', 'b*a')).toBe(true);
    expect(() => translate('a\\{2,1\\}', { gnuEscapes: true })).toThrow(/malformed/);
    expect(() => translate('*a')).toThrow(/missing operand/);
  });

  it('groups capture for replacements', () => {
    expect(regexp('(a+)(b)').exec('xaab')?.slice(1)).toEqual(['aa', 'b']);
  });

  it('malformed expressions fail with Plan 9 wording', () => {
    expect(() => translate('*a')).toThrow(new RegexpError('missing operand for *'));
    expect(() => translate('a|+')).toThrow(RegexpError);
    expect(() => translate('(a')).toThrow(/unmatched `\('/);
    expect(() => translate('a)')).toThrow(/unmatched `\)'/);
    expect(() => translate('[abc')).toThrow(/malformed/);
    expect(() => translate('[z-a]')).toThrow(/malformed/);
    expect(() => translate('ab\\')).toThrow(/trailing/);
  });
});
