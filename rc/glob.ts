// Patterns: what `~`, `switch` and file name globbing match with (rc(1): * ? [...]).
//
// As in Plan 9's rc, only characters that were unquoted in the source are special: the
// evaluator puts GLOB in front of each unquoted * ? [ it copies out of a literal, and
// values of variables or command output never carry it. A word with GLOB in it is a
// pattern; `unmark` turns it back into plain text.

import { DMDIR } from '../fs/9p/constants.ts';

export const GLOB = '\x01';

/** Mark the pattern characters of unquoted source text. */
export function markLiteral(text: string): string {
  let out = '';
  for (const c of text) out += c === '*' || c === '?' || c === '[' ? GLOB + c : c;
  return out;
}

export function isPattern(s: string): boolean { return s.includes(GLOB); }

export function unmark(s: string): string { return s.includes(GLOB) ? s.split(GLOB).join('') : s; }

/** Does subject s match pattern p (marked)? Plan 9 classes: [a-z], negated with [~...]. */
export function match(s: string, p: string): boolean {
  if (!p.includes(GLOB)) return s === p;
  return matchAt([...s], 0, tokens(p), 0);
}

type Tok = { lit: string } | { any: true } | { one: true } | { cls: Array<[number, number]>; neg: boolean } | { never: true };

/**
 * Split a marked pattern into tokens. A class is read as Plan 9's rc reads it: an optional ~,
 * then characters or ranges up to the ], a range's ends in either order, the character after
 * a - taken as it is (so [a-]] is a to ]); a class without its ] matches nothing.
 */
function tokens(p: string): Tok[] {
  const cs = [...p];
  const out: Tok[] = [];
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!;
    if (c !== GLOB || i + 1 >= cs.length) { if (c !== GLOB) out.push({ lit: c }); continue; }
    const m = cs[++i]!;
    if (m === '*') { if (!('any' in (out[out.length - 1] ?? {}))) out.push({ any: true }); continue; }
    if (m === '?') { out.push({ one: true }); continue; }
    let j = i + 1;
    const next = (): string | undefined => { while (cs[j] === GLOB) j++; return j < cs.length ? cs[j++] : undefined; };
    let x = next(), neg = false;
    if (x === '~') { neg = true; x = next(); }
    const cls: Array<[number, number]> = [];
    let closed = false;
    while (x !== undefined) {
      if (x === ']') { closed = true; break; }
      const lo = x.codePointAt(0)!;
      let hi = lo;
      x = next();
      if (x === '-') {
        const h = next();
        if (h === undefined) break;
        hi = h.codePointAt(0)!;
        x = next();
      }
      cls.push(lo <= hi ? [lo, hi] : [hi, lo]);
    }
    if (!closed) { out.push({ never: true }); break; }
    out.push({ cls, neg });
    i = j - 1;
  }
  return out;
}

function matchAt(s: string[], si: number, t: Tok[], ti: number): boolean {
  for (; ti < t.length; ti++) {
    const k = t[ti]!;
    if ('any' in k) {
      if (ti + 1 === t.length) return true;
      for (let i = si; i <= s.length; i++) if (matchAt(s, i, t, ti + 1)) return true;
      return false;
    }
    if (si >= s.length || 'never' in k) return false;
    const c = s[si++]!;
    if ('lit' in k) { if (c !== k.lit) return false; continue; }
    if ('one' in k) continue;
    const cp = c.codePointAt(0)!;
    const inCls = k.cls.some(([lo, hi]) => cp >= lo && cp <= hi);
    if (inCls === k.neg) return false;
  }
  return si === s.length;
}

/** Byte order, as Plan 9 sorts glob results. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** What globbing needs of the system: list a directory, check a name exists. */
export interface GlobFs {
  dirread(path: string): Promise<Array<{ name: string; mode: number }>>;
  exists(path: string): Promise<boolean>;
  cwd: string;
}

/**
 * Expand a marked word against the namespace: each path component with a pattern matches
 * directory entries (dot files too, as in Plan 9); no match leaves the word as written.
 */
export async function glob(word: string, fs: GlobFs): Promise<string[]> {
  if (!word.includes(GLOB)) return [word];
  const abs = word.startsWith('/');
  const comps = word.split('/');
  let found: string[] = [abs ? '/' : ''];
  for (let i = abs ? 1 : 0; i < comps.length; i++) {
    const c = comps[i]!;
    const last = i === comps.length - 1;
    const next: string[] = [];
    if (c === '') { found = found.map((f) => (f.endsWith('/') || f === '' ? f : f + '/')); continue; }
    for (const base of found) {
      const join = (n: string): string => (base === '' ? n : base.endsWith('/') ? base + n : `${base}/${n}`);
      if (!isPattern(c)) { next.push(join(c)); continue; }
      let ents: Array<{ name: string; mode: number }>;
      try { ents = await fs.dirread(base === '' ? fs.cwd : base); } catch { continue; }
      const names = ents.filter((e) => (last || (e.mode & DMDIR) !== 0) && match(e.name, c)).map((e) => e.name).sort(byteOrder);
      for (const n of names) next.push(join(n));
    }
    found = next;
    if (found.length === 0) break;
  }
  // Literal components after the last pattern must exist.
  const lastPat = comps.reduce((a, c, i) => (isPattern(c) ? i : a), -1);
  if (lastPat < comps.length - 1 && found.length) {
    const ok: string[] = [];
    for (const f of found) if (await fs.exists(f)) ok.push(f);
    found = ok;
  }
  return found.length ? found : [unmark(word)];
}
