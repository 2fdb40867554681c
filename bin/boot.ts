// cohesix boot: boot a node in a role and open an rc session on this terminal, on the
// node's console. With a real terminal, the host tty is put in raw mode and rc edits lines
// itself; otherwise typed lines are read as they come. The node shuts down when rc exits.

import { boot } from '../kernel/boot.ts';
import type { BootResult } from '../kernel/boot.ts';
import { ROLE_NAMES } from '../kernel/role.ts';
import { parseArgs } from './args.ts';
import { startSession } from './session.ts';
import { nodeServices } from './services.ts';
import { userland } from './userland.ts';
import { addHardware } from '../srv/hw/service.ts';

const HELP = `usage: cohesix boot [--role ROLE] [--sysname NAME] [--worker ID] [--hw aarch64|x86]

Boot a Cohesix node in a role and run an rc shell on its console, on this terminal.

  --role ROLE      the role (default: /srv/cohrole of the config file named by
                   $COHESIX_CONFIG, else $COHROLE, else QueenPrimary); one of
                   ${ROLE_NAMES.join(' ')}
  --sysname NAME   the node's name (default cohesix); the prompt is NAME%
  --worker ID      the worker id a DroneWorker binds at /worker/ID (default worker-1)
  --hw ARCH        boot the aarch64 or x86 driver image under QEMU and mount its
                   9P tree at /dev/hw (roles that list the hw service; see hw(4));
                   its disk lives in $COHESIX_STATE/NAME (default ~/.local/state/cohesix/NAME)

The shell is Plan 9's rc (see docs/rc.md), run as \`rc -i -l\` in the role's namespace
with its capabilities. Roles with a command list (KioskInteractive, InteractiveAiBooth)
may run only those programs. ^C interrupts the running command, ^D or \`exit\` ends the
session and shuts the node down.
`;

const enc = new TextEncoder();

/** Parse the role options shared by boot and rc. */
export function bootOptions(p: { opts: Map<string, string> }): Record<string, string> {
  return Object.fromEntries(['role', 'sysname', 'worker'].flatMap((k) => (p.opts.has(k) ? [[k, p.opts.get(k)!]] : [])));
}

/** Boot with the CLI's services; hw names an image arch for /dev/hw (--hw). */
export async function bootNode(o: Record<string, string>, hw?: string): Promise<BootResult> {
  const services = nodeServices();
  if (hw !== undefined) { const err = addHardware(services, hw); if (err) throw new Error(err); }
  const node = await boot({ ...o, programs: userland(), services });
  if (hw !== undefined && !node.present.includes('hw')) node.kernel.log(`hw: role ${node.role.name} does not list the hw service; --hw ${hw} ignored`);
  return node;
}

export const bootCommand = {
  summary: 'boot a node in a role with an rc shell on this terminal',
  async run(argv: string[]): Promise<number> {
    let p;
    try { p = parseArgs(argv, { values: ['role', 'sysname', 'worker', 'hw'], flags: ['help', 'h'] }); }
    catch (e) { process.stderr.write(`cohesix boot: ${(e as Error).message}\n${HELP}`); return 2; }
    if (p.flags.has('help') || p.flags.has('h')) { process.stdout.write(HELP); return 0; }
    if (p.rest.length) { process.stderr.write(`cohesix boot: unexpected argument '${p.rest[0]}'\n${HELP}`); return 2; }
    let node: BootResult;
    try { node = await bootNode(bootOptions(p), p.opts.get('hw')); } catch (e) { process.stderr.write(`cohesix boot: ${(e as Error).message}\n`); return 2; }

    const tty = process.stdin.isTTY === true;
    const con = node.cons.console('console');
    con.echo = tty;
    // A tty in raw mode needs CR LF; a pipe or file gets plain newlines (the editor's CR LF too).
    const nl = (s: Uint8Array): Uint8Array => enc.encode(Buffer.from(s).toString('utf8').replace(/\r?\n/g, tty ? '\r\n' : '\n'));
    con.onOutput((b) => { process.stdout.write(nl(b)); });
    if (tty) {
      con.size = { cols: process.stdout.columns ?? 80, rows: process.stdout.rows ?? 24 };
      process.stdout.on('resize', () => { con.size = { cols: process.stdout.columns ?? 80, rows: process.stdout.rows ?? 24 }; });
      process.stdin.setRawMode(true);
    }
    const onData = (d: Buffer): void => con.input(d);
    process.stdin.on('data', onData);
    // End of input is end of file for readers once they get there, not a hangup: a command still
    // running when the pipe runs dry must finish and be able to write its output.
    process.stdin.once('end', () => con.endInput());

    con.write(enc.encode(`cohesix: ${node.role.name} (${node.roleSource}) on ${node.kernel.sysname}${node.absent.length ? `; absent: ${node.absent.join(' ')}` : ''}\n`));
    const s = await startSession(node);
    const status = await s.done;
    process.stdin.off('data', onData);
    if (tty) process.stdin.setRawMode(false);
    process.stdin.pause();
    await node.kernel.shutdown();
    return status === '' ? 0 : 1;
  },
};
