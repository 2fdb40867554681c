// A console session: an rc (`rc -i -l`) whose fds 0 1 2 are /dev/cons of its own console,
// started as a child of init. ^C typed on the console (cooked mode) becomes an interrupt
// note to every process of that console, as Plan 9's note group. The terminal side (a
// tty, a WebSocket, a test) drives the returned Console.

import type { BootResult } from '../kernel/boot.ts';
import type { Console } from '../kernel/dev/cons.ts';
import { OREAD, OWRITE } from '../kernel/sys.ts';
import type { Sys } from '../kernel/sys.ts';
import { rcMain } from '../rc/main.ts';

export interface SessionOptions {
  /** The console id (default 'console', init's own). */
  consId?: string;
  /** Give the session its own copy of the namespace and environment (rfork ne). */
  ownNamespace?: boolean;
  /** rc's arguments after argv[0] (default -i -l). */
  rcArgs?: string[];
  /** Where the session comes from, for the login records (default 'tty'). */
  from?: string;
  /**
   * Run rc under a session leader process that shares its namespace, and hand the caller the
   * leader's Sys: the terminal side can then read files as the session sees them (the web
   * console's status panel), binds made in the shell included.
   */
  leader?: boolean;
}

export interface Session {
  pid: number;
  console: Console;
  /** The session's name in /adm/who and /adm/wtmp. */
  session: string;
  /** rc's final status. */
  done: Promise<string>;
  /** With opts.leader: the leader's Sys, in the session's namespace. */
  sys?: Sys;
}

export async function startSession(node: BootResult, opts: SessionOptions = {}): Promise<Session> {
  const consId = opts.consId ?? 'console';
  const con = node.cons.console(consId);
  const off = con.onInterrupt(() => node.kernel.noteConsole(consId, 'interrupt'));
  const shell = async (sys: Sys): Promise<string> => {
    await sys.open('/dev/cons', OREAD);
    const out = await sys.open('/dev/cons', OWRITE);
    await sys.dup(out, 2);
    return (await rcMain(sys)) ?? '';
  };
  const rcArgv = ['rc', ...(opts.rcArgs ?? ['-i', '-l'])];
  const forkOpts = { fds: [], consId, ...(opts.ownNamespace ? { rfork: 'ne' } : {}) };
  let leaderSys: Sys | undefined;
  const leader = async (sys: Sys): Promise<string> => {
    leaderSys = sys;
    sys.notify(() => 'continue'); // ^C is for the shell's job, not for the leader
    return sys.waitpid(await sys.fork(shell, rcArgv, { fds: [], consId, name: 'rc' }));
  };
  const pid = opts.leader
    ? await node.sys.fork(leader, ['session'], { ...forkOpts, name: 'session' })
    : await node.sys.fork(shell, rcArgv, { ...forkOpts, name: 'rc' });
  const rec = node.kernel.logins.login(node.init.user, consId, opts.from ?? 'tty', () => Date.now() - con.lastInput);
  node.kernel.log(`login ${rec.session} ${node.init.user} from ${opts.from ?? 'tty'}`);
  // A node shutting down kills init, the waiter, too: the session then ends with that error as its status.
  const done = node.sys.waitpid(pid).catch((e: unknown) => (e instanceof Error ? e.message : String(e))).finally(() => {
    off();
    rec.logout();
    node.kernel.log(`logout ${rec.session} ${node.init.user}`);
  });
  return { pid, console: con, session: rec.session, done, ...(leaderSys ? { sys: leaderSys } : {}) };
}
