// cohesix boot: boot a node in a role and talk to it on this terminal. Until the rc shell
// exists, the console is a stopgap: a loop run as init, reading lines from /dev/cons.

import { boot } from '../kernel/boot.ts';
import type { BootResult } from '../kernel/boot.ts';
import { allowsCommand, ROLE_NAMES, words } from '../kernel/role.ts';
import { ORDWR, OTRUNC, OWRITE } from '../kernel/sys.ts';
import type { Sys } from '../kernel/sys.ts';
import { DMDIR } from '../fs/9p/constants.ts';
import { parseArgs } from './args.ts';

const HELP = `usage: cohesix boot [--role ROLE] [--sysname NAME] [--worker ID]

Boot a Cohesix node in a role and open its console on this terminal.

  --role ROLE      the role (default: /srv/cohrole of the config file named by
                   $COHESIX_CONFIG, else $COHROLE, else QueenPrimary); one of
                   ${ROLE_NAMES.join(' ')}
  --sysname NAME   the node's name (default cohesix)
  --worker ID      the worker id a DroneWorker binds at /worker/ID (default worker-1)

The console is a STOPGAP until the rc shell exists. It runs as init, in the role's
namespace and with its capabilities, and knows five commands:

  ls [PATH]            list a directory (default /)
  cat PATH...          print files
  echo TEXT [> PATH]   print TEXT, or write it to PATH (>> appends); quote with '...'
  ns                   print the namespace as bind/mount lines
  exit                 shut the node down (end of input does too)

Roles with a command list (KioskInteractive, InteractiveAiBooth) may run only those.
`;

const enc = new TextEncoder();

/** Run one console line as init; returns false on exit. */
export async function consoleLine(node: BootResult, line: string, out: (s: string) => Promise<void>): Promise<boolean> {
  const sys = node.sys;
  let w: string[];
  try { w = words(line); } catch (e) { await out(`rc: ${(e as Error).message}\n`); return true; }
  if (w.length === 0) return true;
  const [cmd, ...args] = w as [string, ...string[]];
  if (cmd === 'exit') return false;
  if (cmd === 'help') { await out('commands: ls cat echo ns exit (a stopgap until rc)\n'); return true; }
  if (!['ls', 'cat', 'echo', 'ns'].includes(cmd)) { await out(`${cmd}: not a console command (ls cat echo ns exit; rc is coming)\n`); return true; }
  if (!allowsCommand(node.role, cmd)) { await out(`${cmd}: not allowed in role ${node.role.name}\n`); return true; }
  try {
    switch (cmd) {
      case 'ls': {
        for (const p of args.length ? args : ['/']) {
          const d = await sys.stat(p);
          if (!(d.mode & DMDIR)) { await out(p + '\n'); continue; }
          const names = (await sys.dirread(p)).map((e) => e.name + (e.mode & DMDIR ? '/' : '')).sort();
          await out(names.map((n) => n + '\n').join(''));
        }
        break;
      }
      case 'cat':
        for (const p of args) await out((await sys.readFile(p)).toString('utf8'));
        break;
      case 'echo': {
        const i = args.findIndex((a) => a.startsWith('>'));
        let target: string | undefined, append = false;
        if (i >= 0) {
          const r = args[i]!;
          append = r.startsWith('>>');
          target = r.slice(append ? 2 : 1) || args[i + 1];
          if (!target) throw new Error('redirection without a file');
          args.splice(i, r.length > (append ? 2 : 1) ? 1 : 2);
        }
        const text = args.join(' ') + '\n';
        if (target === undefined) await out(text);
        else await writeTo(sys, target, text, append);
        break;
      }
      case 'ns':
        await out(node.init.ns.nsText());
        break;
    }
  } catch (e) { await out(`${cmd}: ${(e as Error).message}\n`); }
  return true;
}

async function writeTo(sys: Sys, path: string, text: string, append: boolean): Promise<void> {
  let fd: number;
  try {
    fd = await sys.open(path, append ? OWRITE : OWRITE | OTRUNC);
    if (append) await sys.seek(fd, 0, 2);
  } catch { fd = await sys.create(path, OWRITE, 0o664); }
  try { await sys.write(fd, text); } finally { await sys.close(fd); }
}

export const bootCommand = {
  summary: 'boot a node in a role with a console on this terminal (a stopgap until rc)',
  async run(argv: string[]): Promise<number> {
    let p;
    try { p = parseArgs(argv, { values: ['role', 'sysname', 'worker'], flags: ['help', 'h'] }); }
    catch (e) { process.stderr.write(`cohesix boot: ${(e as Error).message}\n${HELP}`); return 2; }
    if (p.flags.has('help') || p.flags.has('h')) { process.stdout.write(HELP); return 0; }
    if (p.rest.length) { process.stderr.write(`cohesix boot: unexpected argument '${p.rest[0]}'\n${HELP}`); return 2; }
    let node: BootResult;
    try {
      const o = Object.fromEntries(['role', 'sysname', 'worker'].flatMap((k) => (p.opts.has(k) ? [[k, p.opts.get(k)!]] : [])));
      node = await boot(o);
    } catch (e) { process.stderr.write(`cohesix boot: ${(e as Error).message}\n`); return 2; }

    const tty = process.stdin.isTTY === true;
    const con = node.cons.console('console');
    con.echo = tty;
    const nl = tty ? (s: Uint8Array): Uint8Array => enc.encode(new TextDecoder().decode(s).replace(/\r?\n/g, '\r\n')) : (s: Uint8Array): Uint8Array => s;
    con.onOutput((b) => { process.stdout.write(nl(b)); });
    if (tty) process.stdin.setRawMode(true);
    const onData = (d: Buffer): void => con.input(d);
    process.stdin.on('data', onData);
    process.stdin.once('end', () => con.close());

    const sys = node.sys;
    const fd = await sys.open('/dev/cons', ORDWR);
    const out = async (s: string): Promise<void> => { if (s) await sys.write(fd, s); };
    await out(`cohesix: ${node.role.name} (${node.roleSource}) on ${node.kernel.sysname}${node.absent.length ? `; absent: ${node.absent.join(' ')}` : ''}\n`
      + `stopgap console until rc: ls cat echo ns exit\n`);
    const prompt = `${node.kernel.sysname}% `;
    let pending = '';
    for (;;) {
      await out(prompt).catch(() => {});
      let line: string | undefined;
      while (line === undefined) {
        const nlAt = pending.indexOf('\n');
        if (nlAt >= 0) { line = pending.slice(0, nlAt); pending = pending.slice(nlAt + 1); break; }
        let b: Uint8Array;
        try { b = await sys.read(fd, 8192); } catch { b = new Uint8Array(0); }
        if (b.length === 0) { if (pending) { line = pending; pending = ''; } break; }
        pending += new TextDecoder().decode(b);
      }
      if (line === undefined) break;
      let more = true;
      try { more = await consoleLine(node, line, out); } catch { more = true; }
      if (!more) break;
    }
    process.stdin.off('data', onData);
    if (tty) process.stdin.setRawMode(false);
    process.stdin.pause();
    await sys.close(fd).catch(() => {});
    await node.kernel.shutdown();
    return 0;
  },
};
