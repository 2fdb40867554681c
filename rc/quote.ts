// rc quoting for output that must read back as the same word (whatis, flag x, fn#NAME).

import { isWordChar, KEYWORDS } from './lex.ts';

export function quoteWord(s: string): string {
  if (s !== '' && !KEYWORDS.has(s) && [...s].every((c) => isWordChar(c) && c !== '*' && c !== '?' && c !== '[')) return s;
  return `'${s.replaceAll('\'', '\'\'')}'`;
}
