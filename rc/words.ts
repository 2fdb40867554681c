// Word evaluation: a Word of the tree becomes a list of strings. Unquoted literal text keeps
// GLOB marks on its pattern characters (glob.ts); callers glob, match or unmark.

import { evalPure, pureWord, subscript } from './fast.ts';
import { GLOB, markLiteral, unmark } from './glob.ts';
import type { Shell } from './shell.ts';
import type { Word } from './tree.ts';
import { MAXLIST } from './vars.ts';
import type { List } from './vars.ts';

/** A runtime error of rc (Plan 9's Xerror): unwinds to the top level. */
export class RcError extends Error {}

const MAXWORD = 64 << 20;

/** Evaluate a word to a list (pattern marks kept). */
export async function evalWord(sh: Shell, w: Word): Promise<List> {
  if (pureWord(w)) return evalPure(sh, w);
  switch (w.kind) {
    case 'lit': return [w.quoted ? w.text : markLiteral(w.text)];
    case 'var': {
      const name = await evalName(sh, w.name);
      const v = lookup(sh, name);
      if (w.sub === null) return v;
      const subs: string[] = [];
      for (const s of w.sub) for (const x of await evalWord(sh, s)) subs.push(unmark(x));
      return subscript(v, subs);
    }
    case 'count': return [String(lookup(sh, await evalName(sh, w.name)).length)];
    case 'flat': return [lookup(sh, await evalName(sh, w.name)).join(' ')];
    case 'concat': {
      let acc = await evalWord(sh, w.parts[0]!);
      for (let i = 1; i < w.parts.length; i++) acc = concat(acc, await evalWord(sh, w.parts[i]!));
      return acc;
    }
    case 'list': {
      const out: List = [];
      for (const x of w.words) for (const s of await evalWord(sh, x)) out.push(s);
      if (out.length > MAXLIST) throw new RcError(`list too long (${out.length} elements)`);
      return out;
    }
    case 'backquote': {
      let ifs: string;
      if (w.ifs) ifs = (await evalWord(sh, w.ifs)).map(unmark).join('');
      else { const v = sh.vars.get('ifs'); ifs = v === undefined ? ' \t\n' : (v[0] ?? ''); }
      const out = await sh.backquote(w.body);
      return split(out, ifs);
    }
    case 'pipefd': return [await sh.pipeFd(w.dir, w.body)];
  }
}

/** Evaluate several words into one list. */
export async function evalWords(sh: Shell, ws: Word[]): Promise<List> {
  const out: List = [];
  for (const w of ws) for (const s of await evalWord(sh, w)) out.push(s);
  return out;
}

/** The name in $name, $#name, $"name: one string. */
async function evalName(sh: Shell, w: Word): Promise<string> {
  if (w.kind === 'lit') return w.text;
  const v = await evalWord(sh, w);
  if (v.length !== 1) throw new RcError('variable name not singleton!');
  return unmark(v[0]!);
}

/** A variable's value; $1 $2 ... are elements of $*. */
export function lookup(sh: Shell, name: string): List {
  if (name === 'status') return [sh.status];
  if (name.length > 0 && name !== '0' && /^[0-9]+$/.test(name)) {
    const star = sh.vars.get('*') ?? [];
    const i = Number(name) - 1;
    return i < star.length ? [star[i]!] : [];
  }
  return sh.vars.get(name) ?? [];
}

/** rc's ^: pairwise for equal lengths, distributed over a singleton, an error otherwise. */
export function concat(a: List, b: List): List {
  if (a.length === 0 || b.length === 0) throw new RcError('null list in concatenation');
  if (a.length === 1 && b.length === 1) return [join2(a[0]!, b[0]!)];
  if (a.length === 1) return b.map((y) => join2(a[0]!, y));
  if (b.length === 1) return a.map((x) => join2(x, b[0]!));
  if (a.length !== b.length) throw new RcError('mismatched list lengths in concatenation');
  return a.map((x, i) => join2(x, b[i]!));
}

function join2(x: string, y: string): string {
  if (x.length + y.length > MAXWORD) throw new RcError('word too long');
  return x + y;
}

/** Split command output at runs of ifs characters. */
export function split(s: string, ifs: string): List {
  if (ifs === '') return s === '' ? [] : [s];
  const out: List = [];
  let cur = '';
  let has = false;
  for (const c of s) {
    if (ifs.includes(c)) { if (has) out.push(cur); cur = ''; has = false; } else { cur += c; has = true; }
  }
  if (has) out.push(cur);
  if (out.length > MAXLIST) throw new RcError(`list too long (${out.length} elements)`);
  return out;
}

/** Substitute $name (and $name^) in an unquoted here document, as rc does. */
export function hereSubst(sh: Shell, body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '$') { out += c; continue; }
    let j = i + 1;
    while (j < body.length && isId(body[j]!)) j++;
    if (j === i + 1) { if (j < body.length) out += body[j]; i = j; continue; } // `$c`: the $ is dropped, c kept as it is
    out += lookup(sh, body.slice(i + 1, j)).join(' ');
    if (body[j] === '^') j++;
    i = j - 1;
  }
  return out;
}

function isId(c: string): boolean {
  return c > ' ' && !'!"#$%&\'()+,-./:;<=>?@[\\]^`{|}~'.includes(c) && c !== GLOB;
}
