// Where our rc deliberately differs from 9base's rc, and what ours does instead. 9base runs
// on Unix, so exit statuses are numbers there; Cohesix keeps Plan 9's status strings. Each
// entry names the case, the reason, and our expected stdout (and success) when it differs.

export interface Divergence {
  reason: string;
  /** Our stdout, when it differs from 9base's. */
  out?: string;
  /** Our success (final $status empty), when it differs. */
  ok?: boolean;
}

const STATUS = 'Plan 9 keeps exit statuses as strings (`false` exits "false"); 9base on Unix turns them into numbers.';

export const DIVERGENCES: ReadonlyMap<string, Divergence> = new Map<string, Divergence>([
  ['env-export', {
    reason: 'Plan 9 /env separates list elements with NUL (9base on Unix uses \\001); our env prints NUL as a blank.',
    out: 'X=p q r\nfn#fx={echo body}\n',
  }],
  ['fn-return', {
    reason: 'rc(1) as the issue asks: `return [status]` leaves a function (9base has no return and runs it as a command).',
    out: 'in f\nback \nstatus 3\n',
  }],
  ['pipe-status', { reason: STATUS, out: '[|]\n[false|]\n[|false]\n[false|false]\n1\n' }],
  ['pipe-status-exit', {
    reason: `${STATUS} Also, 9base loses the left status of \`@{exit 3} | @{exit 4}\`; ours joins both, as rc(1) says.`,
    out: '[3|4]\n[7||9]\n[|2]\n[3|4]\n',
  }],
  ['prompt-default', { reason: 'Our default prompt names the node: `sysname% ` (Cohesix convention).', out: `2\nprompt=('cohesix% ' '\t')\n` }],
  ['status-backquote', { reason: STATUS, out: 'false\n[]\n' }],
  ['status-strings', { reason: STATUS, out: '[false]\n[]\n[5]\n[foo]\n[two words]\n' }],
]);
