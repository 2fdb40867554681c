// rc's builtin commands (rc(1)): they change the shell itself, so they run in it.
// Each returns the new $status ('' is success).

import { DMDIR } from '../fs/9p/constants.ts';
import { parse } from './parse.ts';
import { quoteWord } from './quote.ts';
import { runScript } from './script.ts';
import type { Shell } from './shell.ts';
import { RcError, RcExit, RcReturn } from './shell.ts';
import { deparseFn } from './deparse.ts';
import type { List } from './vars.ts';

export type Builtin = (sh: Shell, argv: List) => Promise<string>;

async function dot(sh: Shell, argv: List): Promise<string> {
  let args = argv.slice(1);
  if (args[0] === '-i') args = args.slice(1);
  const file = args[0];
  if (file === undefined) { await sh.err('usage: . [-i] file [arg ...]'); return 'usage'; }
  let text: string | undefined;
  let why = 'file does not exist';
  for (const p of file.includes('/') ? [file] : sh.pathCandidates(file)) {
    try { text = (await sh.sys.readFile(p)).toString('utf8'); break; } catch (e) { why = (e as Error).message; }
  }
  // Plan 9's rc: a . that cannot open its file is an error, which ends a script.
  if (text === undefined) throw new RcError(`.: can't open ${file}: ${why}`);
  const pop = sh.vars.push(new Map([['*', args.slice(1)], ['0', [file]]])); // $0 is the file while it runs, as in Plan 9
  try { await runScript(sh, text, file); } finally { pop(); }
  return sh.status;
}

async function cd(sh: Shell, argv: List): Promise<string> {
  if (argv.length > 2) { await sh.err('Usage: cd [directory]'); return 'can\'t cd'; }
  const dir = argv[1] ?? (sh.vars.get('home') ?? ['/'])[0] ?? '/';
  const rel = !dir.startsWith('/') && !dir.startsWith('./') && !dir.startsWith('../') && !dir.startsWith('#');
  const tries = rel ? (sh.vars.get('cdpath') ?? ['']).map((p) => (p === '' || p === '.' ? dir : `${p.replace(/\/+$/, '')}/${dir}`)) : [dir];
  let why = 'file does not exist';
  for (const t of tries) {
    try {
      await sh.sys.chdir(t);
      if (t !== dir && sh.interactive) await sh.write(1, `${sh.sys.proc.cwd}\n`);
      return '';
    } catch (e) { why = (e as Error).message; }
  }
  await sh.err(`Can't cd ${dir}: ${why}`);
  return 'can\'t cd';
}

async function evalCmd(sh: Shell, argv: List): Promise<string> {
  if (argv.length < 2) throw new RcError('Usage: eval cmd ...'); // an error that ends a script, as in Plan 9
  const r = parse(argv.slice(1).join(' '));
  if (!r.ok) { await sh.err(r.error.message); return 'syntax error'; }
  await sh.run(r.tree);
  return sh.status;
}

async function exec(sh: Shell, argv: List): Promise<string> {
  // No fork-and-exec here: run the command, then end the shell with its status.
  // Plan 9's exec needs a command (redirections alone do not stay with the shell).
  if (argv.length < 2) throw new RcError('empty argument list');
  await sh.command(argv.slice(1), false);
  throw new RcExit(sh.status);
}

async function exit(sh: Shell, argv: List): Promise<string> {
  throw new RcExit(argv.length > 1 ? argv.slice(1).join(' ') : sh.status);
}

async function flag(sh: Shell, argv: List): Promise<string> {
  const f = argv[1];
  if (f === undefined || f.length !== 1 || argv.length > 3) { await sh.err('Usage: flag [letter] [+-]'); return 'usage'; }
  const op = argv[2];
  if (op === '+') sh.flags.add(f);
  else if (op === '-') sh.flags.delete(f);
  else if (op !== undefined) { await sh.err('Usage: flag [letter] [+-]'); return 'usage'; }
  else return sh.flags.has(f) ? '' : 'flag not set';
  return '';
}

async function rfork(sh: Shell, argv: List): Promise<string> {
  const flags = argv[1] ?? 'ens';
  try { await sh.sys.rfork(flags); } catch (e) { await sh.err(`rfork: ${(e as Error).message}`); return 'rfork'; }
  return '';
}

async function shift(sh: Shell, argv: List): Promise<string> {
  // Plan 9 reads n with atoi: 'x' is 0, '1x' is 1, and a negative count shifts everything.
  const n = argv[1] === undefined ? 1 : parseInt(argv[1], 10) || 0;
  const all = sh.vars.get('*') ?? [];
  sh.vars.set('*', n < 0 ? [] : all.slice(n));
  return '';
}

async function wait(sh: Shell, argv: List): Promise<string> {
  if (argv[1] !== undefined) {
    const pid = Number(argv[1]);
    try { return await sh.sys.waitpid(pid); } catch { return ''; }
  }
  for (;;) {
    const w = await sh.sys.await().catch(() => undefined);
    if (!w) return '';
  }
}

async function whatis(sh: Shell, argv: List): Promise<string> {
  let status = '';
  for (const name of argv.slice(1)) {
    const v = sh.vars.get(name);
    const f = sh.vars.fns.get(name);
    let found = false;
    if (v && v.length) {
      found = true;
      await sh.write(1, `${quoteWord(name)}=${v.length === 1 ? quoteWord(v[0]!) : `(${v.map(quoteWord).join(' ')})`}\n`);
    }
    if (f) { found = true; await sh.write(1, deparseFn(name, f) + '\n'); }
    else if (builtins.has(name)) { found = true; await sh.write(1, `builtin ${name}\n`); }
    else if (!v || !v.length) {
      const p = await findProgram(sh, name);
      if (p) { found = true; await sh.write(1, p + '\n'); }
    }
    if (!found) { await sh.err(`${name}: not found`); status = 'not found'; }
  }
  return status;
}

/** The file $path finds for name, if any. */
async function findProgram(sh: Shell, name: string): Promise<string | undefined> {
  for (const p of sh.pathCandidates(name)) {
    try { const st = await sh.sys.stat(p); if (!(st.mode & DMDIR)) return p; } catch { /* next */ }
  }
  return undefined;
}

async function ret(sh: Shell, argv: List): Promise<string> {
  if (sh.depth === 0) throw new RcError('return: not in a function');
  throw new RcReturn(argv.length > 1 ? argv.slice(1).join(' ') : sh.status);
}

async function builtin(sh: Shell, argv: List): Promise<string> {
  if (argv.length < 2) { await sh.err('Usage: builtin command [args ...]'); return 'usage'; }
  await sh.command(argv.slice(1), false);
  return sh.status;
}

async function tilde(sh: Shell, argv: List): Promise<string> {
  // Reached only as `builtin ~ ...`: arguments are already plain strings, so patterns are literal.
  const subject = argv[1] ?? '';
  return argv.slice(2).some((p) => p === subject) ? '' : 'no match';
}

export const builtins: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['.', dot], ['builtin', builtin], ['cd', cd], ['eval', evalCmd], ['exec', exec], ['exit', exit],
  ['flag', flag], ['rfork', rfork], ['shift', shift], ['wait', wait], ['whatis', whatis],
  ['return', ret], ['~', tilde],
]);
