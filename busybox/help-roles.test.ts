// help, man and lookman run through rc in every role, the kiosk and booth included: they
// only read, and help is how a role's user learns what the role allows.

import { afterEach, describe, expect, it } from 'vitest';
import { runCollected } from '../bin/hostio.ts';
import { userland } from '../bin/userland.ts';
import { boot } from '../kernel/boot.ts';
import type { BootResult } from '../kernel/boot.ts';
import { ROLE_NAMES } from '../kernel/role.ts';
import { rcMain } from '../rc/main.ts';
import { MAN_COMMANDS } from './group-man.ts';

const nodes: BootResult[] = [];
afterEach(async () => { for (const n of nodes.splice(0)) await n.kernel.shutdown(); });

async function rc(role: string, script: string): Promise<{ out: string; err: string; status: string }> {
  const n = await boot({ role, programs: new Map([...userland(), ...MAN_COMMANDS]), env: {} });
  nodes.push(n);
  return runCollected(n, rcMain, ['rc', '-c', script]);
}

describe('the manual in every role', () => {
  it('KioskInteractive: help through rc lists the role\'s commands, help and man among them', async () => {
    const r = await rc('KioskInteractive', 'help');
    expect(r.err).toBe('');
    expect(r.status).toBe('');
    expect(r.out.split('\n').filter(Boolean).map((l) => l.split(' - ')[0]))
      .toEqual(['cat', 'cohcc', 'echo', 'help', 'lookman', 'ls', 'man', 'mount', 'run']);
  });

  it('KioskInteractive and InteractiveAiBooth: man and lookman run; other commands stay refused', async () => {
    for (const role of ['KioskInteractive', 'InteractiveAiBooth']) {
      const r = await rc(role, 'man ls; lookman directory; grep x /dev/null');
      expect(r.out, role).toMatch(/^NAME\n {5}ls - list contents of directory\n/);
      expect(r.out, role).toContain('man 1 ls # ls(1)\n');
      expect(r.err, role).toBe(`grep: command not allowed in role ${role}\n`);
    }
  });

  it('every role may run help', async () => {
    for (const role of ROLE_NAMES) {
      if (role === 'SensorRelay') continue; // no spawn or exec: it has no shell at all
      const r = await rc(role, 'help');
      expect(r.status, role).toBe('');
      expect(r.out, role).toMatch(/^help - /m);
    }
  });
});
