// Where our rc deliberately differs from 9base's rc, and what ours does instead. 9base runs
// on Unix, so exit statuses are numbers there; Cohesix keeps Plan 9's status strings. Each
// entry names the case, the reason, and our expected stdout (and success) when it differs.

export interface Divergence {
  reason: string;
  /** Our stdout, when it differs from 9base's. */
  out?: string;
  /** Our success (final $status empty), when it differs. */
  ok?: boolean;
}

export const DIVERGENCES: ReadonlyMap<string, Divergence> = new Map<string, Divergence>([
]);
