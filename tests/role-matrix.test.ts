// The role matrix: for each of the nine roles, what each path of a node is to it (seen,
// read, written), which syscall classes it has, and attempted escapes failing with the exact
// Plan 9 error. Every service is registered as a placeholder so the roles' namespaces differ
// in what they reach, not in what exists. The same tables are in docs/roles.md; this test
// checks every cell there against a booted node.
//
// Cells: -  not in the namespace (walk fails: file does not exist)
//        l  visible, not readable      r  readable      rw  readable and writable      w  writable only
// A directory is read by listing it and written by creating a file in it; a service (svc)
// by reading and writing its ctl file; a file by reading it and writing to it.

import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Client } from '../fs/client/index.ts';
import { Ramfs } from '../fs/server/ramfs.ts';
import { Server } from '../fs/server/server.ts';
import { linkPair } from '../fs/transport/pair.ts';
import { boot } from '../kernel/boot.ts';
import type { BootResult } from '../kernel/boot.ts';
import { CSpace, Right } from '../kernel/cap.ts';
import { ROLE_NAMES } from '../kernel/role.ts';
import { ServiceRegistry, placeholder, seedRamfs } from '../kernel/services.ts';
import { OREAD, OWRITE } from '../kernel/sys.ts';
import type { Sys } from '../kernel/sys.ts';

const SERVICES: Array<[string, string]> = [
  ['queen', '/queen'], ['sim', '/sim'], ['cuda', '/srv/cuda'], ['codex', '/srv/codex'], ['log', '/log'], ['hw', '/dev/hw'], ['console', '/srv/console'],
];

type Kind = 'svc' | 'dir' | 'file';
const COLUMNS: Array<[string, Kind]> = [
  ['/queen', 'svc'], ['/sim', 'svc'], ['/sim/data', 'dir'], ['/srv/cuda', 'svc'], ['/srv/codex', 'svc'], ['/srv/console', 'svc'],
  ['/log', 'svc'], ['/dev/hw', 'svc'], ['/proc', 'dir'], ['/proc/boot', 'file'], ['/input', 'dir'], ['/srv/telemetry', 'dir'],
  ['/srv/testlog', 'dir'], ['/worker', 'dir'], ['/worker/worker-1', 'dir'], ['/tmp', 'dir'], ['/env', 'dir'], ['/bin', 'dir'],
  ['/n', 'dir'], ['/mnt', 'dir'], ['/srv/cohrole', 'file'],
];

/** The path matrix, exactly as in docs/roles.md. */
const MATRIX = `
| role | /queen | /sim | /sim/data | /srv/cuda | /srv/codex | /srv/console | /log | /dev/hw | /proc | /proc/boot | /input | /srv/telemetry | /srv/testlog | /worker | /worker/worker-1 | /tmp | /env | /bin | /n | /mnt | /srv/cohrole |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
| QueenPrimary | rw | rw | rw | rw | rw | rw | rw | rw | r | r | rw | rw | rw | rw | rw | rw | rw | r | r | r | r |
| RegionalQueen | rw | rw | rw | rw | rw | rw | rw | rw | r | r | rw | rw | rw | rw | rw | rw | rw | r | r | r | r |
| BareMetalQueen | rw | rw | rw | rw | rw | rw | rw | rw | r | r | rw | rw | rw | rw | rw | rw | rw | r | r | r | r |
| DroneWorker | - | rw | rw | rw | - | - | - | - | r | r | - | - | - | r | rw | rw | rw | r | r | - | r |
| InteractiveAiBooth | - | - | - | rw | - | - | - | - | - | - | r | - | - | - | - | rw | rw | r | - | r | r |
| KioskInteractive | - | - | - | - | - | rw | - | - | - | - | - | - | - | - | - | rw | rw | r | - | - | r |
| GlassesAgent | - | - | - | rw | - | - | - | - | - | - | r | - | - | - | - | rw | rw | r | - | - | r |
| SensorRelay | - | - | - | - | - | - | - | - | - | - | rw | rw | - | - | - | rw | rw | r | - | - | r |
| SimulatorTest | - | l | r | - | - | - | - | - | - | - | - | - | rw | - | - | rw | rw | r | - | - | r |
`.trim();

/** Syscall classes, probed live (applyns: held as ns g; nothing in this issue exercises it yet). */
const CLASSES = `
| role | spawn | exec | mount | grant | applyns | shell commands |
|---|---|---|---|---|---|---|
| QueenPrimary | yes | yes | yes | yes | yes | * |
| RegionalQueen | yes | yes | yes | yes | yes | * |
| BareMetalQueen | yes | yes | yes | yes | yes | * |
| DroneWorker | yes | yes | yes | - | - | * |
| InteractiveAiBooth | yes | yes | yes | - | - | echo ls mount cat cohcc run |
| KioskInteractive | yes | yes | yes | - | - | echo ls mount cat cohcc run |
| GlassesAgent | yes | yes | - | - | - | * |
| SensorRelay | - | - | - | - | - | * |
| SimulatorTest | yes | yes | - | - | - | * |
`.trim();

