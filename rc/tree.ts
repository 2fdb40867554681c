// Syntax tree for the Plan 9 rc shell front end.
// Every node carries `line`: the 1-based source line of its first token.

/** A word: the unit of argument/value syntax. */
export type Word =
  | Lit
  | VarRef
  | CountRef
  | FlatRef
  | Concat
  | Backquote
  | WordList
  | PipeFd;

/** Literal text. `quoted` means it came from '...' (no globbing, never a keyword). */
export interface Lit { kind: 'lit'; text: string; quoted: boolean; line: number }
/** $name or $name(subscripts). `name` is usually a Lit but may be any word atom ($$x). */
export interface VarRef { kind: 'var'; name: Word; sub: Word[] | null; line: number }
/** $#name */
export interface CountRef { kind: 'count'; name: Word; line: number }
/** $"name (value joined with spaces) */
export interface FlatRef { kind: 'flat'; name: Word; line: number }
/** a^b^c — explicit or free carets; parts has >= 2 entries, none a Concat. */
export interface Concat { kind: 'concat'; parts: Word[]; line: number }
/** `{cmd} or `ifs{cmd} */
export interface Backquote { kind: 'backquote'; ifs: Word | null; body: Cmd | null; line: number }
/** (a b c) */
export interface WordList { kind: 'list'; words: Word[]; line: number }
/** <{cmd} or >{cmd} */
export interface PipeFd { kind: 'pipefd'; dir: '<' | '>'; body: Cmd | null; line: number }

/** Redirections. `fd` is the descriptor being redirected. */
export type Redir = FileRedir | DupRedir | CloseRedir | HereDoc;
export type FileOp = '<' | '>' | '>>' | '<>';
/** >f >>f <f <>f, >[2]f <[3]f */
export interface FileRedir { kind: 'file'; op: FileOp; fd: number; target: Word; line: number }
/** >[fd=from] — fd becomes a copy of from */
export interface DupRedir { kind: 'dup'; op: '<' | '>'; fd: number; from: number; line: number }
/** >[fd=] — close fd */
export interface CloseRedir { kind: 'close'; op: '<' | '>'; fd: number; line: number }
/** <<EOF (quoted=false: $ substitution at run time) or <<'EOF' (quoted=true). body holds raw lines, each ending in \n. */
export interface HereDoc { kind: 'here'; fd: number; marker: string; quoted: boolean; body: string; line: number }

export type Cmd =
  | Simple
  | Block
  | Subshell
  | Not
  | AndOr
  | Pipe
  | Seq
  | Background
  | If
  | IfNot
  | For
  | While
  | Switch
  | Match
  | FnDef
  | FnDel
  | Assign
  | RedirCmd;

/** words[0] is the command name; redirs in source order. */
export interface Simple { kind: 'simple'; words: Word[]; redirs: Redir[]; line: number }
/** { body } with trailing redirections */
export interface Block { kind: 'block'; body: Cmd | null; redirs: Redir[]; line: number }
/** @ cmd */
export interface Subshell { kind: 'subshell'; body: Cmd; line: number }
/** ! cmd */
export interface Not { kind: 'not'; body: Cmd; line: number }
/** a && b, a || b (equal precedence, left associative) */
export interface AndOr { kind: 'and' | 'or'; left: Cmd; right: Cmd; line: number }
/** left's fd fdLeft feeds right's fd fdRight: | is 1 to 0, |[a] is a to 0, |[a=b] is b to a */
export interface Pipe { kind: 'pipe'; left: Cmd; right: Cmd; fdLeft: number; fdRight: number; line: number }
/** commands separated by ; or newline (>= 2 entries) */
export interface Seq { kind: 'seq'; cmds: Cmd[]; line: number }
/** cmd & */
export interface Background { kind: 'bg'; body: Cmd; line: number }
/** if(cond) body */
export interface If { kind: 'if'; cond: Cmd | null; body: Cmd; line: number }
/** if not body */
export interface IfNot { kind: 'ifnot'; body: Cmd; line: number }
/** for(name in list) body; list === null means for(name) (iterate $*) */
export interface For { kind: 'for'; name: Word; list: Word[] | null; body: Cmd; line: number }
/** while(cond) body */
export interface While { kind: 'while'; cond: Cmd | null; body: Cmd; line: number }
/** switch(subject){ case p1 p2; cmds ... } */
export interface Switch { kind: 'switch'; subject: Word; cases: Case[]; line: number }
export interface Case { patterns: Word[]; body: Cmd[]; line: number }
/** ~ subject patterns... */
export interface Match { kind: 'match'; subject: Word; patterns: Word[]; line: number }
/** fn name... {body} */
export interface FnDef { kind: 'fndef'; names: Word[]; body: Cmd | null; line: number }
/** fn name... (delete definitions) */
export interface FnDel { kind: 'fndel'; names: Word[]; line: number }
/** name=value body; body === null is a plain (global) assignment, otherwise local to body */
export interface Assign { kind: 'assign'; name: Word; value: Word; body: Cmd | null; line: number }
/** prefix redirection: >f cmd (body null: just the redirection, e.g. `>f` truncates f) */
export interface RedirCmd { kind: 'redir'; redir: Redir; body: Cmd | null; line: number }
