// The awk syntax tree the parser builds and the interpreter walks. Names are resolved by the
// parser: a variable is a function's local (its index in the frame) or a global (by name).

/** Where a variable lives: a local slot of the running function, or a global by name. */
export interface VarRef {
  k: 'var';
  name: string;
  /** Index among the function's parameters; -1 for a global. */
  local: number;
}

export interface IndexRef {
  k: 'index';
  arr: VarRef;
  subs: Expr[];
}

export interface FieldRef {
  k: 'field';
  e: Expr;
}

export type LValue = VarRef | IndexRef | FieldRef;

export type AssignOp = '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '^=';
export type ArithOp = '+' | '-' | '*' | '/' | '%' | '^';
export type CmpOp = '<' | '<=' | '==' | '!=' | '>' | '>=';

export type Expr =
  | LValue
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  /** A regular expression literal: alone, it means $0 ~ /re/. */
  | { k: 'regex'; src: string }
  | { k: 'group'; e: Expr }
  | { k: 'assign'; op: AssignOp; target: LValue; e: Expr }
  | { k: 'cond'; c: Expr; a: Expr; b: Expr }
  | { k: 'and' | 'or'; l: Expr; r: Expr }
  | { k: 'not' | 'neg' | 'plus'; e: Expr }
  | { k: 'arith'; op: ArithOp; l: Expr; r: Expr }
  | { k: 'cmp'; op: CmpOp; l: Expr; r: Expr }
  | { k: 'match'; neg: boolean; l: Expr; re: Expr }
  | { k: 'concat'; l: Expr; r: Expr }
  | { k: 'in'; subs: Expr[]; arr: VarRef }
  | { k: 'incr'; delta: 1 | -1; prefix: boolean; target: LValue }
  | { k: 'call'; name: string; args: Expr[]; line: number }
  | { k: 'builtin'; name: string; args: Expr[] }
  /** getline [target] [< file] and cmd | getline [target]. */
  | { k: 'getline'; target: LValue | undefined; file: Expr | undefined; cmd: Expr | undefined };

export interface Redirect {
  mode: '>' | '>>' | '|';
  e: Expr;
}

export type Stmt =
  | { k: 'expr'; e: Expr }
  | { k: 'print' | 'printf'; args: Expr[]; dest: Redirect | undefined }
  | { k: 'if'; c: Expr; then: Stmt; else: Stmt | undefined }
  | { k: 'while'; c: Expr; body: Stmt }
  | { k: 'do'; body: Stmt; c: Expr }
  | { k: 'for'; init: Expr | undefined; c: Expr | undefined; step: Expr | undefined; body: Stmt }
  | { k: 'forin'; v: LValue; arr: VarRef; body: Stmt }
  | { k: 'block'; body: Stmt[] }
  | { k: 'next' | 'nextfile' | 'break' | 'continue' }
  | { k: 'exit' | 'return'; e: Expr | undefined }
  | { k: 'delete'; arr: VarRef; subs: Expr[] | undefined };

export interface Item {
  /** No pattern: every record. */
  pattern: Expr | undefined;
  /** pat1, pat2: from a record matching the first to one matching the second. */
  end: Expr | undefined;
  /** No action: print $0. */
  action: Stmt[] | undefined;
}

export interface Func {
  name: string;
  params: string[];
  body: Stmt[];
}

export interface Program {
  begin: Stmt[][];
  end: Stmt[][];
  items: Item[];
  funcs: Map<string, Func>;
  /** The program refers to ENVIRON (so it is worth reading /env). */
  usesEnviron: boolean;
}
