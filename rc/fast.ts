// The synchronous path of the interpreter. Commands that touch nothing outside the shell
// (assignments, ~, && || !, blocks, if, for and switch over plain words) are run without
// awaiting, which is most of a loop of builtins; anything that may run a program, glob,
// redirect, or loop without bound (while) goes the asynchronous way in shell.ts, so notes
// are still seen between commands.

import { markLiteral, match, unmark } from './glob.ts';
import type { Shell } from './shell.ts';
import type { Cmd, Word } from './tree.ts';
import type { List } from './vars.ts';
import { concat, lookup, RcError } from './words.ts';
import { MAXLIST } from './vars.ts';

/** rc's truth: a status of only '|' and '0' characters (a pipeline of successes) is true. */
export function truth(status: string): boolean {
  for (const c of status) if (c !== '|' && c !== '0') return false;
  return true;
}

/** ~ and case: the subject, joined with spaces as rc does, matches any of the patterns. */
export function matches(subject: List, pats: List): boolean {
  const s = subject.join(' ');
  return pats.some((p) => match(s, p));
}

/** `a=1 b=2` with no command: every assignment of the chain is global. */
export function isBareAssign(c: Cmd): boolean {
  return c.kind === 'assign' && (c.body === null || isBareAssign(c.body));
}

/** A word whose value does not depend on running anything (no `{...} or <{...}). */
export function pureWord(w: Word): boolean {
  switch (w.kind) {
    case 'lit': return true;
    case 'var': return pureWord(w.name) && (w.sub === null || w.sub.every(pureWord));
    case 'count': case 'flat': return pureWord(w.name);
    case 'concat': return w.parts.every(pureWord);
    case 'list': return w.words.every(pureWord);
    case 'backquote': case 'pipefd': return false;
  }
}

