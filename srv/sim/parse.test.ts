// The ctl grammar: canonical text round-trips, so a trace replays the very commands it records.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command } from './parse.ts';
import { format, parseBodyLine, parseLine } from './parse.ts';

const coord = fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => (v === 0 ? 0 : v));
const pos = fc.double({ min: 1e-9, max: 1e6, noNaN: true });
const v3 = fc.tuple(coord, coord, coord);
const id = fc.integer({ min: 1, max: 1e6 });

const command: fc.Arbitrary<Command> = fc.oneof(
  v3.map((v) => ({ op: 'gravity', v }) as const),
  pos.map((dt) => ({ op: 'dt', dt }) as const),
  fc.integer({ min: 1, max: 100_000 }).map((n) => ({ op: 'step', n }) as const),
  fc.double({ min: 1e-3, max: 1000, noNaN: true }).map((hz) => ({ op: 'run', hz }) as const),
  fc.constant({ op: 'pause' } as const),
  fc.constant({ op: 'reset' } as const),
  fc.constant({ op: 'add', shape: { kind: 'ground' }, at: [0, 0, 0], mass: undefined } as const),
  fc.tuple(pos, v3, fc.option(pos, { nil: undefined })).map(([r, at, mass]) => ({ op: 'add', shape: { kind: 'ball', r }, at, mass }) as const),
  fc.tuple(fc.tuple(pos, pos, pos), v3, fc.option(pos, { nil: undefined })).map(([half, at, mass]) => ({ op: 'add', shape: { kind: 'box', half }, at, mass }) as const),
  id.map((i) => ({ op: 'remove', id: i }) as const),
  fc.tuple(fc.constantFrom('impulse', 'pos', 'vel' as const), id, v3).map(([op, i, v]) => ({ op, id: i, v }) as const),
);

describe('sim(4) ctl grammar', () => {
  it('parse(format(c)) is c, with or without a leading step', () => {
    fc.assert(fc.property(command, fc.option(fc.integer({ min: 0, max: 1e9 }), { nil: undefined }), (c, at) => {
      const text = `${at === undefined ? '' : `${at} `}${format(c)}`;
      expect(parseLine(text)).toEqual({ at, cmd: c });
    }));
  });

  it('defaults: step 1, run 60; spaces and tabs between words', () => {
    expect(parseLine('step')).toEqual({ at: undefined, cmd: { op: 'step', n: 1 } });
    expect(format(parseLine('  run ').cmd)).toBe('run 60');
    expect(format(parseLine('add\tball  0.5 0 5 0   mass 2').cmd)).toBe('add ball 0.5 0 5 0 mass 2');
    expect(format(parseLine('add ball 5e-1 -0 +5 0.').cmd)).toBe('add ball 0.5 0 5 0');
  });

  it('a body\'s ctl lines are the same commands with its id', () => {
    expect(parseBodyLine(4, 'impulse 1 2 3')).toEqual({ at: undefined, cmd: { op: 'impulse', id: 4, v: [1, 2, 3] } });
    expect(format(parseBodyLine(4, 'pos 0 1 0').cmd)).toBe('pos 4 0 1 0');
    expect(format(parseBodyLine(9, 'remove').cmd)).toBe('remove 9');
  });
});
