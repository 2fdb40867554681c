import { describe, expect, it } from 'vitest';
import { parseFlags, UsageError } from './flags.ts';

const argv = (s: string): string[] => ['cmd', ...s.split(' ').filter(Boolean)];

describe('parseFlags', () => {
  it('single, grouped and repeated boolean flags', () => {
    const f = parseFlags(argv('-l -nv -v file'), { bools: 'lnv' });
    expect([f.has('l'), f.has('n'), f.has('x'), f.count('v')]).toEqual([true, true, false, 2]);
    expect(f.args).toEqual(['file']);
  });

  it('values attached or separate; the last wins for value(), all kept for values()', () => {
    const f = parseFlags(argv('-n5 -e a -e b -k 2 x'), { values: 'nek' });
    expect(f.value('n')).toBe('5');
    expect(f.values('e')).toEqual(['a', 'b']);
    expect(f.value('k')).toBe('2');
    expect(f.args).toEqual(['x']);
  });

  it('a value flag inside a group takes the rest of the group', () => {
    const f = parseFlags(argv('-vt: -cn3'), { bools: 'vc', values: 'tn' });
    expect([f.value('t'), f.value('n'), f.has('v'), f.has('c')]).toEqual([':', '3', true, true]);
  });

  it("'--' ends the flags; a lone '-' is an operand; flags stop at the first operand", () => {
    expect(parseFlags(argv('-l -- -n'), { bools: 'ln' }).args).toEqual(['-n']);
    expect(parseFlags(argv('- -l'), { bools: 'l' }).args).toEqual(['-', '-l']);
    const f = parseFlags(argv('a -l'), { bools: 'l' });
    expect([f.has('l'), f.args]).toEqual([false, ['a', '-l']]);
  });

  it('unknown flags and missing values are usage errors', () => {
    expect(() => parseFlags(argv('-x'), { bools: 'l' })).toThrow(UsageError);
    expect(() => parseFlags(argv('-n'), { values: 'n' })).toThrow(UsageError);
    expect(() => parseFlags(argv('--long'), { bools: 'l' })).toThrow(UsageError);
  });

  it('numeric shorthand (head -5) and negative-number operands (seq -3 3)', () => {
    expect(parseFlags(argv('-5 f'), { values: 'n', numeric: 'n' }).value('n')).toBe('5');
    const s = parseFlags(argv('-w -3 -1'), { bools: 'w', negativeNumbers: true });
    expect([s.has('w'), s.args]).toEqual([true, ['-3', '-1']]);
    expect(() => parseFlags(argv('-3'), { bools: 'w' })).toThrow(UsageError);
  });

  it('an empty value is a value', () => {
    expect(parseFlags(['cmd', '-s', '', 'x'], { values: 's' }).value('s')).toBe('');
  });
});
