// The rc program: `rc [-ceilx] [-c command] [file [arg ...]]`, registered with the kernel as
// /bin/rc. It reads the environment into variables (fn#NAME entries define functions), sets
// rc's defaults, then runs the command, the file, or the interactive loop.

import type { Sys } from '../kernel/sys.ts';
import { interactiveLoop, isConsole } from './interactive.ts';
import { parse } from './parse.ts';
import { quoteWord } from './quote.ts';
import { runScript } from './script.ts';
import { RcError, RcExit, Shell } from './shell.ts';
import { envDecode, Vars } from './vars.ts';

const USAGE = 'usage: rc [-srdiIlxepv] [-c command] [file [arg ...]]';

/** The rc program's entry point. */
export function rcMain(sys: Sys): Promise<string> { return rc(sys); }

/**
 * rc running a script whose text the caller already has (a file of the host, for
 * `cohesix rc FILE`): argv is `rc FILE [arg ...]` and FILE is not opened.
 */
export function rcWithScript(text: string): (sys: Sys) => Promise<string> {
  return (sys) => rc(sys, text);
}

async function rc(sys: Sys, preloaded?: string): Promise<string> {
  const argv = sys.args;
  const flags = new Set<string>();
  let command: string | undefined;
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { i++; break; }
    if (!a.startsWith('-') || a === '-') break;
    for (const f of a.slice(1)) {
      if (f === 'c') {
        command = argv[++i];
        if (command === undefined) { await write(sys, 2, `${USAGE}\n`); return 'usage'; }
      } else if ('eilxIsvrpd'.includes(f)) flags.add(f); // p and d are no-ops, as in Plan 9
      else { await write(sys, 2, `rc: unknown flag -${f}\n${USAGE}\n`); return 'usage'; }
    }
  }
  const rest = argv.slice(i);
  const vars = new Vars();
  await importEnv(sys, vars);
  const sh = new Shell(sys, vars, [0, 1, 2]);
  for (const f of ['e', 'x', 's', 'v', 'r']) if (flags.has(f)) sh.flags.add(f);
  await setDefaults(sys, vars);

  let interactive = flags.has('i');
  if (command === undefined && rest.length === 0 && !flags.has('I') && !interactive) interactive = isConsole(sys, 0);
  sh.interactive = interactive;
  vars.set('0', [command === undefined && rest.length ? rest[0]! : argv[0] ?? 'rc']);
  vars.set('*', command === undefined ? rest.slice(1) : rest);

  const status = await sh.guard(async () => {
    if (flags.has('l')) await profile(sh);
    if (command !== undefined) {
      const r = parse(command);
      if (!r.ok) { await sh.err(`rc: ${r.error.message}`); throw new RcExit('syntax error'); }
      await sh.run(r.tree);
    } else if (rest.length) {
      let text = preloaded;
      if (text === undefined) {
        try { text = (await sys.readFile(rest[0]!)).toString('utf8'); } catch (e) { throw new RcError(`${rest[0]}: ${(e as Error).message}`); }
      }
      await runScript(sh, text, rest[0]!);
    } else if (interactive) {
      await interactiveLoop(sh);
    } else {
      await runScript(sh, (await readAll(sys, 0)).toString('utf8'), 'stdin');
    }
  });
  return sigexit(sh, status);
}

/** Run fn sigexit once at the end, as rc does; its own exit cannot change the status. */
async function sigexit(sh: Shell, status: string): Promise<string> {
  const f = sh.vars.fns.get('sigexit');
  if (!f) return status;
  sh.vars.fns.delete('sigexit');
  sh.vars.touch();
  sh.status = status; // the handler sees the status the shell ends with (exit's argument too)
  await sh.guard(() => sh.callFn(f, ['sigexit']));
  return status;
}

async function profile(sh: Shell): Promise<void> {
  const home = sh.vars.get('home')?.[0] ?? '/';
  let text: string;
  try { text = (await sh.sys.readFile(`${home.replace(/\/+$/, '')}/lib/profile`)).toString('utf8'); } catch { return; }
  await runScript(sh, text, `${home}/lib/profile`);
}

async function setDefaults(sys: Sys, vars: Vars): Promise<void> {
  const sysname = vars.get('sysname')?.[0] ?? (await sys.readFile('/dev/sysname').catch(() => Buffer.from('cohesix'))).toString().trim();
  if (!vars.get('path')) vars.set('path', ['.', '/bin']);
  if (!vars.get('home')) vars.set('home', [vars.get('HOME')?.[0] ?? '/tmp']);
  if (!vars.get('prompt')) vars.set('prompt', [`${sysname}% `, '\t']);
  if (!vars.get('ifs')) vars.set('ifs', [' \t\n']);
  vars.set('pid', [String(sys.pid)]);
  vars.set('status', []);
}

/** Variables and functions from /env (when the namespace has one). */
async function importEnv(sys: Sys, vars: Vars): Promise<void> {
  let names: string[];
  try { names = (await sys.dirread('/env')).map((d) => d.name); } catch { return; }
  const fns: Array<[string, string]> = [];
  for (const n of names.sort()) {
    let v: string;
    try { v = (await sys.readFile(`/env/${n}`)).toString('utf8'); } catch { continue; }
    if (n.startsWith('fn#')) fns.push([n.slice(3), v]);
    else if (n !== 'status' && n !== 'pid' && n !== '*') vars.global.set(n, envDecode(v));
  }
  // fn#NAME holds the body, `{...}`, as rc exports it.
  for (const [name, body] of fns) {
    const r = parse(`fn ${quoteWord(name)} ${body}`);
    if (r.ok && r.tree && r.tree.kind === 'fndef') vars.fns.set(name, r.tree);
  }
  vars.touch();
}

async function readAll(sys: Sys, fd: number): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for (;;) { const b = await sys.read(fd, 65536); if (b.length === 0) break; parts.push(b); }
  return Buffer.concat(parts);
}

async function write(sys: Sys, fd: number, s: string): Promise<void> {
  try { await sys.write(fd, s); } catch { /* nowhere to report */ }
}
