// test expr, [ expr ]: evaluate a condition; status '' when true, 'false' when not, and an
// error message (after printing it) when the expression is malformed. POSIX's rules by
// argument count come first (so `test -n` and `test ! =` mean what POSIX says), then a
// recursive parse: ! binds tightest, then -a, then -o; ( ) group.
//
//   files    -e -f -d -r -w -x -s (-h -L -p -S -b -c -t: false; there are none here)
//   strings  -z -n  = == !=      integers  -eq -ne -lt -le -gt -ge

import { DMDIR } from '../../fs/9p/constants.ts';
import type { Dir } from '../../fs/9p/fcall.ts';
import type { Sys } from '../../kernel/sys.ts';
import { command } from '../io.ts';

class TestError extends Error {}

const UNARY = new Set(['-e', '-f', '-d', '-r', '-w', '-x', '-s', '-z', '-n', '-h', '-L', '-p', '-S', '-b', '-c', '-t', '-g', '-u', '-k', '-O', '-G']);
const BINARY = new Set(['=', '==', '!=', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-a', '-o']);

function integer(s: string): bigint {
  const t = s.trim();
  if (!/^[-+]?\d+$/.test(t)) throw new TestError(`invalid integer '${s}'`);
  return BigInt(t);
}

async function statOf(sys: Sys, path: string): Promise<Dir | undefined> {
  try { return await sys.stat(path); } catch { return undefined; }
}

/** Permission for the user on d: owner bits, then group (Plan 9: a group named as the user), then other. */
function may(sys: Sys, d: Dir, bit: number): boolean {
  const shift = d.uid === sys.user ? 6 : d.gid === sys.user ? 3 : 0;
  return ((d.mode >>> shift) & bit) !== 0;
}

async function unary(sys: Sys, op: string, a: string): Promise<boolean> {
  switch (op) {
    case '-z': return a === '';
    case '-n': return a !== '';
    case '-t': integer(a); return false;
  }
  const d = await statOf(sys, a);
  if (!d) return false;
  switch (op) {
    case '-e': return true;
    case '-f': return (d.mode & DMDIR) === 0;
    case '-d': return (d.mode & DMDIR) !== 0;
    case '-s': return d.length > 0;
    case '-r': return may(sys, d, 4);
    case '-w': return may(sys, d, 2);
    case '-x': return may(sys, d, 1);
    case '-O': return d.uid === sys.user;
    case '-G': return d.gid === sys.user;
    default: return false;
  }
}

function binary(a: string, op: string, b: string): boolean {
  switch (op) {
    case '=': case '==': return a === b;
    case '!=': return a !== b;
    case '-a': return a !== '' && b !== '';
    case '-o': return a !== '' || b !== '';
  }
  const x = integer(a), y = integer(b);
  switch (op) {
    case '-eq': return x === y;
    case '-ne': return x !== y;
    case '-lt': return x < y;
    case '-le': return x <= y;
    case '-gt': return x > y;
    default: return x >= y; // -ge
  }
}

/** The general grammar, for what the counting rules do not settle. */
class Parser {
  readonly sys: Sys;
  readonly argv: string[];
  pos = 0;
  constructor(sys: Sys, argv: string[]) { this.sys = sys; this.argv = argv; }

  async expr(): Promise<boolean> {
    let v = await this.and();
    while (this.argv[this.pos] === '-o') { this.pos++; const r = await this.and(); v = v || r; }
    return v;
  }

  async and(): Promise<boolean> {
    let v = await this.term();
    while (this.argv[this.pos] === '-a') { this.pos++; const r = await this.term(); v = v && r; }
    return v;
  }

  async term(): Promise<boolean> {
    const a = this.argv;
    if (this.pos >= a.length) throw new TestError('argument expected');
    const t = a[this.pos]!;
    if (t === '!') { this.pos++; return !(await this.term()); }
    if (t === '(') {
      this.pos++;
      const v = await this.expr();
      if (a[this.pos] !== ')') throw new TestError(`')' expected`);
      this.pos++;
      return v;
    }
    // Room for a binary operator: it wins over reading t as a unary one (GNU's term()).
    const op = a[this.pos + 1];
    if (this.pos + 2 < a.length && op !== undefined && BINARY.has(op) && op !== '-a' && op !== '-o') {
      this.pos += 3;
      return binary(t, op, a[this.pos - 1]!);
    }
    if (UNARY.has(t)) {
      if (this.pos + 1 >= a.length) throw new TestError(`argument expected after ${t}`);
      this.pos += 2;
      return unary(this.sys, t, a[this.pos - 1]!);
    }
    this.pos++;
    return t !== '';
  }
}

/** Evaluate test's arguments (the ']' of '[' already removed). */
export async function evaluate(sys: Sys, a: string[]): Promise<boolean> {
  const n = a.length;
  if (n === 0) return false;
  if (n === 1) return a[0] !== '';
  if (n === 2) {
    if (a[0] === '!') return a[1] === '';
    if (UNARY.has(a[0]!)) return unary(sys, a[0]!, a[1]!);
    throw new TestError(`${a[0]}: unary operator expected`);
  }
  if (n === 3) {
    if (BINARY.has(a[1]!)) return binary(a[0]!, a[1]!, a[2]!);
    if (a[0] === '!') return !(await evaluate(sys, a.slice(1)));
    if (a[0] === '(' && a[2] === ')') return a[1] !== '';
  }
  if (n === 4) {
    if (a[0] === '!') return !(await evaluate(sys, a.slice(1)));
    if (a[0] === '(' && a[3] === ')') return evaluate(sys, a.slice(1, 3));
  }
  const p = new Parser(sys, a);
  const v = await p.expr();
  if (p.pos < n) throw new TestError(`extra argument '${a[p.pos]}'`);
  return v;
}

/** test, or [ when bracket (which wants a final ]). */
export function testProgram(name: 'test' | '[') {
  return command(name, name === '[' ? 'expr ]' : 'expr', async (c) => {
    let args = c.sys.args.slice(1);
    if (name === '[') {
      if (args.at(-1) !== ']') { await c.warn(`missing ']'`); return 'missing ]'; }
      args = args.slice(0, -1);
    }
    try {
      return (await evaluate(c.sys, args)) ? '' : 'false';
    } catch (e) {
      if (!(e instanceof TestError)) throw e;
      await c.warn(e.message);
      return e.message;
    }
  });
}

export const test = testProgram('test');
export const bracket = testProgram('[');
