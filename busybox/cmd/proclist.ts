// The process table as ps, kill and slay read it: /proc/N/status in Plan 9's layout (name,
// user and state in fixed columns of 28, 28 and 12 characters, then twelve-character numbers:
// six times in milliseconds, memory in KiB, base and current priority), and Plan 9's ps line.

import type { Sys } from '../../kernel/sys.ts';
import { errmsg } from '../io.ts';

export interface ProcInfo {
  pid: number;
  name: string;
  user: string;
  state: string;
  /** Seconds: user, system and real time. */
  utime: number;
  stime: number;
  rtime: number;
  /** KiB. */
  size: number;
  basepri: number;
  pri: number;
}

const NAMELEN = 28, STATELEN = 12;

/** One status file; undefined when it is not in Plan 9's layout. */
export function parseStatus(pid: number, text: string): ProcInfo | undefined {
  const at = 2 * NAMELEN + STATELEN;
  if (text.length < at) return undefined;
  // The text fields are columns, not words: a name may hold a blank.
  const name = text.slice(0, NAMELEN).trimEnd();
  const user = text.slice(NAMELEN, 2 * NAMELEN).trimEnd();
  const state = text.slice(2 * NAMELEN, at).trimEnd();
  const n = text.slice(at).trim().split(/\s+/).map((w) => Number(w));
  if (n.length < 9 || n.some((x) => !Number.isFinite(x))) return undefined;
  const s = (ms: number): number => Math.floor(ms / 1000);
  return { pid, name, user, state, utime: s(n[0]!), stime: s(n[1]!), rtime: s(n[2]!), size: n[6]!, basepri: n[7]!, pri: n[8]! };
}

/**
 * Every process whose status can be read, by pid. A process that ends between the listing
 * and the read is left out, as Plan 9's ps does; an unreadable /proc is an error.
 */
export async function readProcs(sys: Sys): Promise<ProcInfo[]> {
  let names: string[];
  try { names = (await sys.dirread('/proc')).map((d) => d.name); } catch (e) { throw new Error(`/proc: ${errmsg(e)}`); }
  const out: ProcInfo[] = [];
  for (const n of names) {
    if (!/^[0-9]+$/.test(n)) continue; // boot, 9p: not processes
    let text: string;
    try { text = (await sys.readFile(`/proc/${n}/status`)).toString('utf8'); } catch { continue; }
    const p = parseStatus(Number(n), text);
    if (p) out.push(p);
  }
  return out.sort((a, b) => a.pid - b.pid);
}

const mmss = (t: number, w: number): string => `${String(Math.floor(t / 60)).padStart(w)}:${String(t % 60).padStart(2, '0')}`;

/** 9front's -r column: real time as [d:]h:mm:ss or m:ss, right-aligned in 12. */
function realTime(t: number): string {
  const two = (x: number): string => String(x).padStart(2, '0');
  let s: string;
  if (t >= 86400) s = ` ${Math.floor(t / 86400)}:${two(Math.floor(t / 3600) % 24)}:${two(Math.floor(t / 60) % 60)}:${two(t % 60)}`;
  else if (t >= 3600) s = ` ${Math.floor(t / 3600)}:${two(Math.floor(t / 60) % 60)}:${two(t % 60)}`;
  else s = ` ${Math.floor(t / 60)}:${two(t % 60)}`;
  return s.padStart(12);
}

export interface LineOptions {
  /** -p: base and current priority. */
  pri?: boolean;
  /** -r: real time since the process started. */
  real?: boolean;
}

/** Plan 9 ps's columns up to and including the state, with its trailing blank (the name or args follow). */
export function psPrefix(p: ProcInfo, o: LineOptions = {}): string {
  const pbuf = o.pri ? ` ${String(p.basepri).padStart(2)} ${String(p.pri).padStart(2)}` : '';
  const rbuf = o.real ? realTime(p.rtime) : '';
  return `${p.user.padEnd(10)} ${String(p.pid).padStart(8)}${rbuf} ${mmss(p.utime, 4)} ${mmss(p.stime, 3)}${pbuf} ${String(p.size).padStart(7)}K ${p.state.slice(0, 8).padEnd(8)} `;
}

/** The whole ps line of a process (without args, without newline). */
export function psLine(p: ProcInfo, o: LineOptions = {}): string {
  return psPrefix(p, o) + p.name;
}
