// world.json: a whole world as JSON text and back (sim(4)). The text is made the same way
// every time (fixed key order, one body a line, numbers in JavaScript's shortest exact form),
// so two worlds in the same state give the same bytes: replay tests compare it as text.
//
// `rapier` is Rapier's own snapshot (base64): restoring from it continues bit for bit,
// contacts, sleep and solver caches included. Without it (a hand-written world) the bodies
// are rebuilt from their fields, which is close but not exact.

import type { Rapier } from './rapier.ts';
import type { Shape, Vec3 } from './parse.ts';
import { MAXABS } from './parse.ts';
import type { Body, BodyJson } from './world.ts';
import { SimWorld } from './world.ts';

export const FORMAT = 'cohesix-sim 1';
/** Largest world.json a write may deliver. */
export const MAXJSON = 64 << 20;

/** The world as world.json text. */
export function worldJson(w: SimWorld, opts: { rapier?: boolean } = {}): string {
  const head = { format: FORMAT, step: w.step, time: w.time, gravity: w.gravity, dt: w.dt, nextId: w.nextId };
  const bodies = w.ids().map((id) => JSON.stringify(w.bodyJson(id)));
  const lines = [`${JSON.stringify(head).slice(0, -1)},`, `"bodies":[${bodies.length ? '\n' : ''}${bodies.join(',\n')}${bodies.length ? '\n' : ''}]`];
  if (opts.rapier !== false) lines[1] += `,\n"rapier":"${Buffer.from(w.snapshot()).toString('base64')}"`;
  return `${lines.join('\n')}}\n`;
}

function bad(why: string): Error {
  return new Error(`bad world.json: ${why}`);
}

function finite(v: unknown, what: string, positive = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > MAXABS || (positive && !(v > 0))) {
    throw bad(`${what} must be a ${positive ? 'positive ' : ''}number within ${MAXABS}, not ${JSON.stringify(v)}`);
  }
  return v;
}

function vec(v: unknown, n: number, what: string): number[] {
  if (!Array.isArray(v) || v.length !== n) throw bad(`${what} must be ${n} numbers`);
  return v.map((x, i) => finite(x, `${what}[${i}]`));
}

function whole(v: unknown, what: string, lo: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < lo) throw bad(`${what} must be a whole number >= ${lo}, not ${JSON.stringify(v)}`);
  return v;
}

function shapeOf(b: Record<string, unknown>, what: string): Shape {
  const size = b.size;
  if (b.shape === 'ground') {
    if (!Array.isArray(size) || size.length !== 0) throw bad(`${what}: ground has size []`);
    return { kind: 'ground' };
  }
  if (b.shape === 'ball') return { kind: 'ball', r: vec(size, 1, `${what}.size`).map((x) => finite(x, `${what}.size`, true))[0]! };
  if (b.shape === 'box') {
    const h = vec(size, 3, `${what}.size`).map((x) => finite(x, `${what}.size`, true));
    return { kind: 'box', half: [h[0]!, h[1]!, h[2]!] };
  }
  throw bad(`${what}.shape must be ground, ball or box, not ${JSON.stringify(b.shape)}`);
}

/** Parse world.json text into a new SimWorld (the caller frees the old one). Throws `bad world.json: ...`. */
export function parseWorld(R: Rapier, text: string): SimWorld {
  let o: unknown;
  try { o = JSON.parse(text); } catch (e) { throw bad((e as Error).message); }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw bad('not a JSON object');
  const j = o as Record<string, unknown>;
  if (j.format !== FORMAT) throw bad(`format must be "${FORMAT}"`);
  const step = whole(j.step, 'step', 0);
  const time = finite(j.time, 'time');
  const g = vec(j.gravity, 3, 'gravity');
  const dt = finite(j.dt, 'dt', true);
  const nextId = whole(j.nextId, 'nextId', 1);
  if (!Array.isArray(j.bodies)) throw bad('bodies must be an array');
  const seen = new Set<number>();
  const bodies = j.bodies.map((x: unknown, i): BodyJson & { parsed: Shape } => {
    const what = `bodies[${i}]`;
    if (typeof x !== 'object' || x === null) throw bad(`${what} is not an object`);
    const b = x as Record<string, unknown>;
    const id = whole(b.id, `${what}.id`, 1);
    if (id >= nextId) throw bad(`${what}.id ${id} is not below nextId ${nextId}`);
    if (seen.has(id)) throw bad(`body ${id} appears twice`);
    seen.add(id);
    const parsed = shapeOf(b, what);
    const mass = parsed.kind === 'ground' ? null : finite(b.mass, `${what}.mass`, true);
    return {
      id, shape: parsed.kind, size: [], mass, parsed,
      pos: vec(b.pos, 3, `${what}.pos`), rot: vec(b.rot, 4, `${what}.rot`),
      linvel: vec(b.linvel, 3, `${what}.linvel`), angvel: vec(b.angvel, 3, `${what}.angvel`),
      handle: typeof b.handle === 'number' ? b.handle : NaN, collider: typeof b.collider === 'number' ? b.collider : NaN,
    };
  });

  let w: SimWorld;
  if (j.rapier !== undefined) {
    if (typeof j.rapier !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(j.rapier)) throw bad('rapier must be a base64 string');
    const raw = R.World.restoreSnapshot(Buffer.from(j.rapier, 'base64'));
    if (!raw) throw bad('rapier: not a snapshot Rapier can read');
    w = new SimWorld(R, raw);
    try {
      if (raw.bodies.len() !== bodies.length) throw bad(`rapier snapshot has ${raw.bodies.len()} bodies, bodies lists ${bodies.length}`);
      for (const b of bodies) {
        const body: Body = { id: b.id, shape: b.parsed, mass: b.mass ?? undefined, handle: b.handle, collider: b.collider };
        try { w.adopt(body); } catch (e) { throw bad((e as Error).message); }
      }
    } catch (e) { w.free(); throw e; }
  } else {
    w = new SimWorld(R);
    for (const b of bodies) {
      w.add(b.parsed, b.pos as unknown as Vec3, b.mass ?? undefined, b.id);
      const rb = w.rb(b.id);
      const [qx, qy, qz, qw] = b.rot as [number, number, number, number];
      const len = Math.hypot(qx, qy, qz, qw);
      if (!(len > 0)) { w.free(); throw bad(`body ${b.id}: rot is not a rotation`); }
      rb.setRotation({ x: qx / len, y: qy / len, z: qz / len, w: qw / len }, true);
      if (b.shape !== 'ground') {
        rb.setLinvel({ x: b.linvel[0]!, y: b.linvel[1]!, z: b.linvel[2]! }, true);
        rb.setAngvel({ x: b.angvel[0]!, y: b.angvel[1]!, z: b.angvel[2]! }, true);
      }
    }
  }
  w.gravity = [g[0]!, g[1]!, g[2]!];
  w.dt = dt;
  w.step = step;
  w.time = time;
  w.nextId = nextId;
  return w;
}
