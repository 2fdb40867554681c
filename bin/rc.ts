// cohesix rc: boot a fresh node in-process and run rc in it non-interactively, with this
// process's stdin, stdout and stderr. FILE is read from the host. The exit code is 0 iff
// rc's final $status is empty.

import { readFileSync } from 'node:fs';
import { ROLE_NAMES } from '../kernel/role.ts';
import { rcMain, rcWithScript } from '../rc/main.ts';
import { parseArgs } from './args.ts';
import { bootNode, bootOptions } from './boot.ts';
import { runHosted } from './hostio.ts';

const HELP = `usage: cohesix rc [--role ROLE] [--sysname NAME] [--worker ID] [--hw aarch64|x86] [-eilsvxIr] [-c COMMAND | FILE [ARG ...]]

Boot a fresh Cohesix node and run Plan 9's rc in it, as the role's shell, with this
terminal's stdin, stdout and stderr. Without -c or FILE, commands are read from stdin.
FILE is read from the host; inside, it is $0 and the ARGs are $*. The exit code is 0
when rc's final $status is empty, 1 otherwise.

  --role ROLE   one of ${ROLE_NAMES.join(' ')}
  --hw ARCH     boot the aarch64 or x86 driver image under QEMU at /dev/hw (hw(4))
  -c COMMAND    run COMMAND (one argument: quote it for the host shell)
  -e -x -s -v   rc's flags (rc(1)): exit on failure, trace commands, print failing
                statuses, echo input; -i -l -I -r -p -d too

  cohesix rc -c 'cat /srv/cohrole; ls /proc | wc -l'
  cohesix rc --hw aarch64 -c 'cat /dev/hw/cpu'
  cohesix rc --role DroneWorker script.rc a b
`;

export const rcCommand = {
  summary: 'run an rc command or script in a fresh node (host stdin/stdout/stderr)',
  async run(argv: string[]): Promise<number> {
    // Options for cohesix come first; -c or the first non-option begins rc's arguments.
    let split = argv.length;
    for (let i = 0; i < argv.length; i++) {
      if (['--role', '--sysname', '--worker', '--hw'].includes(argv[i]!)) { i++; continue; }
      if (argv[i]!.startsWith('--')) continue;
      split = i;
      break;
    }
    let p;
    try { p = parseArgs(argv.slice(0, split), { values: ['role', 'sysname', 'worker', 'hw'], flags: ['help', 'h'] }); }
    catch (e) { process.stderr.write(`cohesix rc: ${(e as Error).message}\n${HELP}`); return 2; }
    if (p.flags.has('help') || p.flags.has('h')) { process.stdout.write(HELP); return 0; }
    const rcArgs = argv.slice(split);
    let prog = rcMain;
    // rc's own flags (-e -x -s -v ...) come before -c or FILE and go to rc as they are.
    let first = 0;
    while (first < rcArgs.length && /^-[^c-]+$/.test(rcArgs[first]!)) first++;
    if (rcArgs[first] === '-c') {
      if (rcArgs.length < first + 2) { process.stderr.write(`cohesix rc: -c needs a command\n${HELP}`); return 2; }
    } else if (first < rcArgs.length) {
      try { prog = rcWithScript(readFileSync(rcArgs[first]!, 'utf8')); } catch (e) {
        process.stderr.write(`cohesix rc: ${rcArgs[first]}: ${(e as Error).message}\n`);
        return 2;
      }
    }
    let node;
    try { node = await bootNode(bootOptions(p), p.opts.get('hw')); } catch (e) { process.stderr.write(`cohesix rc: ${(e as Error).message}\n`); return 2; }
    let status: string;
    // ^C at the host terminal is ^C at the node's console: an interrupt note to the running
    // commands (rc -c then ends, as Plan 9's rc does without fn sigint). A second ^C while
    // the first is still unanswered gives up on the node.
    let interrupted = false;
    const onInt = (): void => {
      if (interrupted) process.exit(130);
      interrupted = true;
      node.kernel.noteConsole(node.init.consId, 'interrupt');
      setTimeout(() => { interrupted = false; }, 1000).unref();
    };
    process.on('SIGINT', onInt);
    try {
      status = await runHosted(node, prog, ['rc', ...rcArgs], {
        stdin: process.stdin,
        stdout: (b) => { process.stdout.write(b); },
        stderr: (b) => { process.stderr.write(b); },
      });
    } catch (e) {
      // e.g. a role without Spawn (SensorRelay) cannot start a shell at all.
      process.stderr.write(`cohesix rc: ${node.role.name}: ${(e as Error).message}\n`);
      status = 'error';
    }
    process.off('SIGINT', onInt);
    process.stdin.destroy();
    await node.kernel.shutdown();
    return status === '' ? 0 : 1;
  },
};
