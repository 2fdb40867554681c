// Capabilities in the seL4 shape: (object, rights, badge) in a process's CSpace, derived
// from one another in a tree so revoke can kill every descendant.

import { Ecapslot, Ecaprevoked, Ecapgrow } from './errors.ts';

export const Right = {
  read: 1, write: 2, walk: 4, create: 8, remove: 16, mount: 32, exec: 64, spawn: 128, grant: 256,
} as const;
export type RightName = keyof typeof Right;
export const ALL_RIGHTS = 511;

/** Letters for the text form, in Right order: r w l c d m x s g. */
const LETTERS = 'rwlcdmxsg';
const NAMES = Object.keys(Right) as RightName[];

export function rightsText(r: number): string {
  let s = '';
  for (let i = 0; i < LETTERS.length; i++) s += r & (1 << i) ? LETTERS[i] : '-';
  return s;
}

/** Parse "rwl" letters or "read,write,walk" names (or "all"). */
export function parseRights(s: string): number {
  if (s === 'all' || s === '*') return ALL_RIGHTS;
  let r = 0;
  if (/^[rwlcdmxsg-]+$/.test(s)) {
    for (const ch of s) if (ch !== '-') r |= 1 << LETTERS.indexOf(ch);
    return r;
  }
  for (const n of s.split(/[,\s]+/).filter(Boolean)) {
    const bit = Right[n as RightName];
    if (bit === undefined) throw new Error(`unknown right '${n}' (want ${NAMES.join(' ')})`);
    r |= bit;
  }
  return r;
}

/** A capability: authority over one kernel object. Programs never hold these, only slot numbers. */
export class Cap {
  readonly object: string;
  readonly rights: number;
  readonly badge: number;
  parent: Cap | undefined;
  // Made on first use: most capabilities (a process's copies) never have children or watchers.
  private children: Set<Cap> | undefined;
  private dead = false;
  private onRevoke: Array<() => void> | undefined;

  constructor(object: string, rights: number, badge = 0, parent?: Cap) {
    this.object = object;
    this.rights = rights;
    this.badge = badge;
    this.parent = parent;
    if (parent) (parent.children ??= new Set()).add(this);
  }

  get revoked(): boolean { return this.dead; }
  /** How many capabilities were derived directly from this one and are still in the tree. */
  get derived(): number { return this.children?.size ?? 0; }

  has(r: number): boolean { return !this.dead && (this.rights & r) === r; }

  /** Throw the Plan 9 error unless this capability is live and carries rights r. */
  check(r: number, what: string): void {
    if (this.dead) throw new Error(Ecaprevoked);
    if ((this.rights & r) !== r) throw new Error(`permission denied: ${what} needs ${rightsText(r).replace(/-/g, '')} on ${this.object}`);
  }

  /** Derive a capability with rights ⊆ ours (seL4 mint). Rights never grow. */
  mint(rights: number, badge = this.badge): Cap {
    if (this.dead) throw new Error(Ecaprevoked);
    if ((rights & ~this.rights) !== 0) throw new Error(Ecapgrow);
    return new Cap(this.object, rights, badge, this);
  }

  /** Kill every descendant (seL4 revoke); this capability stays. */
  revoke(): number {
    let n = 0;
    for (const c of [...this.children ?? []]) n += c.destroy();
    return n;
  }

  /** Kill this capability and every descendant (seL4 delete of the last copy). */
  destroy(): number {
    if (this.dead) return 0;
    let n = 1;
    for (const c of [...this.children ?? []]) n += c.destroy();
    this.dead = true;
    this.parent?.children?.delete(this);
    const cbs = this.onRevoke ?? [];
    this.onRevoke = undefined;
    for (const cb of cbs) cb();
    return n;
  }

  /**
   * Leave the derivation tree without killing anything: our children now hang from our
   * parent, so a revoke from above still reaches them (the process holding us has ended).
   */
  detach(): void {
    const p = this.parent;
    p?.children?.delete(this);
    if (this.children) {
      for (const c of this.children) { c.parent = p; if (p) (p.children ??= new Set()).add(c); }
      this.children = undefined;
    }
    this.parent = undefined;
  }

  /** Run cb when this capability dies (channels use it to drop server state promptly). */
  whenRevoked(cb: () => void): void { if (this.dead) cb(); else (this.onRevoke ??= []).push(cb); }

  toString(): string { return `${this.object} ${rightsText(this.rights)}${this.badge ? ` badge=${this.badge}` : ''}${this.dead ? ' revoked' : ''}`; }
}

/** A process's table of capability slots. */
export class CSpace {
  private readonly slots: Array<Cap | undefined> = [];

  install(c: Cap): number {
    const free = this.slots.indexOf(undefined);
    if (free >= 0) { this.slots[free] = c; return free; }
    this.slots.push(c);
    return this.slots.length - 1;
  }

  get(slot: number): Cap {
    const c = Number.isInteger(slot) ? this.slots[slot] : undefined;
    if (!c) throw new Error(Ecapslot);
    return c;
  }

  /** The live capability for object carrying rights r, if any (what syscalls use). */
  find(object: string, r = 0): Cap | undefined {
    for (const c of this.slots) if (c && !c.revoked && c.object === object && (c.rights & r) === r) return c;
    return undefined;
  }

  /** Like find, but throws the Plan 9 error naming what was missing. */
  need(object: string, r: number, what: string): Cap {
    const c = this.find(object, r);
    if (c) return c;
    const any = this.find(object);
    if (any) any.check(r, what);
    throw new Error(`permission denied: ${what} needs a capability for ${object}`);
  }

  delete(slot: number): void {
    this.get(slot);
    this.slots[slot] = undefined;
  }

  /** A copy for a child: the same slots, each a minted (derived) capability, so revoke reaches them. */
  derive(filter: (c: Cap) => number | undefined = (c) => c.rights): CSpace {
    const cs = new CSpace();
    for (const c of this.slots) {
      if (!c || c.revoked) continue;
      const r = filter(c);
      if (r !== undefined) cs.slots.push(c.mint(r & c.rights));
    }
    return cs;
  }

  /** The process ended: its capabilities leave the tree (what was derived from them stays revocable). */
  release(): void {
    for (const c of this.slots) c?.detach();
    this.slots.length = 0;
  }

  list(): Array<{ slot: number; cap: Cap }> {
    const out: Array<{ slot: number; cap: Cap }> = [];
    this.slots.forEach((cap, slot) => { if (cap) out.push({ slot, cap }); });
    return out;
  }
}
