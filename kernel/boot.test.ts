// Boot: every role boots in-process; /srv/cohrole names it; /proc/boot records what happened.

import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tree, text } from '../fs/server/tree.ts';
import { Right } from './cap.ts';
import { boot, chooseRole } from './boot.ts';
import type { BootResult } from './boot.ts';
import { ROLE_NAMES } from './role.ts';
import { ServiceRegistry, placeholder } from './services.ts';

const nodes: BootResult[] = [];
async function up(...a: Parameters<typeof boot>): Promise<BootResult> {
  const n = await boot(...a);
  nodes.push(n);
  return n;
}
afterEach(async () => { for (const n of nodes.splice(0)) await n.kernel.shutdown(); });

const str = (b: Uint8Array): string => Buffer.from(b).toString('utf8');
const bootlog = (n: BootResult): Map<string, string> =>
  new Map(n.kernel.bootlog.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

describe('boot', () => {
  it.each(ROLE_NAMES)('boots %s: /srv/cohrole names it, /proc/boot has role=, caps=, absent=', async (role) => {
    const n = await up({ role, env: {} });
    expect(n.role.name).toBe(role);
    expect(str(await n.sys.readFile('/srv/cohrole'))).toBe(role);
    expect((await n.sys.dirread('/srv')).map((d) => d.name)).toContain('cohrole');
    const log = bootlog(n);
    expect(log.get('role')).toBe(role);
    expect(log.get('source')).toBe('argument');
    expect(log.get('absent')).toBe(n.absent.join(' '));
    expect(log.get('caps')).toMatch(/dev:#c:rwl/);
    for (const k of ['time.devices', 'time.services', 'time.caps', 'time.namespace', 'time.total']) expect(log.get(k), k).toMatch(/^\d+\.\d\dms$/);
    // Init holds exactly the role's capabilities for present devices (plus #boot read-only): boot's own mount authority is gone.
    const want = n.role.caps.filter((c) => !c.object.startsWith('dev:#') || n.kernel.devices.has(c.object.slice(4))).map((c) => `${c.object}:${c.letters.split('').sort().join('')}`);
    const held = n.sys.caps().filter((c) => c.object !== 'dev:#boot' && c.object !== 'dev:#d' && c.object !== 'dev:#adm' && c.object !== 'dev:#man').map((c) => `${c.object}:${c.rights.replace(/-/g, '').split('').sort().join('')}`);
    expect(held.sort()).toEqual(want.sort());
    expect(n.sys.caps().find((c) => c.object === 'dev:#boot')?.rights).toBe('r-l------');
    expect(n.sys.caps().find((c) => c.object === 'dev:#d')?.rights).toBe('rwl------');
    expect(n.sys.caps().find((c) => c.object === 'dev:#adm')?.rights).toBe('r-l------');
    if (role.includes('Queen') || role === 'DroneWorker') {
      expect(str(await n.sys.readFile('/proc/boot'))).toBe(n.kernel.bootlog.join('\n') + '\n');
    } else {
      await expect(n.sys.readFile('/proc/boot')).rejects.toThrow('file does not exist');
    }
    expect(str(await n.sys.readFile('/env/cohrole'))).toBe(role);
  });

  it('with no services registered, the built-in data areas are present and the rest absent', async () => {
    const n = await up({ role: 'QueenPrimary', env: {} });
    expect(n.present).toEqual(['input', 'telemetry', 'testlog', 'worker']);
    expect(n.absent).toEqual(['queen', 'sim', 'cuda', 'codex', 'log', 'hw', 'console']);
    expect(bootlog(n).get('absent')).toBe('queen sim cuda codex log hw console');
    for (const p of ['/queen', '/sim', '/srv/cuda', '/log', '/dev/hw']) await expect(n.sys.stat(p), p).rejects.toThrow('file does not exist');
    expect((await n.sys.dirread('/')).map((d) => d.name).sort()).toEqual(['adm', 'bin', 'dev', 'env', 'fd', 'input', 'mnt', 'n', 'proc', 'srv', 'sys', 'tmp', 'worker']);
  });

  it('starts registered services as #name at the role\'s lines, or at their own path', async () => {
    const services = new ServiceRegistry()
      .register('cuda', { path: '/srv/cuda', start: () => placeholder('cuda') })
      .register('sim', { path: '/sim', start: () => placeholder('sim') })
      .register('codex', { path: '/srv/codex', start: () => new Tree([text('ctl', 'codex\n')]) });
    const n = await up({ role: 'DroneWorker', services, env: {} });
    expect(n.present).toEqual(['sim', 'cuda', 'worker']);
    expect(n.absent).toEqual([]);
    expect(bootlog(n).get('absent')).toBe('');
    expect(str(await n.sys.readFile('/srv/cuda/ctl'))).toBe('placeholder cuda\n');
    expect((await n.sys.dirread('/srv')).map((d) => d.name).sort()).toEqual(['cohrole', 'cuda']);
    expect((await n.sys.dirread('/sim')).map((d) => d.name).sort()).toEqual(['ctl', 'data']);
    await expect(n.sys.stat('/srv/codex')).rejects.toThrow('file does not exist'); // not the drone's service
    const q = await up({ role: 'QueenPrimary', services, env: {} });
    expect(str(await q.sys.readFile('/srv/codex/ctl'))).toBe('codex\n');
  });

  it('makes mount points from #boot with ordinary bind lines, shown by ns', async () => {
    const services = new ServiceRegistry().register('sim', { path: '/sim', start: () => placeholder('sim') });
    const n = await up({ role: 'SimulatorTest', services, env: {} });
    expect(n.init.ns.nsText()).toBe([
      'bind \'#c\' /dev', 'bind -c \'#e\' /env', 'bind \'#b\' /bin', 'bind \'#boot/sim\' /sim', 'mount \'#sim/data\' /sim/data',
      'bind \'#boot/srv\' /srv', 'mount -c \'#testlog\' /srv/testlog', 'mount -c \'#r\' /tmp', 'bind \'#d\' /fd', 'bind \'#adm\' /adm', 'bind \'#boot/sys\' /sys', 'bind \'#man\' /sys/man', '',
    ].join('\n'));
    expect((await n.sys.dirread('/sim')).map((d) => d.name)).toEqual(['data']);
    const q = await up({ role: 'QueenPrimary', env: {} });
    expect(q.init.ns.nsText()).toContain('bind \'#s\' /srv\nbind -b \'#boot/srv\' /srv\nmount -c \'#telemetry\' /srv/telemetry\n');
  });

  it('gives a DroneWorker its own /worker/$worker and nothing else of #worker', async () => {
    const n = await up({ role: 'DroneWorker', worker: 'worker-7', env: {} });
    expect((await n.sys.dirread('/worker')).map((d) => d.name)).toEqual(['worker-7']);
    expect((await n.sys.dirread('/worker/worker-7')).map((d) => d.name).sort()).toEqual(['heartbeat', 'telemetry']);
    await n.sys.writeFile('/worker/worker-7/heartbeat', 'beat 1\n');
    expect(bootlog(n).get('worker')).toBe('worker-7');
    expect(n.init.cspace.find('dev:#worker', Right.mount)).toBeUndefined();
  });

  it('chooses the role: argument, then COHESIX_CONFIG, then COHROLE, then QueenPrimary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cohesix-cfg-'));
    try {
      const cfg = join(dir, 'node.json');
      writeFileSync(cfg, JSON.stringify({ '/srv/cohrole': 'GlassesAgent' }));
      expect(chooseRole({ role: 'simulatortest', env: { COHESIX_CONFIG: cfg, COHROLE: 'SensorRelay' } })).toEqual({ name: 'SimulatorTest', source: 'argument' });
      expect(chooseRole({ env: { COHESIX_CONFIG: cfg, COHROLE: 'SensorRelay' } })).toEqual({ name: 'GlassesAgent', source: `config ${cfg}` });
      writeFileSync(cfg, JSON.stringify({ srv: { cohrole: 'KioskInteractive' } }));
      expect(chooseRole({ env: { COHESIX_CONFIG: cfg } }).name).toBe('KioskInteractive');
      expect(chooseRole({ env: { COHESIX_CONFIG: join(dir, 'missing.json'), COHROLE: 'SensorRelay' } })).toEqual({ name: 'SensorRelay', source: 'env COHROLE' });
      writeFileSync(cfg, JSON.stringify({ other: 1 }));
      expect(chooseRole({ env: { COHESIX_CONFIG: cfg } })).toEqual({ name: 'QueenPrimary', source: 'default' });
      expect(chooseRole({ env: {} })).toEqual({ name: 'QueenPrimary', source: 'default' });
      writeFileSync(cfg, '{ not json');
      expect(() => chooseRole({ env: { COHESIX_CONFIG: cfg } })).toThrow(`COHESIX_CONFIG ${cfg}:`);
      writeFileSync(cfg, JSON.stringify({ '/srv/cohrole': 'Emperor' }));
      expect(() => chooseRole({ env: { COHESIX_CONFIG: cfg } })).toThrow(`unknown role 'Emperor' (from /srv/cohrole in ${cfg}): want one of QueenPrimary, RegionalQueen, BareMetalQueen, DroneWorker, InteractiveAiBooth, KioskInteractive, GlassesAgent, SensorRelay, SimulatorTest`);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('refuses an unknown role with the nine names, and reports a failing namespace line by file and line', async () => {
    await expect(boot({ role: 'Pharaoh', env: {} })).rejects.toThrow(/^unknown role 'Pharaoh' \(from the role argument\): want one of QueenPrimary, .*SimulatorTest$/);
    await expect(boot({ env: { COHROLE: 'nope' } })).rejects.toThrow("unknown role 'nope' (from COHROLE)");
    // A sim without a data directory: SimulatorTest's `mount #sim/data /sim/data` fails, named by line.
    const services = new ServiceRegistry().register('sim', { path: '/sim', start: () => new Tree([text('ctl', '')]) });
    await expect(boot({ role: 'SimulatorTest', services, env: {} })).rejects.toThrow(/^boot SimulatorTest: .*SimulatorTest\.role:\d+: mount #sim\/data \/sim\/data: file does not exist$/);
  });

  it('records the boot timeline and kernel log', async () => {
    const lines: string[] = [];
    const n = await up({ role: 'SensorRelay', env: {}, log: (l) => lines.push(l), sysname: 'relay1' });
    expect(bootlog(n).get('sysname')).toBe('relay1');
    expect(lines.some((l) => /boot: SensorRelay \(argument\); services input telemetry$/.test(l))).toBe(true);
    const keys = n.kernel.bootlog.map((l) => l.split('=')[0]);
    expect(keys.slice(0, 5)).toEqual(['role', 'source', 'description', 'sysname', 'user']);
    expect(keys.at(-1)).toBe('time.total');
  });
});
