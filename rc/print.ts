// Print a syntax tree back to rc source. The output re-parses to the same
// tree (modulo `line`). Carets are always explicit; braces print on one line;
// here-document bodies and marker lines follow the top-level line, as rc reads them.

import { isWordChar, KEYWORDS } from './lex.ts';
import type { Cmd, Redir, Word, HereDoc } from './tree.ts';

interface Out {
  pending: HereDoc[];
}

/** Print a script (top-level commands separated by newlines). */
export function printScript(tree: Cmd | null): string {
  const out: Out = { pending: [] };
  const s = flush(out, tree === null ? '' : seq(out, tree.kind === 'seq' ? tree.cmds : [tree], '\n'));
  return s.endsWith('\n') || s === '' ? s : endLine(s);
}

/** Print one command; here-document bodies are appended after a newline. */
export function printCmd(c: Cmd): string {
  const out: Out = { pending: [] };
  return flush(out, cmd(out, c));
}

export function printWord(w: Word): string {
  return word({ pending: [] }, w);
}

/** End a line: a trailing backslash gets a blank so it is not read as a continuation. */
function endLine(s: string): string {
  return (s.endsWith('\\') ? s + ' ' : s) + '\n';
}

/** Append pending here-document bodies (after ending the current line) to s. */
function flush(out: Out, s: string): string {
  if (out.pending.length === 0) return s;
  s = endLine(s);
  for (const d of out.pending) s += d.body + d.marker + '\n';
  out.pending.length = 0;
  return s;
}

function seq(out: Out, cmds: Cmd[], sep: '; ' | '\n'): string {
  let s = '';
  cmds.forEach((c, i) => {
    s += cmd(out, c);
    // Here-document bodies follow the top-level line (inside braces they wait for it, as rc reads them).
    if (sep === '\n' && out.pending.length > 0) {
      s = flush(out, s);
      return;
    }
    if (i === cmds.length - 1) return;
    if (sep === '\n') s = endLine(s);
    else s += c.kind === 'bg' ? ' ' : sep;
  });
  return s;
}

function braced(out: Out, body: Cmd | null): string {
  if (body === null) return '{}';
  return '{' + seq(out, body.kind === 'seq' ? body.cmds : [body], '; ') + '}';
}

function quote(text: string): string {
  return `'${text.replaceAll('\'', '\'\'')}'`;
}

function lit(text: string, quoted: boolean): string {
  if (quoted || text === '' || [...text].some((c) => !isWordChar(c))) return quote(text);
  return text;
}

function word(out: Out, w: Word): string {
  switch (w.kind) {
    case 'lit':
      return lit(w.text, w.quoted);
    case 'var':
      // a name starting with `"` needs a blank, or `$"` would read as the flatten operator
      return '$' + (w.name.kind === 'lit' && !w.name.quoted && w.name.text.startsWith('"') ? ' ' : '') + word(out, w.name) + (w.sub === null ? '' : '(' + words(out, w.sub) + ')');
    case 'count':
      return '$#' + word(out, w.name);
    case 'flat':
      return '$"' + word(out, w.name);
    case 'concat':
      return w.parts.map((p) => word(out, p)).join('^');
    case 'backquote':
      return '`' + (w.ifs === null ? '' : word(out, w.ifs)) + braced(out, w.body);
    case 'list':
      return '(' + words(out, w.words) + ')';
    case 'pipefd':
      return w.dir + braced(out, w.body);
  }
}

function words(out: Out, ws: Word[]): string {
  return ws.map((w) => word(out, w)).join(' ');
}

/** the first word of a simple command or an assignment name must not read as a keyword */
function firstWord(out: Out, w: Word): string {
  if (w.kind === 'lit' && !w.quoted && KEYWORDS.has(w.text)) return quote(w.text);
  return word(out, w);
}

function redir(out: Out, r: Redir): string {
  switch (r.kind) {
    case 'file': {
      const dflt = r.op === '<' || r.op === '<>' ? 0 : 1;
      const t = word(out, r.target);
      const gap = r.fd === dflt && '[<>{'.includes(t[0] ?? '') ? ' ' : '';
      return r.op + (r.fd === dflt ? '' : `[${r.fd}]`) + gap + t;
    }
    case 'dup':
      return `${r.op}[${r.fd}=${r.from}]`;
    case 'close':
      return `${r.op}[${r.fd}=]`;
    case 'here':
      out.pending.push(r);
      return '<<' + (r.fd === 0 ? (r.marker.startsWith('[') ? ' ' : '') : `[${r.fd}]`) + (r.quoted ? quote(r.marker) : r.marker);
  }
}

function cmd(out: Out, c: Cmd): string {
  switch (c.kind) {
    case 'simple':
      return [firstWord(out, c.words[0] as Word), ...c.words.slice(1).map((w) => word(out, w)), ...c.redirs.map((r) => redir(out, r))].join(' ');
    case 'block':
      return [braced(out, c.body), ...c.redirs.map((r) => redir(out, r))].join(' ');
    case 'subshell':
      return '@ ' + cmd(out, c.body);
    case 'not':
      return '! ' + cmd(out, c.body);
    case 'and':
    case 'or':
      return cmd(out, c.left) + (c.kind === 'and' ? ' && ' : ' || ') + cmd(out, c.right);
    case 'pipe': {
      const op = c.fdLeft === 1 && c.fdRight === 0 ? '|' : c.fdRight === 0 ? `|[${c.fdLeft}]` : `|[${c.fdRight}=${c.fdLeft}]`;
      return cmd(out, c.left) + ` ${op} ` + cmd(out, c.right);
    }
    case 'seq':
      return braced(out, c);
    case 'bg':
      return cmd(out, c.body) + ' &';
    case 'if':
      return 'if(' + body(out, c.cond) + ') ' + cmd(out, c.body);
    case 'ifnot':
      return 'if not ' + cmd(out, c.body);
    case 'for':
      return 'for(' + word(out, c.name) + (c.list === null ? '' : ' in' + c.list.map((w) => ' ' + word(out, w)).join('')) + ') ' + cmd(out, c.body);
    case 'while':
      return 'while(' + body(out, c.cond) + ') ' + cmd(out, c.body);
    case 'switch': {
      const parts = c.cases.map((k) => {
        const head = ['case', ...k.patterns.map((w) => word(out, w))].join(' ');
        return k.body.length === 0 ? head : head + '; ' + seq(out, k.body, '; ');
      });
      return 'switch ' + word(out, c.subject) + ' {' + parts.join('; ') + '}';
    }
    case 'match':
      return ['~', word(out, c.subject), ...c.patterns.map((w) => word(out, w))].join(' ');
    case 'fndef':
      return 'fn ' + words(out, c.names) + ' ' + braced(out, c.body);
    case 'fndel':
      return 'fn ' + words(out, c.names);
    case 'assign':
      return firstWord(out, c.name) + '=' + word(out, c.value) + (c.body === null ? '' : ' ' + cmd(out, c.body));
    case 'redir':
      return redir(out, c.redir) + (c.body === null ? '' : ' ' + cmd(out, c.body));
  }
}

function body(out: Out, c: Cmd | null): string {
  if (c === null) return '';
  return seq(out, c.kind === 'seq' ? c.cmds : [c], '; ');
}