interface Escape { role: string; attempt: string; error: string; run: (n: BootResult) => Promise<unknown> }

/** Attempted escapes: each must fail with exactly this error. */
const ESCAPES: Escape[] = [
  { role: 'SimulatorTest', attempt: 'cat /sim/data/../ctl', error: 'file does not exist', run: (n) => n.sys.readFile('/sim/data/../ctl') },
  { role: 'DroneWorker', attempt: 'ls /worker/worker-1/../worker-2', error: 'file does not exist', run: (n) => n.sys.dirread('/worker/worker-1/../worker-2') },
  { role: 'DroneWorker', attempt: "bind '#worker' /n/w", error: 'permission denied: bind #worker needs m on dev:#worker', run: (n) => n.sys.bind('#worker', '/n/w') },
  { role: 'DroneWorker', attempt: "mount '#s' /n/srv", error: 'permission denied: mount #s needs a capability for dev:#s', run: (n) => n.sys.mount('#s', '/n/srv') },
  { role: 'DroneWorker', attempt: "mount '#hw' /n/hw", error: 'file does not exist: no device #hw', run: (n) => n.sys.mount('#hw', '/n/hw') },
  { role: 'DroneWorker', attempt: 'mount /srv/queenfs /n/q', error: 'permission denied: mount needs a capability for srv:queenfs', run: (n) => n.sys.mount('/srv/queenfs', '/n/q') },
  { role: 'DroneWorker', attempt: 'spawn with narrowed capabilities', error: 'permission denied: spawn with narrowed capabilities needs g on proc', run: (n) => n.sys.spawn('/bin/echo', ['echo'], { caps: (_o, r) => r & ~Right.write }) },
  { role: 'DroneWorker', attempt: 'postnote PID kill, PID not its own', error: 'permission denied: postnote to a process that is not yours needs g on proc', run: (n) => n.sys.postnote(stranger(n), 'kill') },
  { role: 'KioskInteractive', attempt: 'bind /srv/telemetry /tmp', error: 'file does not exist', run: (n) => n.sys.bind('/srv/telemetry', '/tmp') },
  { role: 'KioskInteractive', attempt: "bind '#p' /tmp", error: 'permission denied: bind #p needs a capability for dev:#p', run: (n) => n.sys.bind('#p', '/tmp') },
  { role: 'GlassesAgent', attempt: 'bind /srv /tmp', error: 'permission denied: bind needs a capability for ns', run: (n) => n.sys.bind('/srv', '/tmp') },
  { role: 'GlassesAgent', attempt: 'echo x > /input/cam', error: 'permission denied: open needs w on dev:#input', run: (n) => n.sys.open('/input/cam', OWRITE) },
  { role: 'GlassesAgent', attempt: 'mount tcp!127.0.0.1!564 /tmp', error: 'permission denied: mount needs a capability for ns', run: (n) => n.sys.mount('tcp!127.0.0.1!564', '/tmp') },
  { role: 'SensorRelay', attempt: 'spawn /bin/echo', error: 'permission denied: spawn needs a capability for proc', run: (n) => n.sys.spawn('/bin/echo', ['echo']) },
  { role: 'SensorRelay', attempt: 'exec /bin/echo', error: 'permission denied: exec /bin/echo needs x on dev:#b', run: (n) => n.kernel.resolveProgram(n.init, '/bin/echo') },
  { role: 'SensorRelay', attempt: 'rm /srv/telemetry/telemetry.log', error: 'permission denied: remove needs d on dev:#telemetry', run: (n) => n.sys.remove('/srv/telemetry/telemetry.log') },
  { role: 'QueenPrimary', attempt: 'echo x > /srv/cohrole', error: 'permission denied: open needs w on dev:#boot', run: (n) => n.sys.open('/srv/cohrole', OWRITE) },
];

/** A process of the node that is not the caller's (nor its child): a second init. */
function stranger(n: BootResult): number {
  return n.kernel.newInit('other', new CSpace(), 'other').pid;
}

function escapesTable(): string {
  return ['| role | attempt | error |', '|---|---|---|', ...ESCAPES.map((e) => `| ${e.role} | \`${e.attempt}\` | ${e.error} |`)].join('\n');
}

const nodes: BootResult[] = [];
afterAll(async () => { for (const n of nodes) await n.kernel.shutdown(); });

async function node(role: string): Promise<BootResult> {
  const services = new ServiceRegistry();
  for (const [s, path] of SERVICES) services.register(s, { path, start: () => placeholder(s) });
  const n = await boot({ role, services, env: {}, worker: 'worker-1' });
  nodes.push(n);
  n.kernel.programs.set('echo', () => '');
  // Things to try to reach: another worker's directory, a camera's file, a posted channel.
  const worker = n.kernel.devices.get('#worker')?.fs;
  if (worker instanceof Ramfs) seedRamfs(worker, { 'worker-1/heartbeat': '', 'worker-2/heartbeat': '' });
  const input = n.kernel.devices.get('#input')?.fs;
  if (input instanceof Ramfs) seedRamfs(input, { cam: 'frame 0\n' });
  const [a, b] = linkPair();
  new Server(new Ramfs()).serve(a);
  n.kernel.post(n.kernel.newInit('queen', new CSpace(), 'q'), 'queenfs', await Client.connect(b, { uname: 'queen' }));
  return n;
}

