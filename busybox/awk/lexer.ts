// The awk lexer: program text (a byte string) to tokens. A '/' starts a regular expression
// where an operand may begin, and is division after one (POSIX's lexical convention). A name
// written right against '(' is a function call (FUNC_NAME), as POSIX requires for user
// functions. Newlines are tokens, except after the tokens that let a statement go on
// (, { && || do else), and a backslash-newline joins lines. Comments run from # to the end.

export type TokType =
  | 'num' | 'str' | 'ere' | 'name' | 'funcname' | 'builtin' | 'newline' | 'eof'
  | 'BEGIN' | 'END' | 'function' | 'if' | 'else' | 'while' | 'for' | 'do' | 'break' | 'continue'
  | 'next' | 'nextfile' | 'exit' | 'return' | 'delete' | 'in' | 'getline' | 'print' | 'printf'
  | '{' | '}' | '(' | ')' | '[' | ']' | ';' | ',' | '+' | '-' | '*' | '/' | '%' | '^' | '!' | '>' | '<'
  | '|' | '?' | ':' | '~' | '$' | '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '^=' | '==' | '<=' | '>='
  | '!=' | '++' | '--' | '&&' | '||' | '>>' | '!~';

export interface Token {
  t: TokType;
  /** The name, string (escapes done), regular expression source, or number text. */
  v: string;
  line: number;
}

export class AwkSyntaxError extends Error {
  constructor(msg: string, line: number) { super(`syntax error at source line ${line}: ${msg}`); this.name = 'AwkSyntaxError'; }
}

const KEYWORDS = new Set(['BEGIN', 'END', 'function', 'func', 'if', 'else', 'while', 'for', 'do', 'break', 'continue', 'next', 'nextfile', 'exit', 'return', 'delete', 'in', 'getline', 'print', 'printf']);

export const BUILTINS = new Set(['length', 'substr', 'index', 'split', 'sub', 'gsub', 'match', 'sprintf', 'sin', 'cos', 'atan2', 'exp', 'log', 'sqrt', 'int', 'rand', 'srand', 'tolower', 'toupper', 'system', 'close', 'fflush']);

/** Operators, longest first so that '**=' wins over '**' and '*'. */
const OPS: Array<[string, TokType]> = [
  ['**=', '^='], ['&&', '&&'], ['||', '||'], ['++', '++'], ['--', '--'], ['+=', '+='], ['-=', '-='], ['*=', '*='],
  ['/=', '/='], ['%=', '%='], ['^=', '^='], ['==', '=='], ['<=', '<='], ['>=', '>='], ['!=', '!='], ['!~', '!~'],
  ['>>', '>>'], ['**', '^'], ['{', '{'], ['}', '}'], ['(', '('], [')', ')'], ['[', '['], [']', ']'], [';', ';'],
  [',', ','], ['+', '+'], ['-', '-'], ['*', '*'], ['/', '/'], ['%', '%'], ['^', '^'], ['!', '!'], ['>', '>'],
  ['<', '<'], ['|', '|'], ['?', '?'], [':', ':'], ['~', '~'], ['$', '$'], ['=', '='],
];

/** Tokens after which a newline is only white space. */
const CONTINUES = new Set<TokType>([',', '{', '&&', '||', 'do', 'else']);

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', a: '\x07', '\\': '\\', '"': '"', '/': '/' };

/** The escapes of a string literal or a -v value: \n \t \" \\ \/ \ddd; any other \c is c. */
export function unescape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch !== '\\' || i + 1 >= s.length) { out += ch; continue; }
    const n = s[++i]!;
    if (n >= '0' && n <= '7') {
      let oct = n;
      while (oct.length < 3 && s[i + 1] !== undefined && s[i + 1]! >= '0' && s[i + 1]! <= '7') oct += s[++i];
      out += String.fromCharCode(parseInt(oct, 8) & 255);
    } else out += ESCAPES[n] ?? n;
  }
  return out;
}

/** Whether a '/' here would start a regular expression: no operand has just ended. */
function regexAllowed(prev: Token | undefined): boolean {
  if (!prev) return true;
  switch (prev.t) {
    case 'num': case 'str': case 'ere': case 'name': case ')': case ']': case '++': case '--': case '$': return false;
    case 'builtin': return prev.v !== 'length';
    default: return true;
  }
}

export function lex(src: string): Token[] {
  const toks: Token[] = [];
  let line = 1;
  let i = 0;
  const push = (t: TokType, v: string): void => { toks.push({ t, v, line }); };
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\r') { i++; continue; }
    if (ch === '\\' && src[i + 1] === '\n') { i += 2; line++; continue; }
    if (ch === '\\' && src[i + 1] === '\r' && src[i + 2] === '\n') { i += 3; line++; continue; }
    if (ch === '#') { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (ch === '\n') {
      const prev = toks.at(-1);
      if (prev && !CONTINUES.has(prev.t) && prev.t !== 'newline') push('newline', '');
      line++;
      i++;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      let raw = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\n') throw new AwkSyntaxError('newline in string', line);
        if (src[j] === '\\' && j + 1 < src.length) {
          if (src[j + 1] === '\n') { j += 2; line++; continue; }
          raw += src[j]! + src[j + 1]!;
          j += 2;
          continue;
        }
        raw += src[j++];
      }
      if (j >= src.length) throw new AwkSyntaxError('non-terminated string', line);
      push('str', unescape(raw));
      i = j + 1;
      continue;
    }
    if (ch === '/' && regexAllowed(toks.at(-1))) {
      let j = i + 1;
      let re = '';
      let bracket = false;
      while (j < src.length && (src[j] !== '/' || bracket)) {
        const c = src[j]!;
        if (c === '\n') throw new AwkSyntaxError('newline in regex', line);
        if (c === '\\' && j + 1 < src.length) { re += c + src[j + 1]!; j += 2; continue; }
        // A '/' inside [...] does not end the expression ([]...] and [^]...] hold a ']').
        if (c === '[' && !bracket) {
          bracket = true;
          re += c;
          j++;
          if (src[j] === '^') re += src[j++];
          if (src[j] === ']') re += src[j++];
          continue;
        }
        if (c === '[' && src[j + 1] === ':') {
          const close = src.indexOf(':]', j + 2);
          if (close > 0) { re += src.slice(j, close + 2); j = close + 2; continue; }
        }
        if (c === ']') bracket = false;
        re += c;
        j++;
      }
      if (j >= src.length) throw new AwkSyntaxError('non-terminated regular expression', line);
      push('ere', re);
      i = j + 1;
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(src.slice(i, i + 400));
    if (num) { push('num', num[0]); i += num[0].length; continue; }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 400));
    if (name) {
      const w = name[0];
      i += w.length;
      if (KEYWORDS.has(w)) push(w === 'func' ? 'function' : (w as TokType), w);
      else if (BUILTINS.has(w)) push('builtin', w);
      else push(src[i] === '(' ? 'funcname' : 'name', w);
      continue;
    }
    const op = OPS.find(([s]) => src.startsWith(s, i));
    if (!op) throw new AwkSyntaxError(`unexpected character '${ch}'`, line);
    push(op[1], op[0]);
    i += op[0].length;
  }
  push('newline', '');
  push('eof', '');
  return toks;
}
