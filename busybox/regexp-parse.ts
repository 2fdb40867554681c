// The parse of a Plan 9 regular expression (regexp(7)), shared by the JS translation that
// grep and addresses use (regexp.ts) and the leftmost-longest machine that sed's s uses
// (regexp-vm.ts), so both read an expression the same way.
//
//   literal   any byte but .*+?[]()|\^$ ; \c is c itself for any c, except \n (newline)
//   .         any byte but newline       [set] [^set]  ranges a-z, \ quotes inside too
//   * + ?     closures (on a closure they nest: a** is (a*)*)
//   ( ) |     grouping (groups number by their left parenthesis), alternation;  ^ $  anchors
//
// Extensions GNU users expect: [[:alpha:]]-style classes inside brackets, and (option
// gnuEscapes) GNU BRE's \( \) \| \+ \? as operators too, \{n,m\} intervals, and a * with
// nothing before it taken as a literal. Inputs are byte strings, so every char is below 256.

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

/**
 * A parsed expression. A set is one byte from a table (a literal, ., a bracket), with the JS
 * source the translation writes for it; repeat is a GNU interval, src its JS braces.
 */
export type Node =
  | { t: 'set'; js: string; bytes: Uint8Array }
  | { t: 'bol' }
  | { t: 'eol' }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'group'; n: number; body: Node }
  | { t: 'close'; op: '*' | '+' | '?'; body: Node }
  | { t: 'repeat'; min: number; max: number | undefined; src: string; body: Node };

export interface Parsed {
  root: Node;
  /** How many groups: \1..\N refer to them. */
  groups: number;
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

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || isLetter(c);
}

function table(ranges: Array<[number, number]>, negate: boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (const [lo, hi] of ranges) t.fill(1, lo, hi + 1);
  if (negate) {
    for (let c = 0; c < 256; c++) t[c] = t[c] ? 0 : 1;
    t[10] = 0; // a Plan 9 negated class never matches newline
  }
  return t;
}

/** One literal byte: as JS source, and its table (both cases with icase). */
function literal(c: number, icase: boolean): Node {
  if (icase && isLetter(c)) {
    const up = c & ~32, low = c | 32;
    return { t: 'set', js: `[${String.fromCharCode(up)}${String.fromCharCode(low)}]`, bytes: table([[up, up], [low, low]], false) };
  }
  return { t: 'set', js: isAlnum(c) ? String.fromCharCode(c) : hex(c), bytes: table([[c, c]], false) };
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

/** Parse a bracket expression starting after '['; returns the set and the index after ']'. */
function bracket(re: string, i: number, icase: boolean): { node: Node; end: number } {
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
    const lo = ch.charCodeAt(0);
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
  // An empty set matches nothing.
  const js = negate ? `[^\\n${body}]` : body ? `[${body}]` : '[^\\s\\S]';
  return { node: { t: 'set', js, bytes: table(ranges, negate) }, end: i };
}

/** An operator at i (GNU's \c spellings count with gnuEscapes), and how many chars it takes. */
function operatorAt(re: string, i: number, gnu: boolean): { ch: string; step: number } | undefined {
  const c = re[i]!;
  if (c === '\\' && gnu && i + 1 < re.length && GNU_OPS.includes(re[i + 1]!)) return { ch: re[i + 1]!, step: 2 };
  return '()|*+?'.includes(c) ? { ch: c, step: 1 } : undefined;
}

const closable = (n: Node | undefined): n is Node => n !== undefined && n.t !== 'bol' && n.t !== 'eol';

class Parser {
  readonly re: string;
  readonly icase: boolean;
  readonly gnu: boolean;
  i = 0;
  groups = 0;
  constructor(re: string, opts: RegexpOptions) {
    this.re = re;
    this.icase = opts.icase ?? false;
    this.gnu = opts.gnuEscapes ?? false;
  }

  /** Alternatives up to the end or a ) (left for the caller). */
  alt(depth: number): Node {
    const alts = [this.cat(depth)];
    for (;;) {
      const op = this.i < this.re.length ? operatorAt(this.re, this.i, this.gnu) : undefined;
      if (op?.ch !== '|') break;
      this.i += op.step;
      alts.push(this.cat(depth));
    }
    return alts.length === 1 ? alts[0]! : { t: 'alt', alts };
  }

  cat(depth: number): Node {
    const { re } = this;
    const items: Node[] = [];
    while (this.i < re.length) {
      const i = this.i;
      const op = operatorAt(re, i, this.gnu);
      if (op?.ch === '|') break;
      if (op?.ch === ')') {
        if (depth === 0) throw new RegexpError('unmatched `)\'');
        break;
      }
      const last = items[items.length - 1];
      // GNU basic intervals, \{n\}, \{n,\}, \{n,m\} (scripts written for GNU use them).
      if (this.gnu && re[i] === '\\' && re[i + 1] === '{') {
        const close = re.indexOf('\\}', i + 2);
        const m = close < 0 ? null : /^(\d+)(,(\d*))?$/.exec(re.slice(i + 2, close));
        if (!m) throw new RegexpError('malformed \\{\\}');
        if (m[3] && Number(m[3]) < Number(m[1])) throw new RegexpError('malformed \\{\\}');
        if (!closable(last)) throw new RegexpError('missing operand for \\{');
        const max = m[2] === undefined ? Number(m[1]) : m[3] ? Number(m[3]) : undefined;
        items[items.length - 1] = { t: 'repeat', min: Number(m[1]), max, src: `{${m[1]}${m[2] === undefined ? '' : `,${m[3]}`}}`, body: last };
        this.i = close + 2;
        continue;
      }
      if (op && (op.ch === '*' || op.ch === '+' || op.ch === '?')) {
        if (closable(last)) {
          items[items.length - 1] = { t: 'close', op: op.ch, body: last };
          this.i += op.step;
          continue;
        }
        // In GNU basic syntax a * with nothing before it is itself (`grep '*a'`).
        if (!(op.ch === '*' && op.step === 1 && this.gnu)) throw new RegexpError(`missing operand for ${op.ch}`);
      } else if (op?.ch === '(') {
        this.i += op.step;
        const n = ++this.groups;
        const body = this.alt(depth + 1);
        if (this.i >= re.length) throw new RegexpError('unmatched `(\'');
        this.i += operatorAt(re, this.i, this.gnu)!.step;
        items.push({ t: 'group', n, body });
        continue;
      }
      items.push(this.atom());
    }
    return items.length === 1 ? items[0]! : { t: 'cat', items };
  }

  /** A literal, ., a bracket or an anchor at i (a lone * in GNU syntax included). */
  atom(): Node {
    const { re, i } = this;
    const ch = re[i]!;
    this.i++;
    switch (ch) {
      case '^': return { t: 'bol' };
      case '$': return { t: 'eol' };
      case '.': return { t: 'set', js: '[^\\n]', bytes: table([[10, 10]], true) };
      case '[': {
        const b = bracket(re, i + 1, this.icase);
        this.i = b.end;
        return b.node;
      }
      case '\\': {
        if (i + 1 >= re.length) throw new RegexpError('trailing \\');
        const n = re[i + 1]!;
        this.i++;
        return n === 'n' ? { t: 'set', js: '\\n', bytes: table([[10, 10]], false) } : literal(n.charCodeAt(0), this.icase);
      }
      default: return literal(ch.charCodeAt(0), this.icase);
    }
  }
}

/** Parse a Plan 9 regular expression (a byte string). */
export function parse(re: string, opts: RegexpOptions = {}): Parsed {
  const p = new Parser(re, opts);
  const root = p.alt(0);
  return { root, groups: p.groups };
}
