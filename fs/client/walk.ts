// Paths into walks: split a path into names, cut them into Twalks of at most MAXWELEM,
// and walk a fid to a new fid (walk(5)), reporting a failure with the path it was for.

import { MAXWELEM } from '../9p/constants.ts';
import type { Qid } from '../9p/fcall.ts';
import { Enoent, P9Error } from '../9p/errors.ts';
import type { Client, TRequest } from './client.ts';

/** A walk that failed: message is the Plan 9 error, path the whole path asked for. */
export class WalkError extends P9Error {
  readonly path: string;
  /** How many leading names exist (index of the first missing name). */
  readonly walked: number;
  constructor(ename: string, path: string, walked: number) {
    super(ename);
    this.path = path;
    this.walked = walked;
  }
  override toString(): string { return `${this.name}: '${this.path}': ${this.message}`; }
}

/**
 * The names of a path, cleaned lexically as Plan 9's cleanname does: '/a//b/./c/' → [a b c],
 * 'a/x/../b' → [a b]. A rooted path (the default) cannot climb above its root, so a leading
 * '..' is dropped; a relative one (walks from a CFid) keeps it for the server.
 */
export function splitPath(path: string, rooted = true): string[] {
  const out: string[] = [];
  for (const s of path.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push(s);
      continue;
    }
    out.push(s);
  }
  return out;
}

/** The parent's names and the last name; throws for the root, which has no name to create. */
export function splitLast(path: string): { dir: string[]; name: string } {
  const names = splitPath(path);
  const name = names.pop();
  if (name === undefined || name === '..') throw new P9Error(`bad path '${path}' for a new file`);
  return { dir: names, name };
}

/** The last element of a path, or '/' for the root: the name a Dir gets in 9P2000.L. */
export function baseName(path: string): string {
  const names = splitPath(path);
  return names.length ? names[names.length - 1]! : '/';
}

/**
 * The Twalks that take fid to newfid through names: the first from fid to newfid, the rest
 * newfid to itself, each with at most MAXWELEM names. No names gives one clone walk.
 */
export function walkMsgs(fid: number, newfid: number, names: readonly string[]): TRequest[] {
  const out: TRequest[] = [];
  for (let i = 0; i === 0 || i < names.length; i += MAXWELEM) {
    out.push({ type: 'Twalk', fid: i === 0 ? fid : newfid, newfid, wname: names.slice(i, i + MAXWELEM) });
  }
  return out;
}

/** How one part of a multi-part walk ended. */
export type WalkPart = { ok: true; wqid: Qid[] } | { ok: false; error: Error };

/**
 * Judge the replies to walkMsgs(): the qid reached (undefined for a clone), or the failure.
 * `created` says whether newfid exists at the server after a failure (a later part failed).
 */
export function judgeWalk(parts: readonly WalkPart[], names: readonly string[], path: string):
  { ok: true; qid: Qid | undefined } | { ok: false; error: WalkError; created: boolean } {
  let qid: Qid | undefined;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    const want = Math.min(MAXWELEM, names.length - k * MAXWELEM);
    if (!part.ok) {
      return { ok: false, error: new WalkError(part.error.message, path, k * MAXWELEM), created: k > 0 };
    }
    if (part.wqid.length < want) {
      return { ok: false, error: new WalkError(Enoent, path, k * MAXWELEM + part.wqid.length), created: k > 0 };
    }
    if (part.wqid.length) qid = part.wqid[part.wqid.length - 1];
  }
  return { ok: true, qid };
}

/**
 * Walk fid through names to a new fid, one Twalk at a time. Returns the new fid and the
 * qid reached (undefined for a clone of fid). On failure no fid is left behind.
 */
export async function walkFid(c: Client, fid: number, names: readonly string[], path: string): Promise<{ fid: number; qid: Qid | undefined }> {
  const newfid = c.allocFid();
  const parts: WalkPart[] = [];
  for (const t of walkMsgs(fid, newfid, names)) {
    try {
      const r = await c.rpc(t as TRequest & { type: 'Twalk' });
      parts.push({ ok: true, wqid: r.wqid });
      const want = Math.min(MAXWELEM, names.length - (parts.length - 1) * MAXWELEM);
      if (r.wqid.length < want) break;
    } catch (e) {
      if (c.closeReason) { c.releaseFid(newfid); throw c.closeReason; }
      parts.push({ ok: false, error: e as Error });
      break;
    }
  }
  const j = judgeWalk(parts, names, path);
  if (j.ok) return { fid: newfid, qid: j.qid };
  if (j.created) await c.rpc({ type: 'Tclunk', fid: newfid }).catch(() => undefined);
  c.releaseFid(newfid);
  throw j.error;
}