/** A pure word with no unquoted * ? [ of its own (so its value needs no globbing). */
function plainWord(w: Word): boolean {
  switch (w.kind) {
    case 'lit': return w.quoted || !/[*?[]/.test(w.text);
    case 'concat': return w.parts.every(plainWord);
    case 'list': return w.words.every(plainWord);
    default: return pureWord(w);
  }
}

/** A pure word's value (pattern marks kept, as evalWord gives them). */
export function evalPure(sh: Shell, w: Word): List {
  switch (w.kind) {
    case 'lit': return [w.quoted ? w.text : markLiteral(w.text)];
    case 'var': {
      const v = lookup(sh, nameOf(sh, w.name));
      if (w.sub === null) return v;
      const subs: string[] = [];
      for (const s of w.sub) for (const x of evalPure(sh, s)) subs.push(unmark(x));
      return subscript(v, subs);
    }
    case 'count': return [String(lookup(sh, nameOf(sh, w.name)).length)];
    case 'flat': return [lookup(sh, nameOf(sh, w.name)).join(' ')];
    case 'concat': {
      let acc = evalPure(sh, w.parts[0]!);
      for (let i = 1; i < w.parts.length; i++) acc = concat(acc, evalPure(sh, w.parts[i]!));
      return acc;
    }
    case 'list': {
      const out: List = [];
      for (const x of w.words) for (const s of evalPure(sh, x)) out.push(s);
      if (out.length > MAXLIST) throw new RcError(`list too long (${out.length} elements)`);
      return out;
    }
    default: throw new Error(`rc: ${w.kind} is not a pure word`);
  }
}

export function nameOf(sh: Shell, w: Word): string {
  if (w.kind === 'lit') return w.text;
  const v = evalPure(sh, w);
  if (v.length !== 1) throw new RcError('variable name not singleton!');
  return unmark(v[0]!);
}

/** $x(n) $x(n-m) $x(n-): 1-based; out of range, or not an index, selects nothing. */
export function subscript(v: List, subs: string[]): List {
  const out: List = [];
  for (const s of subs) {
    const m = /^([0-9]+)(-([0-9]*))?$/.exec(s);
    if (!m) continue;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : m[3] === '' ? v.length : Number(m[3]);
    for (let i = Math.max(lo, 1); i <= hi && i <= v.length; i++) out.push(v[i - 1]!);
  }
  return out;
}

/** Can c run without awaiting anything? (Decided once per tree node.) */
export function syncable(c: Cmd | null, memo: WeakMap<Cmd, boolean>): boolean {
  if (c === null) return true;
  const known = memo.get(c);
  if (known !== undefined) return known;
  let ok: boolean;
  switch (c.kind) {
    case 'assign': ok = pureWord(c.name) && plainWord(c.value) && syncable(c.body, memo); break;
    case 'match': ok = pureWord(c.subject) && c.patterns.every(pureWord); break;
    case 'and': case 'or': ok = syncable(c.left, memo) && syncable(c.right, memo); break;
    case 'not': ok = syncable(c.body, memo); break;
    case 'seq': ok = c.cmds.every((x) => syncable(x, memo)); break;
    case 'block': ok = c.redirs.length === 0 && syncable(c.body, memo); break;
    case 'if': ok = syncable(c.cond, memo) && syncable(c.body, memo); break;
    case 'ifnot': ok = syncable(c.body, memo); break;
    case 'for': ok = pureWord(c.name) && (c.list === null || c.list.every(plainWord)) && syncable(c.body, memo); break;
    case 'switch': ok = pureWord(c.subject) && c.cases.every((k) => k.patterns.every(pureWord) && k.body.every((x) => syncable(x, memo))); break;
    case 'fndef': case 'fndel': ok = c.names.every(plainWord); break;
    default: ok = false;
  }
  memo.set(c, ok);
  return ok;
}

/** Run a syncable command (the same semantics as Shell.exec, without awaiting). */
export function execSync(sh: Shell, c: Cmd | null): void {
  if (c === null) return;
  switch (c.kind) {
    case 'assign': {
      const name = nameOf(sh, c.name);
      const value = evalPure(sh, c.value).map(unmark);
      if (c.body === null || isBareAssign(c.body)) {
        if (name === 'status') sh.status = value.join(' ');
        else sh.vars.set(name, value);
        execSync(sh, c.body);
        return;
      }
      const pop = sh.vars.push(new Map([[name, value]]));
      try { execSync(sh, c.body); } finally { pop(); }
      return;
    }
    case 'match': {
      const subject = evalPure(sh, c.subject).map(unmark);
      const pats: List = [];
      for (const p of c.patterns) for (const x of evalPure(sh, p)) pats.push(x);
      sh.status = matches(subject, pats) ? '' : 'no match';
      return;
    }
    case 'and': case 'or':
      execSync(sh, c.left);
      if (truth(sh.status) === (c.kind === 'and')) execSync(sh, c.right);
      return;
    case 'not': execSync(sh, c.body); sh.status = truth(sh.status) ? 'false' : ''; return;
    case 'seq': for (const x of c.cmds) execSync(sh, x); return;
    case 'block': execSync(sh, c.body); return;
    case 'if':
      if (c.cond) execSync(sh, c.cond); else sh.status = '';
      if (truth(sh.status)) { sh.ifnot = false; execSync(sh, c.body); sh.ifnot = false; } else sh.ifnot = true;
      return;
    case 'ifnot': if (sh.ifnot) execSync(sh, c.body); return;
    case 'for': {
      const name = nameOf(sh, c.name);
      let list: List;
      if (c.list === null) list = [...(sh.vars.get('*') ?? [])];
      else { list = []; for (const w of c.list) for (const x of evalPure(sh, w)) list.push(unmark(x)); }
      const pop = sh.vars.push(new Map<string, List>([[name, []]]));
      try { for (const v of list) { sh.vars.set(name, [v]); execSync(sh, c.body); } } finally { pop(); }
      return;
    }
    case 'switch': {
      const subject = evalPure(sh, c.subject).map(unmark);
      sh.status = '';
      for (const k of c.cases) {
        const pats: List = [];
        for (const p of k.patterns) for (const x of evalPure(sh, p)) pats.push(x);
        if (matches(subject, pats)) { for (const x of k.body) execSync(sh, x); return; }
      }
      return;
    }
    case 'fndef': for (const w of c.names) for (const n of evalPure(sh, w)) sh.vars.fns.set(unmark(n), c); sh.vars.touch(); return;
    case 'fndel': for (const w of c.names) for (const n of evalPure(sh, w)) sh.vars.fns.delete(unmark(n)); sh.vars.touch(); return;
    default: throw new Error(`rc: ${c.kind} is not syncable`);
  }
}

