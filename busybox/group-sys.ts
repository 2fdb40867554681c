// The system commands of a node: processes (ps, kill, slay), time (date, uptime), who is
// here (sysname, who, whoami) and other nodes' trees (srv, import). Added to a kernel's
// program table beside busybox's: `new Map([...userland(), ...SYS_COMMANDS])`.

import type { Program } from '../kernel/kernel.ts';
import { date } from './cmd/date.ts';
import { importCmd } from './cmd/import.ts';
import { kill, slay } from './cmd/kill.ts';
import { ps } from './cmd/ps.ts';
import { srv } from './cmd/srv.ts';
import { sysname } from './cmd/sysname.ts';
import { uptime } from './cmd/uptime.ts';
import { who } from './cmd/who.ts';
import { whoami } from './cmd/whoami.ts';

export const SYS_COMMANDS: ReadonlyArray<readonly [string, Program]> = Object.freeze([
  ['date', date], ['import', importCmd], ['kill', kill], ['ps', ps], ['slay', slay], ['srv', srv],
  ['sysname', sysname], ['uptime', uptime], ['who', who], ['whoami', whoami],
] as const);
