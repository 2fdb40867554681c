// rc's variables: one global table and a chain of local frames (function arguments `*`,
// `x=v cmd` assignments, the `for` variable). Values are lists of strings. Functions live
// beside them. Both are exported to commands' environments: lists as their elements
// separated by NUL (Plan 9's /env layout), functions as fn#NAME holding their definition.

import type { FnDef } from './tree.ts';

export type List = string[];

/** Refuse lists or strings that would eat the machine (Plan 9 rc has fixed limits too). */
export const MAXLIST = 1_000_000;

interface Frame {
  vars: Map<string, List>;
  next: Frame | null;
}

export class Vars {
  readonly global = new Map<string, List>();
  readonly fns = new Map<string, FnDef>();
  private local: Frame | null = null;
  /** Bumped by every change, so what is derived from the variables (the exported environment) can be cached. */
  version = 0;

  /** Record a change made directly to fns. */
  touch(): void { this.version++; }

  get(name: string): List | undefined {
    for (let f = this.local; f; f = f.next) { const v = f.vars.get(name); if (v) return v; }
    return this.global.get(name);
  }

  /** Assign where the name is visible: its innermost local, else the global table. */
  set(name: string, value: List): void {
    if (value.length > MAXLIST) throw new Error(`list too long (${value.length} elements)`);
    this.version++;
    for (let f = this.local; f; f = f.next) if (f.vars.has(name)) { f.vars.set(name, value); return; }
    this.global.set(name, value);
  }

  /** Push a frame of local variables; returns the function that pops it. */
  push(vars: Map<string, List>): () => void {
    const f: Frame = { vars, next: this.local };
    this.local = f;
    this.version++;
    return () => { if (this.local === f) { this.local = f.next; this.version++; } };
  }

  /** Every visible variable, innermost wins. */
  visible(): Map<string, List> {
    const out = new Map(this.global);
    const frames: Frame[] = [];
    for (let f = this.local; f; f = f.next) frames.push(f);
    for (const f of frames.reverse()) for (const [k, v] of f.vars) out.set(k, v);
    return out;
  }

  /** A copy for a subshell: later changes on either side stay on that side. */
  clone(): Vars {
    const v = new Vars();
    for (const [k, l] of this.visible()) v.global.set(k, l);
    for (const [k, f] of this.fns) v.fns.set(k, f);
    return v;
  }
}

/** An environment value: list elements joined by NUL. */
export function envEncode(l: List): string { return l.join('\0'); }

/** Read an environment value back into a list (a trailing NUL ends the last element). */
export function envDecode(s: string): List {
  if (s === '') return [''];
  const parts = s.split('\0');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Variables rc keeps to itself (not exported). */
export const UNEXPORTED: ReadonlySet<string> = new Set(['pid', 'apid', 'status', '*', 'prompt', 'ifs', 'cdpath']);
