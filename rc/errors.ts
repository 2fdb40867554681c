// The parser's single error type.
//
// Message format (documented, stable): `rc:LINE: DETAIL near 'TOKEN'`,
// e.g. `rc:3: syntax error near ')'`. A newline token is shown as `\n`,
// end of input as `EOF`. DETAIL is `syntax error` unless a more specific
// reason applies (e.g. `redirection syntax`, `case missing in switch`).
// `incomplete` is true when the input ended too early (open brace or paren,
// unterminated quote, pending here document, trailing `&&`, ...): an
// interactive shell should read another line and retry.

export class RcSyntaxError extends Error {
  readonly line: number;
  readonly near: string;
  readonly incomplete: boolean;
  constructor(line: number, near: string, incomplete: boolean, detail = 'syntax error') {
    super(`rc:${line}: ${detail} near '${near}'`);
    this.name = 'RcSyntaxError';
    this.line = line;
    this.near = near;
    this.incomplete = incomplete;
  }
}
