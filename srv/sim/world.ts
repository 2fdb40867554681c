// A simulated world: a Rapier World and the /sim view of it (body ids from 1, shapes, a step
// counter and the simulated time). It knows nothing of files, traces or timers (sim.ts and
// engine.ts); the text forms the files serve are here so they have one definition.
//
// Ids are small integers given in order and never reused until reset; the Rapier handles
// behind them are kept in world.json so a restored snapshot maps back to the same ids.

import type { Collider, EventQueue, RigidBody, World } from '@dimforge/rapier3d-deterministic-compat';
import type { Rapier } from './rapier.ts';
import type { Shape, Vec3 } from './parse.ts';
import { shapeWords } from './parse.ts';

export const DEFAULT_GRAVITY: Vec3 = [0, -9.81, 0];
export const DEFAULT_DT = 1 / 60;
/** The ground: a fixed box this wide (half extents) whose top face is y = 0 of its body. */
export const GROUND_HALF: Vec3 = [1000, 1, 1000];

export interface Body {
  readonly id: number;
  readonly shape: Shape;
  /** The mass asked for (undefined: ground, or Rapier's default for the shape). */
  readonly mass: number | undefined;
  readonly handle: number;
  readonly collider: number;
}

/** What world.json holds for one body (sizes: [r] for a ball, [hx, hy, hz] for a box, [] for ground). */
export interface BodyJson {
  id: number;
  shape: Shape['kind'];
  size: number[];
  mass: number | null;
  pos: number[];
  rot: number[];
  linvel: number[];
  angvel: number[];
  handle: number;
  collider: number;
}

/** Called with each contact change a step produces (ID1 < ID2). */
export type EventSink = (step: number, id1: number, id2: number, started: boolean) => void;

const xyz = (v: { x: number; y: number; z: number }): Vec3 => [v.x, v.y, v.z];
const words = (xs: readonly number[]): string => xs.map(String).join(' ');

export class SimWorld {
  readonly R: Rapier;
  readonly world: World;
  readonly #queue: EventQueue;
  readonly #bodies = new Map<number, Body>();
  /** Collider handle to body id; kept after a remove so the stop event it causes is named. */
  readonly #byCollider = new Map<number, number>();
  #gravity: Vec3 = DEFAULT_GRAVITY;
  #dt = DEFAULT_DT;
  step = 0;
  time = 0;
  nextId = 1;
  #freed = false;

  /** A fresh empty world, or one around a restored Rapier World. */
  constructor(R: Rapier, world?: World) {
    this.R = R;
    this.world = world ?? new R.World({ x: 0, y: 0, z: 0 });
    this.#queue = new R.EventQueue(true);
    this.gravity = this.#gravity;
    this.dt = this.#dt;
  }

