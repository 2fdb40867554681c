// Deparse a tree the way Plan 9's rc prints functions (pcmd.c): what `whatis` shows and
// what fn#NAME holds in the environment. Compact: `;` and `|` without blanks,
// redirections before the command, `if(c)cmd`, `while (c)cmd`. printCmd (print.ts) is the
// readable, round-tripping printer; this one is for matching rc's output byte for byte.

import type { Cmd, FnDef, Redir, Word } from './tree.ts';

function q(s: string): string { return `'${s.replaceAll('\'', '\'\'')}'`; }

export function deparseWord(w: Word): string {
  switch (w.kind) {
    case 'lit': return w.quoted ? q(w.text) : w.text;
    case 'var': return '$' + deparseWord(w.name) + (w.sub === null ? '' : `(${w.sub.map(deparseWord).join(' ')})`);
    case 'count': return '$#' + deparseWord(w.name);
    case 'flat': return '$"' + deparseWord(w.name);
    case 'concat': return w.parts.map(deparseWord).join('^');
    case 'backquote': return '`' + (w.ifs ? deparseWord(w.ifs) : '') + braced(w.body);
    case 'list': return `(${w.words.map(deparseWord).join(' ')})`;
    case 'pipefd': return w.dir + braced(w.body);
  }
}

function braced(c: Cmd | null): string { return `{${c ? seq(c) : ''}}`; }

function seq(c: Cmd): string { return c.kind === 'seq' ? c.cmds.map(deparse).join(';') : deparse(c); }

/** A redirection as a prefix of rest (rc prints them before the command). */
function redir(r: Redir, rest: string): string {
  switch (r.kind) {
    case 'dup': return `${r.op}[${r.fd}=${r.from}]${rest}`;
    case 'close': return `${r.op}[${r.fd}=]${rest}`;
    case 'here': return `<<${r.fd !== 0 ? `[${r.fd}]` : ''}${r.quoted ? q(r.marker) : r.marker}${rest ? ' ' + rest : ''}`;
    case 'file': {
      const dflt = r.op === '<' || r.op === '<>' ? 0 : 1;
      return `${r.op}${r.fd !== dflt ? `[${r.fd}]` : ''}${deparseWord(r.target)}${rest ? ' ' + rest : ''}`;
    }
  }
}

function withRedirs(redirs: Redir[], body: string): string {
  let s = body;
  for (let i = redirs.length - 1; i >= 0; i--) s = redir(redirs[i]!, s);
  return s;
}

export function deparse(c: Cmd): string {
  switch (c.kind) {
    case 'simple': return withRedirs(c.redirs, c.words.map(deparseWord).join(' '));
    case 'block': return withRedirs(c.redirs, braced(c.body));
    case 'redir': return redir(c.redir, c.body ? deparse(c.body) : '');
    case 'subshell': return '@ ' + deparse(c.body);
    case 'not': return '! ' + deparse(c.body);
    case 'and': return `${deparse(c.left)} && ${deparse(c.right)}`;
    case 'or': return `${deparse(c.left)} || ${deparse(c.right)}`;
    case 'pipe': {
      const fds = c.fdRight === 0 ? (c.fdLeft !== 1 ? `[${c.fdLeft}]` : '') : `[${c.fdLeft}=${c.fdRight}]`;
      return `${deparse(c.left)}|${fds}${deparse(c.right)}`;
    }
    case 'seq': return c.cmds.map(deparse).join(';');
    case 'bg': return deparse(c.body) + '&';
    case 'if': return `if(${c.cond ? seq(c.cond) : ''})${deparse(c.body)}`;
    case 'ifnot': return 'if not ' + deparse(c.body);
    case 'while': return `while (${c.cond ? seq(c.cond) : ''})${deparse(c.body)}`;
    case 'for': return `for(${deparseWord(c.name)}${c.list === null ? '' : ' in ' + c.list.map(deparseWord).join(' ')})${deparse(c.body)}`;
    case 'switch': {
      const parts = c.cases.flatMap((k) => [['case', ...k.patterns.map(deparseWord)].join(' '), ...k.body.map(deparse)]);
      // switch(a b) parses its parentheses as a list word: they are printed once.
      const subj = c.subject.kind === 'list' ? c.subject.words.map(deparseWord).join(' ') : deparseWord(c.subject);
      return `switch (${subj}) {${parts.join(';')}}`;
    }
    case 'match': return ['~', deparseWord(c.subject), ...c.patterns.map(deparseWord)].join(' ');
    case 'fndef': return `fn ${c.names.map(deparseWord).join(' ')} ${braced(c.body)}`;
    case 'fndel': return `fn ${c.names.map(deparseWord).join(' ')} `;
    case 'assign': return `${deparseWord(c.name)}=${deparseWord(c.value)}${c.body ? ' ' + deparse(c.body) : ''}`;
  }
}

/** A function's body as rc exports it in fn#NAME: `{...}`. */
export function deparseFnBody(f: FnDef): string { return braced(f.body); }

/** `fn NAME {...}`, as whatis prints it. */
export function deparseFn(name: string, f: FnDef): string { return `fn ${name} ${deparseFnBody(f)}`; }
