// Plan 9 regular expressions (regexp(7)) for grep, sed and awk. The syntax and its GNU
// extensions are parsed once (regexp-parse.ts); the parse is translated to JS RegExp source,
// and, for sed's s, compiled to a machine that matches as Plan 9's regexec does (regexp-vm.ts).
//
// A translation matches exactly where the Plan 9 expression does, so the JS engine answers
// whether a line matches (grep, sed's addresses). Which match it reports is JS's: the first
// alternative that matches (ab|abcd on abcd gives ab). Plan 9 takes the leftmost and then
// longest match (abcd) and reports submatches its own way; Plan9RegExp.longest gives that,
// in time linear in the input (JS backtracking is exponential on (a*)*b).
//
// Everything JS would read specially ({ } / and every backslash sequence) is emitted as a
// \xHH literal; a closure of a closure nests (a** is (?:a*)*, never JS's lazy a*?).
// Inputs are byte strings (see io.ts), so every char is below 256.

import { parse } from './regexp-parse.ts';
import type { Node, RegexpOptions } from './regexp-parse.ts';
import { compile, execute } from './regexp-vm.ts';
import type { Match, Program } from './regexp-vm.ts';

export { classRanges, RegexpError } from './regexp-parse.ts';
export type { RegexpOptions } from './regexp-parse.ts';
export type { Match } from './regexp-vm.ts';

/** JS source for a parsed expression. */
function emit(n: Node): string {
  switch (n.t) {
    case 'set': return n.js;
    case 'bol': return '^';
    case 'eol': return '$';
    case 'cat': return n.items.map(emit).join('');
    case 'alt': return n.alts.map(emit).join('|');
    case 'group': return `(${emit(n.body)})`;
    case 'close': return `${operand(n.body)}${n.op}`;
    case 'repeat': return `${operand(n.body)}${n.src}`;
  }
}

/** The operand of a closure: another closure is wrapped so JS does not read it as lazy. */
const operand = (n: Node): string => (n.t === 'close' || n.t === 'repeat' ? `(?:${emit(n)})` : emit(n));

/** Translate a Plan 9 regular expression (a byte string) to JS RegExp source. */
export function translate(re: string, opts: RegexpOptions = {}): string {
  return emit(parse(re, opts).root);
}

/**
 * A compiled Plan 9 expression: as a RegExp it is the translation (test, exec: whether and
 * where a match starts); longest gives Plan 9's match with its submatches.
 */
export class Plan9RegExp extends RegExp {
  readonly program: Program;
  readonly risky: boolean;

  constructor(source: string, flags: string, program: Program, risky = true) {
    super(source, flags);
    this.program = program;
    this.risky = risky;
  }

  // Derived RegExps (split, matchAll) are plain ones: they have no program.
  static override get [Symbol.species](): RegExpConstructor { return RegExp; }

  /**
   * For a risky expression every RegExp use (test, replace, split, matchAll: all go through
   * exec) is answered by the linear matcher, with Plan 9's leftmost-longest match; awk's
   * match, sub and gsub among them. Others are JS's own exec.
   */
  override exec(s: string): RegExpExecArray | null {
    if (!this.risky) return super.exec(s);
    const scan = this.global || this.sticky;
    const from = scan ? this.lastIndex : 0;
    const m = from <= s.length ? execute(this.program, s, from) : null;
    if (!m || (this.sticky && m.start !== from)) { if (scan) this.lastIndex = 0; return null; }
    if (scan) this.lastIndex = m.end;
    const out: string[] = [];
    for (let k = 0; 2 * k < m.caps.length; k++) {
      const a = m.caps[2 * k]!, b = m.caps[2 * k + 1]!;
      out.push(a < 0 || b < 0 ? undefined as unknown as string : s.slice(a, b));
    }
    return Object.assign(out, { index: m.start, input: s, groups: undefined }) as RegExpExecArray;
  }

  /** Plan 9's match (leftmost, then longest) starting at or after from, or null; linear time. */
  longest(s: string, from = 0): Match | null {
    return execute(this.program, s, from);
  }
}

/** Compile a Plan 9 regular expression; flags are JS's (g for global search). */
export function regexp(re: string, opts: RegexpOptions = {}, flags = ''): Plan9RegExp {
  const parsed = parse(re, opts);
  return new Plan9RegExp(emit(parsed.root), flags, compile(parsed), nestedLoop(parsed.root, false));
}

/** A loop (closure or interval) inside another, or an alternation inside one: what backtracks badly. */
function nestedLoop(n: Node, inLoop: boolean): boolean {
  switch (n.t) {
    case 'cat': return n.items.some((x) => nestedLoop(x, inLoop));
    case 'alt': return inLoop || n.alts.some((x) => nestedLoop(x, inLoop));
    case 'group': return nestedLoop(n.body, inLoop);
    case 'close': case 'repeat': return inLoop || nestedLoop(n.body, true);
    default: return false;
  }
}