async function ok(f: () => Promise<unknown>): Promise<boolean> {
  try { await f(); return true; } catch { return false; }
}

async function cell(sys: Sys, path: string, kind: Kind): Promise<string> {
  if (!await ok(() => sys.stat(path))) return '-';
  let r: boolean, w: boolean;
  if (kind === 'svc') {
    r = await ok(() => sys.readFile(`${path}/ctl`));
    w = await ok(async () => { const fd = await sys.open(`${path}/ctl`, OWRITE); try { await sys.write(fd, 'probe\n'); } finally { await sys.close(fd); } });
  } else if (kind === 'dir') {
    r = await ok(() => sys.dirread(path));
    w = await ok(async () => { const fd = await sys.create(`${path}/matrix-probe`, OWRITE, 0o664); try { await sys.write(fd, 'probe\n'); } finally { await sys.close(fd); } });
    await sys.remove(`${path}/matrix-probe`).catch(() => {});
  } else {
    r = await ok(() => sys.readFile(path));
    w = await ok(async () => { const fd = await sys.open(path, OWRITE); try { await sys.write(fd, 'probe\n'); } finally { await sys.close(fd); } });
  }
  return r && w ? 'rw' : r ? 'r' : w ? 'w' : 'l';
}

async function classes(n: BootResult): Promise<string[]> {
  const denied = (f: () => Promise<unknown>, pat: RegExp) => f().then(() => 'yes', (e: Error) => (pat.test(e.message) ? '-' : `error: ${e.message}`));
  const spawn = await denied(async () => { const pid = await n.sys.spawn('/bin/echo', ['echo']); await n.sys.waitpid(pid); }, /spawn needs|exec \/bin\/echo needs/)
    .then((v) => (v === '-' && n.init.cspace.find('proc', Right.spawn) ? 'yes' : v));
  const exec = await denied(() => n.kernel.resolveProgram(n.init, '/bin/echo'), /needs x on dev:#b/);
  const mount = await denied(() => n.sys.bind('/dev', '/dev'), /bind needs/);
  const grant = await denied(() => n.sys.postnote(stranger(n), 'interrupt'), /needs (g|a capability) for proc|needs g on proc/);
  const applyns = n.init.cspace.find('ns', Right.grant) ? 'yes' : '-';
  const cmds = n.role.commands === '*' ? '*' : n.role.commands.join(' ');
  return [spawn, exec, mount, grant, applyns, cmds];
}

const docs = readFileSync(new URL('../docs/roles.md', import.meta.url), 'utf8');

describe('role matrix', () => {
  const rows = new Map<string, string[]>();
  const classRows = new Map<string, string[]>();

  it.each(ROLE_NAMES)('%s: every path cell and syscall class', async (role) => {
    const n = await node(role);
    const cells: string[] = [];
    for (const [path, kind] of COLUMNS) cells.push(await cell(n.sys, path, kind));
    rows.set(role, cells);
    const want = MATRIX.split('\n').find((l) => l.startsWith(`| ${role} |`))!.split('|').slice(2, -1).map((c) => c.trim());
    const diffs = COLUMNS.map(([p], i) => (cells[i] === want[i] ? '' : `${p}: got ${cells[i]}, table says ${want[i]}`)).filter(Boolean);
    expect(diffs, `${role}\n${n.init.ns.nsText()}`).toEqual([]);
    const c = await classes(n);
    classRows.set(role, c);
    const wantC = CLASSES.split('\n').find((l) => l.startsWith(`| ${role} |`))!.split('|').slice(2, -1).map((x) => x.trim());
    expect(c).toEqual(wantC);
  });

  it('the table header names the columns probed', () => {
    expect(MATRIX.split('\n')[0]).toBe(`| role | ${COLUMNS.map(([p]) => p).join(' | ')} |`);
    expect(MATRIX.split('\n').slice(2).map((l) => l.split('|')[1]!.trim())).toEqual([...ROLE_NAMES]);
  });

  it.each(ESCAPES.map((e, i) => [i, e.role, e.attempt, e.error] as const))('escape %i: %s %s fails with %s', async (i) => {
    const e = ESCAPES[i]!;
    const n = await node(e.role);
    let got = 'no error';
    try { await e.run(n); } catch (x) { got = (x as Error).message; }
    expect(got).toBe(e.error);
  });

  it('docs/roles.md carries the same tables', () => {
    expect(docs).toContain(MATRIX);
    expect(docs).toContain(CLASSES);
    expect(docs).toContain(escapesTable());
  });

  it('a DroneWorker sees only its own worker directory, even by ..', async () => {
    const n = await node('DroneWorker');
    expect((await n.sys.dirread('/worker')).map((d) => d.name)).toEqual(['worker-1']);
    expect((await n.sys.dirread('/worker/worker-1/..')).map((d) => d.name)).toEqual(['worker-1']);
    const fd = await n.sys.open('/worker/worker-1', OREAD);
    await n.sys.close(fd);
  });
});
