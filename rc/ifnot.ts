// rc's rule for `if not`, which Plan 9's rc checks as it compiles each command: it must come
// straight after an `if` in the same list of commands — a script's (or terminal's) successive
// lines, the commands of a brace block, or of one case of a switch. Anywhere else (first in a
// block or function, after another command, as the body of for or while) it is an error, and
// nothing of the line runs, as with a syntax error.

import { RcSyntaxError } from './errors.ts';
import type { Cmd, Redir, Word } from './tree.ts';

export const EIFNOT = "`if not' does not follow `if(...)'";

/** Check c, which follows a command ending in an `if` when prevIf; returns whether c ends in one. */
export function checkIfNot(c: Cmd | null, prevIf: boolean): boolean {
  if (c === null) return prevIf; // blank lines and comments do not separate them
  switch (c.kind) {
    case 'seq': { let p = prevIf; for (const x of c.cmds) p = checkIfNot(x, p); return p; }
    case 'if': checkIfNot(c.cond, false); checkIfNot(c.body, false); return true;
    case 'ifnot':
      if (!prevIf) throw new RcSyntaxError(c.line, 'if not', false, EIFNOT);
      return checkIfNot(c.body, false); // `if not if(...) ...` ends in an if
    case 'simple': words(c.words); redirs(c.redirs); return false;
    case 'block': checkIfNot(c.body, false); redirs(c.redirs); return false;
    case 'subshell': case 'not': case 'bg': checkIfNot(c.body, false); return false;
    case 'and': case 'or': case 'pipe': checkIfNot(c.left, false); checkIfNot(c.right, false); return false;
    case 'for': words([c.name, ...(c.list ?? [])]); checkIfNot(c.body, false); return false;
    case 'while': checkIfNot(c.cond, false); checkIfNot(c.body, false); return false;
    case 'switch':
      words([c.subject]);
      for (const k of c.cases) { words(k.patterns); let p = false; for (const x of k.body) p = checkIfNot(x, p); }
      return false;
    case 'match': words([c.subject, ...c.patterns]); return false;
    case 'fndef': words(c.names); checkIfNot(c.body, false); return false;
    case 'fndel': words(c.names); return false;
    case 'assign': words([c.name, c.value]); checkIfNot(c.body, false); return false;
    case 'redir': redirs([c.redir]); checkIfNot(c.body, false); return false;
  }
}

/** Commands inside words (`{...}, <{...}) are lists of their own. */
function words(ws: Word[]): void {
  for (const w of ws) {
    switch (w.kind) {
      case 'backquote': if (w.ifs) words([w.ifs]); checkIfNot(w.body, false); break;
      case 'pipefd': checkIfNot(w.body, false); break;
      case 'concat': words(w.parts); break;
      case 'list': words(w.words); break;
      case 'var': words([w.name, ...(w.sub ?? [])]); break;
      case 'count': case 'flat': words([w.name]); break;
      case 'lit': break;
    }
  }
}

function redirs(rs: Redir[]): void {
  for (const r of rs) if (r.kind === 'file') words([r.target]);
}