  get gravity(): Vec3 { return this.#gravity; }
  set gravity(v: Vec3) { this.#gravity = v; this.world.gravity = { x: v[0], y: v[1], z: v[2] }; }
  get dt(): number { return this.#dt; }
  set dt(s: number) { this.#dt = s; this.world.timestep = s; }

  get size(): number { return this.#bodies.size; }
  has(id: number): boolean { return this.#bodies.has(id); }
  body(id: number): Body | undefined { return this.#bodies.get(id); }
  /** Live ids, ascending. */
  ids(): number[] { return [...this.#bodies.keys()].sort((a, b) => a - b); }

  /** The Rapier body of id; throws `no body ID` when there is none. */
  rb(id: number): RigidBody {
    const b = this.#bodies.get(id);
    if (!b) throw new Error(`no body ${id}`);
    return this.world.getRigidBody(b.handle);
  }

  /** Add a body; returns its id. Dynamic bodies get collision events on (ground reports them too). */
  add(shape: Shape, at: Vec3, mass: number | undefined, id = this.nextId): number {
    const R = this.R;
    const rbd = shape.kind === 'ground' ? R.RigidBodyDesc.fixed() : R.RigidBodyDesc.dynamic();
    const rb = this.world.createRigidBody(rbd.setTranslation(at[0], at[1], at[2]));
    let cd = shape.kind === 'ground'
      ? R.ColliderDesc.cuboid(GROUND_HALF[0], GROUND_HALF[1], GROUND_HALF[2]).setTranslation(0, -GROUND_HALF[1], 0)
      : shape.kind === 'ball' ? R.ColliderDesc.ball(shape.r) : R.ColliderDesc.cuboid(shape.half[0], shape.half[1], shape.half[2]);
    if (shape.kind !== 'ground') cd = cd.setMass(mass ?? 1);
    const c = this.world.createCollider(cd.setActiveEvents(R.ActiveEvents.COLLISION_EVENTS), rb);
    this.#track({ id, shape, mass: shape.kind === 'ground' ? undefined : mass ?? 1, handle: rb.handle, collider: c.handle });
    this.nextId = Math.max(this.nextId, id + 1);
    return id;
  }

  #track(b: Body): void {
    this.#bodies.set(b.id, b);
    this.#byCollider.set(b.collider, b.id);
  }

  remove(id: number): void {
    const rb = this.rb(id);
    this.world.removeRigidBody(rb);
    this.#bodies.delete(id);
  }

  impulse(id: number, v: Vec3): void { this.rb(id).applyImpulse({ x: v[0], y: v[1], z: v[2] }, true); }
  setPos(id: number, v: Vec3): void { this.rb(id).setTranslation({ x: v[0], y: v[1], z: v[2] }, true); }
  setVel(id: number, v: Vec3): void { this.rb(id).setLinvel({ x: v[0], y: v[1], z: v[2] }, true); }
  isFixed(id: number): boolean { return this.#bodies.get(id)?.shape.kind === 'ground'; }

  /** One step of dt; contact changes go to sink in Rapier's (deterministic) order. */
  advance(sink?: EventSink): void {
    this.world.step(this.#queue);
    this.step++;
    this.time += this.#dt;
    const s = this.step;
    this.#queue.drainCollisionEvents((h1: number, h2: number, started: boolean) => {
      if (!sink) return;
      const a = this.#byCollider.get(h1), b = this.#byCollider.get(h2);
      if (a === undefined || b === undefined) return;
      if (a < b) sink(s, a, b, started); else sink(s, b, a, started);
    });
  }

  // ---- text forms (sim(4)) ----

  posText(id: number): string {
    const rb = this.rb(id), t = rb.translation(), q = rb.rotation();
    return `${words([t.x, t.y, t.z, q.x, q.y, q.z, q.w])}\n`;
  }

  velText(id: number): string {
    const rb = this.rb(id);
    return `${words([...xyz(rb.linvel()), ...xyz(rb.angvel())])}\n`;
  }

  shapeText(id: number): string {
    const b = this.#bodies.get(id);
    if (!b) throw new Error(`no body ${id}`);
    return b.mass === undefined ? `${shapeWords(b.shape)}\n` : `${shapeWords(b.shape)} mass ${b.mass}\n`;
  }

  clockText(): string {
    return `step ${this.step} time ${Number(this.time.toFixed(9))}\n`;
  }

  /** One line per body: `id kind x y z`. */
  stateText(): string {
    return this.ids().map((id) => {
      const t = this.rb(id).translation();
      return `${id} ${this.#bodies.get(id)!.shape.kind} ${words([t.x, t.y, t.z])}\n`;
    }).join('');
  }

  bodyJson(id: number): BodyJson {
    const b = this.#bodies.get(id)!, rb = this.rb(id);
    const t = rb.translation(), q = rb.rotation();
    const s = b.shape;
    return {
      id, shape: s.kind, size: s.kind === 'ground' ? [] : s.kind === 'ball' ? [s.r] : [...s.half], mass: b.mass ?? null,
      pos: [...xyz(t)], rot: [q.x, q.y, q.z, q.w], linvel: [...xyz(rb.linvel())], angvel: [...xyz(rb.angvel())],
      handle: b.handle, collider: b.collider,
    };
  }

  /** Rapier's own snapshot of everything (contacts, sleep state, solver caches), for exact restores. */
  snapshot(): Uint8Array { return this.world.takeSnapshot(); }

  /** Put back a body of a restored Rapier world (its handles must be there). */
  adopt(b: Body): void {
    if (!this.world.bodies.contains(b.handle) || !this.world.colliders.contains(b.collider)) {
      throw new Error(`body ${b.id}: handle ${b.handle} / collider ${b.collider} not in the rapier snapshot`);
    }
    this.#track(b);
  }

  /** The collider of body id (tests look at it). */
  collider(id: number): Collider { return this.world.getCollider(this.#bodies.get(id)!.collider); }

  /** Release Rapier's memory; the world is unusable after. */
  free(): void {
    if (this.#freed) return;
    this.#freed = true;
    this.#queue.free();
    this.world.free();
  }
}
