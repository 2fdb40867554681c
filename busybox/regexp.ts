// Plan 9 regular expressions (regexp(7)) translated to JS RegExp source, for grep and sed.
//
//   literal   any byte but .*+?[]()|\^$ ; \c is c itself for any c, except \n (newline)
//   .         any byte but newline       [set] [^set]  ranges a-z, \ quotes inside too
//   * + ?     closures (on a closure they nest: a** is (a*)*, never JS's lazy a*?)
//   ( ) |     grouping (groups capture, for sed's \1..\9), alternation;  ^ $  anchors
//
// Everything else JS would read specially ({ } / and every backslash sequence) is emitted as
// a \xHH literal. Extensions GNU users expect: [[:alpha:]]-style classes inside brackets, and
// (option gnuEscapes, what grep and sed use without -E) GNU BRE's spellings \( \) \| \+ \?
// of the same operators, so Linux scripts such as s/\(.*\)x/\1/ work; a literal is then [(].
// Matching is JS's (leftmost, first alternative), not Plan 9's leftmost-longest.
// Inputs are byte strings (see io.ts), so every char is below 256.

/** Thrown for a malformed expression; the message is Plan 9's regerror wording. */
export class RegexpError extends Error {
  constructor(msg: string) { super(msg); this.name = 'RegexpError'; }
}

export interface RegexpOptions {
  /** Fold ASCII case (grep -i). Only ASCII letters fold, as in the C locale. */
  icase?: boolean;
  /** \( \) \| \+ \? are operators too (GNU BRE habits); otherwise \c is always c. */
  gnuEscapes?: boolean;
}

const GNU_OPS = '()|+?';

const CLASSES: Record<string, Array<[number, number]>> = {
  alpha: [[65, 90], [97, 122]], upper: [[65, 90]], lower: [[97, 122]], digit: [[48, 57]],
  alnum: [[48, 57], [65, 90], [97, 122]], space: [[9, 13], [32, 32]], blank: [[9, 9], [32, 32]],
  punct: [[33, 47], [58, 64], [91, 96], [123, 126]], print: [[32, 126]], graph: [[33, 126]],
  cntrl: [[0, 31], [127, 127]], xdigit: [[48, 57], [65, 70], [97, 102]],
};

/** The ranges of a POSIX class name, for tr too. */
export function classRanges(name: string): Array<[number, number]> | undefined {
  return CLASSES[name];
}

