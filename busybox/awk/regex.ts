// awk's regular expressions through busybox/regexp.ts. awk's escapes are resolved first: \t
// \r \f \v \b \a \/ \" and \ddd become the byte (quoted again when it is an operator), \n is
// left for the translator; every other \c stays, meaning c itself. ERE's + ? | ( ) are
// Plan 9 operators already; { } are literal, as in mawk and the one true awk.
// Compiled expressions are kept per interpreter: a dynamic regexp in a loop compiles once.

import { regexp } from '../regexp.ts';

const ESC: Record<string, string> = { t: '\t', r: '\r', f: '\f', v: '\v', b: '\b', a: '\x07', '/': '/', '"': '"' };
const OPERATORS = '.[]()*+?|^$\\';

export function awkToPlan9(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch !== '\\' || i + 1 >= src.length) { out += ch; continue; }
    const n = src[++i]!;
    let lit: string | undefined = ESC[n];
    if (n >= '0' && n <= '7') {
      let oct = n;
      while (oct.length < 3 && src[i + 1] !== undefined && src[i + 1]! >= '0' && src[i + 1]! <= '7') oct += src[++i];
      lit = String.fromCharCode(parseInt(oct, 8) & 255);
    }
    if (lit === undefined) out += '\\' + n;
    else out += OPERATORS.includes(lit) ? '\\' + lit : lit;
  }
  return out;
}

/** A cache of compiled expressions: plain ones for tests, global ones for scanning. */
export class RegexCache {
  readonly #plain = new Map<string, RegExp>();
  readonly #global = new Map<string, RegExp>();

  get(src: string): RegExp {
    let re = this.#plain.get(src);
    if (!re) {
      re = regexp(awkToPlan9(src)); // a risky expression runs in linear time (regexp.ts exec)
      if (this.#plain.size > 500) this.#plain.clear();
      this.#plain.set(src, re);
    }
    return re;
  }

  /** With the g flag, for lastIndex scans (gsub, split, match positions). */
  global(src: string): RegExp {
    let re = this.#global.get(src);
    if (!re) {
      re = regexp(awkToPlan9(src), {}, 'g');
      if (this.#global.size > 500) this.#global.clear();
      this.#global.set(src, re);
    }
    return re;
  }
}
