// The ctl grammar of /sim (sim(4)): one command a line, parsed into a Command without
// touching the world, so a write can be checked whole before any of it is applied.
// format() gives a command's canonical text, the form /sim/trace records and replays.
//
//   [STEP] gravity x y z | dt s | step [n] | run [hz] | pause | reset
//   [STEP] add ground | add ball r x y z [mass m] | add box hx hy hz x y z [mass m]
//   [STEP] remove id | impulse id x y z | pos id x y z | vel id x y z
//
// A leading whole number STEP (as /sim/trace writes it) means: first step the world up to
// step STEP, then apply the command.

import { Ebadctl } from '../../fs/server/tree.ts';

export type Vec3 = readonly [number, number, number];

export type Shape =
  | { readonly kind: 'ground' }
  | { readonly kind: 'ball'; readonly r: number }
  | { readonly kind: 'box'; readonly half: Vec3 };

export type Command =
  | { readonly op: 'gravity'; readonly v: Vec3 }
  | { readonly op: 'dt'; readonly dt: number }
  | { readonly op: 'step'; readonly n: number }
  | { readonly op: 'run'; readonly hz: number }
  | { readonly op: 'pause' }
  | { readonly op: 'reset' }
  | { readonly op: 'add'; readonly shape: Shape; readonly at: Vec3; readonly mass: number | undefined }
  | { readonly op: 'remove'; readonly id: number }
  | { readonly op: 'impulse' | 'pos' | 'vel'; readonly id: number; readonly v: Vec3 };

/** A parsed line: the step it is pinned to (if any) and its command. */
export interface Line {
  readonly at: number | undefined;
  readonly cmd: Command;
}

/** Most steps one `step n` (and one write) may ask for: a write runs to its end before the next. */
export const MAXSTEPS = 100_000;
/** Largest magnitude of any coordinate, size, mass or velocity (keeps Rapier's f32 sane). */
export const MAXABS = 1e6;
export const DEFAULT_HZ = 60;
export const MAXHZ = 1000;

const VERBS = 'gravity, dt, step, run, pause, reset, add, remove, impulse, pos or vel';
const WANTS: Record<string, string> = {
  gravity: 'gravity wants x y z',
  dt: 'dt wants s',
  step: 'step wants [n]',
  run: 'run wants [hz]',
  pause: 'pause wants no arguments',
  reset: 'reset wants no arguments',
  add: 'add wants ground, ball or box',
  ground: 'add ground wants no arguments',
  ball: 'add ball wants r x y z [mass m]',
  box: 'add box wants hx hy hz x y z [mass m]',
  remove: 'remove wants id',
  impulse: 'impulse wants id x y z',
  pos: 'pos wants id x y z',
  vel: 'vel wants id x y z',
};

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const WHOLE = /^\d+$/;

/** The error for a bad line: `bad control message: why`. */
export function badctl(why: string): Error {
  return new Error(`${Ebadctl}: ${why}`);
}

/** A finite decimal number within MAXABS; what names the argument in the error. */
export function num(word: string, what: string): number {
  if (!NUMBER.test(word)) throw badctl(`${what} '${word}' is not a number`);
  const v = Number(word);
  if (!Number.isFinite(v) || Math.abs(v) > MAXABS) throw badctl(`${what} ${word} is out of range (at most ${MAXABS} in size)`);
  return v === 0 ? 0 : v; // -0 prints as 0 and replays as 0
}

function positive(word: string, what: string): number {
  const v = num(word, what);
  if (!(v > 0)) throw badctl(`${what} must be positive, not ${word}`);
  return v;
}

function whole(word: string, what: string, lo: number, hi: number): number {
  const v = WHOLE.test(word) ? Number(word) : NaN;
  if (!(v >= lo && v <= hi)) throw badctl(`${what} must be a whole number from ${lo} to ${hi}, not '${word}'`);
  return v;
}

/** A body id as a number (existence is the world's business). */
export function bodyId(word: string, verb: string): number {
  return whole(word, `${verb}: id`, 1, 2 ** 31);
}

function vec(ws: readonly string[], verb: string, names = ['x', 'y', 'z']): Vec3 {
  return [num(ws[0]!, `${verb}: ${names[0]}`), num(ws[1]!, `${verb}: ${names[1]}`), num(ws[2]!, `${verb}: ${names[2]}`)];
}

function arity(ok: boolean, key: string): void {
  if (!ok) throw badctl(WANTS[key]!);
}

