// Pipelined walks: send Twalk(s) to a new fid and the requests that use it back to back,
// without waiting, then judge the replies in order.
//
// A server that executes requests on one fid in order (Plan 9's, lib9p's, Cohesix's) answers
// exactly as if they had been sent one at a time. Some servers do not: diod looks fids up
// when a request arrives and runs requests on worker threads, so a Topen right behind the
// Twalk that creates its fid fails. So: a failed first walk is a real answer (the walk
// is the first request and its fid existed); any later failure is ambiguous, and the result
// says so after the new fid has been cleaned up, for the caller to retry step by step.

import type { Qid, RMsg } from '../9p/fcall.ts';
import type { Client, TRequest } from './client.ts';
import { judgeWalk, walkMsgs } from './walk.ts';
import type { WalkPart } from './walk.ts';

/**
 * What happens to the new fid at the end: 'clunk' appends a Tclunk; 'gone' means the
 * requests end it themselves (Tremove); 'keep' hands it to the caller on success.
 */
export type PipeEnd = 'clunk' | 'gone' | 'keep';

export type PipeResult =
  | { ok: true; fid: number; qid: Qid | undefined; replies: RMsg[] }
  /**
   * A request after the first walk failed (or a later walk part did); nothing is left
   * behind. error is the first failure; settled holds how each request of more() ended.
   */
  | { ok: false; error: Error; settled: PromiseSettledResult<RMsg>[] };

/**
 * Walk `from` through names to a new fid and send more(fid) right behind the walk (and a
 * Tclunk when end is 'clunk'). Throws the WalkError when the first Twalk fails (nothing was
 * created). A failed closing Tclunk does not fail the operation: the fid is clunked again.
 */
export async function pipeline(
  c: Client, from: number, names: readonly string[], path: string,
  more: (fid: number) => TRequest[], end: PipeEnd,
): Promise<PipeResult> {
  const fid = c.allocFid();
  let walks: TRequest[], rest: TRequest[];
  try {
    walks = walkMsgs(from, fid, names);
    rest = more(fid);
  } catch (e) {
    c.releaseFid(fid);
    throw e;
  }
  const nrest = rest.length;
  if (end === 'clunk') rest.push({ type: 'Tclunk', fid });
  const sent = [...walks, ...rest].map((t) => c.rpc(t));
  const settled = await Promise.allSettled(sent);
  if (c.closeReason && settled.some((x) => x.status === 'rejected')) { c.releaseFid(fid); throw c.closeReason; }
  const parts: WalkPart[] = settled.slice(0, walks.length).map((s) =>
    s.status === 'fulfilled' ? { ok: true, wqid: (s.value as RMsg & { type: 'Rwalk' }).wqid } : { ok: false, error: s.reason as Error });
  const j = judgeWalk(parts, names, path);
  if (!j.ok && !j.created) {
    // The first walk failed: the new fid never existed, and the rest failed for that reason.
    c.releaseFid(fid);
    throw j.error;
  }
  const tail = settled.slice(walks.length, walks.length + nrest);
  const closing = settled[walks.length + nrest];
  const bad = tail.find((s) => s.status === 'rejected');
  const ok = j.ok && !bad;
  // Clean up a fid that may still exist: the closing Tclunk may have overtaken the walk
  // on a server that does not keep order, and a kept fid is not wanted after a failure.
  const settledFid = end === 'clunk' ? closing?.status === 'fulfilled' : end === 'gone' ? tail[nrest - 1]?.status === 'fulfilled' : ok;
  if (!settledFid) await c.rpc({ type: 'Tclunk', fid }).catch(() => undefined);
  if (!ok || end !== 'keep') c.releaseFid(fid);
  if (ok) return { ok: true, fid, qid: j.qid, replies: tail.map((s) => (s as PromiseFulfilledResult<RMsg>).value) };
  return { ok: false, error: j.ok ? (bad as PromiseRejectedResult).reason as Error : j.error, settled: tail };
}