const hex = (c: number): string => `\\x${c.toString(16).padStart(2, '0')}`;

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** One literal byte as JS source. */
function literal(c: number, icase: boolean): string {
  if (icase && ((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return `[${String.fromCharCode(c & ~32)}${String.fromCharCode(c | 32)}]`;
  return isAlnum(c) ? String.fromCharCode(c) : hex(c);
}

/** Add the other case of the ASCII letters in [lo, hi]. */
function folded(lo: number, hi: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const a = Math.max(lo, 65), b = Math.min(hi, 90);
  if (a <= b) out.push([a + 32, b + 32]);
  const x = Math.max(lo, 97), y = Math.min(hi, 122);
  if (x <= y) out.push([x - 32, y - 32]);
  return out;
}

/** Parse a bracket expression starting after '['; returns JS source and the index after ']'. */
function bracket(re: string, i: number, icase: boolean): { src: string; end: number } {
  let negate = false;
  if (re[i] === '^') { negate = true; i++; }
  const ranges: Array<[number, number]> = [];
  let first = true;
  for (;;) {
    if (i >= re.length) throw new RegexpError('malformed `[]\'');
    let ch = re[i]!;
    if (ch === ']' && !first) { i++; break; }
    first = false;
    if (ch === '[' && re[i + 1] === ':') {
      const close = re.indexOf(':]', i + 2);
      const cls = close < 0 ? undefined : CLASSES[re.slice(i + 2, close)];
      if (cls) { ranges.push(...cls); i = close + 2; continue; }
    }
    if (ch === '\\' && i + 1 < re.length) { i++; ch = re[i]! === 'n' ? '\n' : re[i]!; }
    let lo = ch.charCodeAt(0);
    let hi = lo;
    i++;
    if (re[i] === '-' && i + 1 < re.length && re[i + 1] !== ']') {
      let h = re[i + 1]!;
      i += 2;
      if (h === '\\' && i < re.length) { h = re[i]! === 'n' ? '\n' : re[i]!; i++; }
      hi = h.charCodeAt(0);
      if (hi < lo) throw new RegexpError('malformed `[]\'');
    }
    ranges.push([lo, hi]);
  }
  if (icase) for (const [lo, hi] of [...ranges]) ranges.push(...folded(lo, hi));
  const body = ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('');
  // A Plan 9 negated class never matches newline; an empty one matches nothing.
  if (negate) return { src: `[^\\n${body}]`, end: i };
  return { src: body ? `[${body}]` : '[^\\s\\S]', end: i };
}

/** Translate a Plan 9 regular expression (a byte string) to JS RegExp source. */
export function translate(re: string, opts: RegexpOptions = {}): string {
  const icase = opts.icase ?? false;
  let out = '';
  // Where the last atom starts in out, and whether it is already a closure; -1: no operand.
  let atom = -1;
  let closed = false;
  const opens: number[] = [];
  for (let i = 0; i < re.length;) {
    let ch = re[i]!;
    let step = 1;
    if (ch === '\\' && opts.gnuEscapes && i + 1 < re.length && GNU_OPS.includes(re[i + 1]!)) { ch = re[i + 1]!; step = 2; }
    // GNU basic intervals, \{n\}, \{n,\}, \{n,m\} (scripts written for GNU use them).
    if (opts.gnuEscapes && ch === '\\' && re[i + 1] === '{') {
      const close = re.indexOf('\\}', i + 2);
      const m = close < 0 ? null : /^(\d+)(,(\d*))?$/.exec(re.slice(i + 2, close));
      if (!m) throw new RegexpError('malformed \\{\\}');
      if (m[3] && Number(m[3]) < Number(m[1])) throw new RegexpError('malformed \\{\\}');
      if (atom < 0) throw new RegexpError('missing operand for \\{');
      if (closed) out = `${out.slice(0, atom)}(?:${out.slice(atom)})`;
      out += `{${m[1]}${m[2] === undefined ? '' : `,${m[3]}`}}`;
      closed = true;
      i = close + 2;
      continue;
    }
    switch (ch) {
      case '*': case '+': case '?':
        // In GNU basic syntax a * with nothing before it is itself (`grep '*a'`).
        if (atom < 0 && ch === '*' && step === 1 && opts.gnuEscapes) break;
        if (atom < 0) throw new RegexpError(`missing operand for ${ch}`);
        if (closed) out = `${out.slice(0, atom)}(?:${out.slice(atom)})`;
        out += ch;
        closed = true;
        i += step;
        continue;
      case '(':
        opens.push(out.length);
        out += '(';
        atom = -1;
        i += step;
        continue;
      case ')': {
        const start = opens.pop();
        if (start === undefined) throw new RegexpError('unmatched `)\'');
        out += ')';
        atom = start;
        closed = false;
        i += step;
        continue;
      }
      case '|':
        out += '|';
        atom = -1;
        i += step;
        continue;
      case '^': case '$':
        out += ch;
        atom = -1;
        i++;
        continue;
    }
    const start = out.length;
    if (ch === '.') { out += '[^\\n]'; i++; } else if (ch === '[') {
      const b = bracket(re, i + 1, icase);
      out += b.src;
      i = b.end;
    } else if (ch === '\\') {
      if (i + 1 >= re.length) throw new RegexpError('trailing \\');
      const n = re[i + 1]!;
      out += n === 'n' ? '\\n' : literal(n.charCodeAt(0), icase);
      i += 2;
    } else {
      out += literal(ch.charCodeAt(0), icase);
      i++;
    }
    atom = start;
    closed = false;
  }
  if (opens.length) throw new RegexpError('unmatched `(\'');
  return out;
}

/** Compile a Plan 9 regular expression; flags are JS's (g for global search). */
export function regexp(re: string, opts: RegexpOptions = {}, flags = ''): RegExp {
  return new RegExp(translate(re, opts), flags);
}