/** The words after add ball/box: sizes, position, then an optional `mass m`. */
function addBody(kind: 'ball' | 'box', ws: readonly string[]): Command {
  const nsize = kind === 'ball' ? 1 : 3;
  const fixed = nsize + 3;
  arity(ws.length === fixed || (ws.length === fixed + 2 && ws[fixed] === 'mass'), kind);
  const verb = `add ${kind}`;
  const shape: Shape = kind === 'ball'
    ? { kind, r: positive(ws[0]!, `${verb}: r`) }
    : { kind, half: [positive(ws[0]!, `${verb}: hx`), positive(ws[1]!, `${verb}: hy`), positive(ws[2]!, `${verb}: hz`)] };
  const at = vec(ws.slice(nsize, fixed), verb);
  const mass = ws.length > fixed ? positive(ws[fixed + 1]!, `${verb}: mass`) : undefined;
  return { op: 'add', shape, at, mass };
}

/** One command from its words (verb first). */
export function parseCommand(ws: readonly string[]): Command {
  const [verb = '', ...a] = ws;
  switch (verb) {
    case 'gravity': arity(a.length === 3, verb); return { op: 'gravity', v: vec(a, verb) };
    case 'dt': arity(a.length === 1, verb); return { op: 'dt', dt: positive(a[0]!, 'dt: s') };
    case 'step': arity(a.length <= 1, verb); return { op: 'step', n: a.length ? whole(a[0]!, 'step: n', 1, MAXSTEPS) : 1 };
    case 'run': {
      arity(a.length <= 1, verb);
      const hz = a.length ? positive(a[0]!, 'run: hz') : DEFAULT_HZ;
      if (hz > MAXHZ) throw badctl(`run: hz must be at most ${MAXHZ}, not ${a[0]}`);
      return { op: 'run', hz };
    }
    case 'pause': case 'reset': arity(a.length === 0, verb); return { op: verb };
    case 'add': {
      const kind = a[0];
      if (kind === 'ground') { arity(a.length === 1, 'ground'); return { op: 'add', shape: { kind }, at: [0, 0, 0], mass: undefined }; }
      if (kind === 'ball' || kind === 'box') return addBody(kind, a.slice(1));
      throw badctl(kind === undefined ? WANTS.add! : `add: unknown shape '${kind}' (want ground, ball or box)`);
    }
    case 'remove': arity(a.length === 1, verb); return { op: 'remove', id: bodyId(a[0]!, verb) };
    case 'impulse': case 'pos': case 'vel':
      arity(a.length === 4, verb);
      return { op: verb, id: bodyId(a[0]!, verb), v: vec(a.slice(1), verb) };
    default:
      throw badctl(`unknown command '${verb}' (want ${VERBS})`);
  }
}

/** One line of /sim/ctl (trimmed, not empty): an optional STEP, then a command. */
export function parseLine(line: string): Line {
  const ws = line.trim().split(/\s+/);
  if (WHOLE.test(ws[0]!)) {
    const at = Number(ws[0]);
    if (!Number.isSafeInteger(at)) throw badctl(`step ${ws[0]} is out of range`);
    if (ws.length === 1) throw badctl(`step ${ws[0]} wants a command after it`);
    return { at, cmd: parseCommand(ws.slice(1)) };
  }
  return { at: undefined, cmd: parseCommand(ws) };
}

/** A line of /sim/bodies/ID/ctl: impulse x y z | pos x y z | vel x y z | remove. */
export function parseBodyLine(id: number, line: string): Line {
  const [verb = '', ...a] = line.trim().split(/\s+/);
  if (verb === 'remove') {
    if (a.length) throw badctl('remove wants no arguments');
    return { at: undefined, cmd: { op: 'remove', id } };
  }
  if (verb === 'impulse' || verb === 'pos' || verb === 'vel') {
    if (a.length !== 3) throw badctl(`${verb} wants x y z`);
    return { at: undefined, cmd: { op: verb, id, v: vec(a, verb) } };
  }
  throw badctl(`unknown command '${verb}' (want impulse, pos, vel or remove)`);
}

const n = (v: number): string => String(v);
const v3 = (v: Vec3): string => v.map(n).join(' ');

/** The shape's words as in /sim/bodies/ID/shape and in add: `ball 0.5`, `box 1 2 1`, `ground`. */
export function shapeWords(s: Shape): string {
  return s.kind === 'ground' ? 'ground' : s.kind === 'ball' ? `ball ${n(s.r)}` : `box ${v3(s.half)}`;
}

/** The canonical text of a command (numbers in JavaScript's shortest exact form). */
export function format(c: Command): string {
  switch (c.op) {
    case 'gravity': return `gravity ${v3(c.v)}`;
    case 'dt': return `dt ${n(c.dt)}`;
    case 'step': return `step ${c.n}`;
    case 'run': return `run ${n(c.hz)}`;
    case 'pause': case 'reset': return c.op;
    case 'add': {
      if (c.shape.kind === 'ground') return 'add ground';
      return `add ${shapeWords(c.shape)} ${v3(c.at)}${c.mass === undefined ? '' : ` mass ${n(c.mass)}`}`;
    }
    case 'remove': return `remove ${c.id}`;
    default: return `${c.op} ${c.id} ${v3(c.v)}`;
  }
}
