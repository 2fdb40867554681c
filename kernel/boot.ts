// Boot a Cohesix node in one role: a kernel with its devices, the role's services, an init
// process holding the role's capabilities, and the role's namespace built by init through
// the same bind/mount syscalls users call. What boot did is kept as key=value lines in
// kernel.bootlog (read as /proc/boot).
//
//   const node = await boot({ role: 'DroneWorker' });
//   await node.sys.readFile('/srv/cohrole');        // 'DroneWorker'
//
// The role is the argument, else /srv/cohrole of the saved config named by COHESIX_CONFIG
// (a JSON file: {"/srv/cohrole": "DroneWorker"}), else COHROLE, else QueenPrimary.

import { existsSync, readFileSync } from 'node:fs';
import type { Server } from '../fs/server/server.ts';
import { CSpace, Right, rightsText } from './cap.ts';
import { cleanname, parentOf } from './cleanname.ts';
import { Kernel } from './kernel.ts';
import type { Program } from './kernel.ts';
import type { Proc } from './proc.ts';
import { MBEFORE, MREPL, Sys } from './sys.ts';
import { registerDevices } from './dev/index.ts';
import type { ConsDevice, DeviceOptions, Devices } from './dev/index.ts';
import { ProcDevice } from './dev/proc.ts';
import { Mntgen } from './mntgen.ts';
import { ManDevice } from './dev/man.ts';
import { bootTree } from './bootfs.ts';
import { builtinServices, ServiceRegistry } from './services.ts';
import type { ServiceSpec } from './services.ts';
import { DEFAULT_ROLE, expand, loadRole, roleName } from './role.ts';
import type { NsLine, Role, RoleName } from './role.ts';

export interface BootOptions {
  /** The role; when absent, chosen from COHESIX_CONFIG, COHROLE, or QueenPrimary. */
  role?: string;
  sysname?: string;
  /** The environment consulted for COHESIX_CONFIG, COHROLE, COHESIX_WORKER (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** init's user (default 'glenda'). */
  user?: string;
  /** This node's worker id, $worker in role files (default COHESIX_WORKER or 'worker-1'). */
  worker?: string;
  /** Services to start (looked up before the built-in data areas). */
  services?: ServiceRegistry;
  devices?: DeviceOptions;
  /** Where kernel log lines go (default: kept in /dev/kmesg only). */
  log?: (line: string) => void;
  /** Role files' directory (default kernel/roles of the repository). */
  rolesDir?: string;
  /** Programs to serve in /bin (the userland: rc, busybox). */
  programs?: ReadonlyMap<string, Program>;
}

export interface BootResult {
  kernel: Kernel;
  init: Proc;
  /** A syscall handle for init. */
  sys: Sys;
  cons: ConsDevice;
  devices: Devices;
  role: Role;
  /** Where the role came from: argument, config PATH, env COHROLE, default. */
  roleSource: string;
  /** Services started, and services the role wanted that are not registered. */
  present: string[];
  absent: string[];
  vars: Readonly<Record<string, string>>;
  /** 9P servers exporting this node (cohesix serve adds its own); /proc/9p counts them. */
  exports: Map<string, Server<unknown>>;
}

/** Read /srv/cohrole out of a saved config file, if it names one. */
export function configRole(path: string): string | undefined {
  let cfg: unknown;
  try { cfg = JSON.parse(readFileSync(path, 'utf8')); } catch (e) { throw new Error(`COHESIX_CONFIG ${path}: ${(e as Error).message}`); }
  if (typeof cfg !== 'object' || cfg === null || Array.isArray(cfg)) throw new Error(`COHESIX_CONFIG ${path}: not a JSON object`);
  const o = cfg as Record<string, unknown>;
  const srv = o.srv;
  const v = o['/srv/cohrole'] ?? (typeof srv === 'object' && srv !== null ? (srv as Record<string, unknown>).cohrole : undefined) ?? o.cohrole;
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new Error(`COHESIX_CONFIG ${path}: /srv/cohrole is not a string`);
  return v;
}

/** The role to boot and where that choice came from. */
export function chooseRole(opts: Pick<BootOptions, 'role' | 'env'> = {}): { name: RoleName; source: string } {
  if (opts.role !== undefined) return { name: roleName(opts.role, 'the role argument'), source: 'argument' };
  const env = opts.env ?? process.env;
  const cfg = env.COHESIX_CONFIG;
  if (cfg && existsSync(cfg)) {
    const r = configRole(cfg);
    if (r !== undefined) return { name: roleName(r, `/srv/cohrole in ${cfg}`), source: `config ${cfg}` };
  }
  if (env.COHROLE) return { name: roleName(env.COHROLE, 'COHROLE'), source: 'env COHROLE' };
  return { name: DEFAULT_ROLE, source: 'default' };
}

/** The mount point a line acts on, after $variables. */
function targetOf(l: NsLine, vars: Readonly<Record<string, string>>): string {
  return cleanname(expand(l.verb === 'unmount' ? l.args[l.args.length - 1]! : l.args[1]!, vars));
}

function capsText(p: Proc): string {
  return p.cspace.list().map(({ cap }) => `${cap.object}:${rightsText(cap.rights).replace(/-/g, '')}`).join(' ');
}

export async function boot(opts: BootOptions = {}): Promise<BootResult> {
  const t0 = performance.now();
  let last = t0;
  const times: string[] = [];
  const lap = (what: string): void => { const now = performance.now(); times.push(`time.${what}=${(now - last).toFixed(2)}ms`); last = now; };

  const env = opts.env ?? process.env;
  const { name, source } = chooseRole(opts);
  const role = loadRole(name, opts.rolesDir);
  const user = opts.user ?? 'glenda';
  const worker = opts.worker ?? env.COHESIX_WORKER ?? 'worker-1';
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(worker)) throw new Error(`bad worker id '${worker}' (letters, digits, . _ -)`);
  const kernel = new Kernel({ sysname: opts.sysname ?? 'cohesix', ...(opts.log ? { log: opts.log } : {}) });
  const vars: Record<string, string> = { role: role.name, sysname: kernel.sysname, user, worker };
  lap('role');

  for (const [n, prog] of opts.programs ?? []) kernel.programs.set(n, prog);
  if (role.commands !== '*') {
    const allowed = new Set(role.commands);
    kernel.commandPolicy = { role: role.name, allows: (n) => allowed.has(n) };
  }
  const devices = registerDevices(kernel, { ...opts.devices, cons: { hostowner: user, ...opts.devices?.cons } });
  const exports = new Map<string, Server<unknown>>();
  if (!kernel.devices.has('#p')) kernel.addDevice('#p', new ProcDevice(kernel, { servers: () => exports.entries() }));
  kernel.addDevice('#mntgen', new Mntgen());
  kernel.addDevice('#man', new ManDevice());
  lap('devices');

  // Services: the role's, where registered; the rest are absent and their lines skipped.
  const builtins = builtinServices();
  const present: string[] = [], absent: string[] = [];
  const specs = new Map<string, ServiceSpec>();
  for (const s of role.services) {
    const spec = opts.services?.get(s) ?? builtins.get(s);
    if (!spec) { absent.push(s); continue; }
    kernel.addDevice(`#${s}`, await spec.start(kernel, { role, vars }));
    specs.set(s, spec);
    present.push(s);
  }
  const isAbsent = (dev: string | undefined): boolean => dev !== undefined && absent.includes(dev.slice(1));
  const lines: NsLine[] = role.namespace.filter((l) => !isAbsent(l.device));
  for (const [s, spec] of specs) {
    if (role.namespace.some((l) => l.device === `#${s}`)) continue;
    lines.push({ line: 0, verb: 'mount', flags: MREPL, args: [`#${s}`, spec.path], device: `#${s}`, text: `mount #${s} ${spec.path}` });
  }
  // Every namespace has /fd (dup(3)): rc's <{...} and >{...} name their pipes there;
  // /adm, the node's login records; and /sys/man, the manual.
  lines.push({ line: 0, verb: 'bind', flags: MREPL, args: ['#d', '/fd'], device: '#d', text: 'bind #d /fd' });
  lines.push({ line: 0, verb: 'bind', flags: MREPL, args: ['#adm', '/adm'], device: '#adm', text: 'bind #adm /adm' });
  lines.push({ line: 0, verb: 'bind', flags: MREPL, args: ['#man', '/sys/man'], device: '#man', text: 'bind #man /sys/man' });
  kernel.addDevice('#boot', bootTree({ cohrole: () => role.name, mountPoints: lines.map((l) => targetOf(l, vars)) }));
  lap('services');

  // init and its capabilities; boot holds mount authority only while it builds the namespace.
  const init = kernel.newInit(user, new CSpace(), 'console');
  for (const c of role.caps) {
    if (c.object.startsWith('dev:#') && isAbsent(c.object.slice(4))) continue;
    kernel.grant(init, c.object, c.rights);
  }
  kernel.grant(init, 'dev:#boot', Right.read | Right.walk);
  kernel.grant(init, 'dev:#d', Right.read | Right.write | Right.walk);
  kernel.grant(init, 'dev:#adm', Right.read | Right.walk);
  kernel.grant(init, 'dev:#man', Right.read | Right.walk);
  const temp: number[] = [];
  if (!init.cspace.find('ns', Right.mount)) temp.push(kernel.grant(init, 'ns', Right.mount));
  const used = new Set<string>(['#boot']);
  for (const l of lines) if (l.device) used.add(l.device);
  for (const d of used) {
    const held = init.cspace.find(`dev:${d}`);
    if (held && !held.has(Right.mount)) temp.push(kernel.grant(init, `dev:${d}`, held.rights | Right.mount));
  }
  for (const [k, v] of Object.entries(vars)) if (k !== 'worker' || role.vars.has('worker')) init.env.vars.set(k === 'role' ? 'cohrole' : k, Buffer.from(v));
  lap('caps');

  const sys = new Sys(kernel, init);
  const exists = async (path: string): Promise<boolean> => { try { await sys.stat(path); return true; } catch { return false; } };
  // Make mount point t exist: the #boot directory of its parent, unioned in (or bound, if none).
  const ensure = async (t: string): Promise<void> => {
    if (t === '/' || await exists(t)) return;
    const p = parentOf(t);
    if (p === '/') return; // the root is a skeleton: it takes new mount points
    if (!await exists(p)) {
      await ensure(p);
      if (await exists(t)) return;
      if (!await exists(p)) { await sys.bind(`#boot${p}`, p, MREPL); return; }
    }
    await sys.bind(`#boot${p}`, p, MBEFORE);
  };
  for (const l of lines) {
    try {
      const a = l.args.map((w) => expand(w, vars));
      const t = targetOf(l, vars);
      if (l.verb !== 'unmount') await ensure(t);
      if (l.verb === 'bind') await sys.bind(a[0]!, t, l.flags);
      else if (l.verb === 'mount') await sys.mount(a[0]!, t, l.flags, a[2] ?? '');
      else await sys.unmount(a.length === 2 ? a[0]! : undefined, t);
    } catch (e) {
      const where = l.line ? `${role.file}:${l.line}` : l.device === '#d' || l.device === '#adm' || l.device === '#man' ? `${role.file}: ${l.args[1]}` : `${role.file}: service ${l.device} at its registered path`;
      throw new Error(`boot ${role.name}: ${where}: ${l.text}: ${(e as Error).message}`);
    }
  }
  await ensure('/srv/cohrole');
  for (const s of temp.reverse()) init.cspace.delete(s);
  init.errstr = '';
  lap('namespace');

  kernel.bootlog.push(
    `role=${role.name}`, `source=${source}`, `description=${role.description.replace(/\$(role|sysname|user|worker)\b/g, (_m, v: string) => vars[v]!)}`, `sysname=${kernel.sysname}`, `user=${user}`,
    ...(role.vars.has('worker') ? [`worker=${worker}`] : []),
    `services=${present.join(' ')}`, `absent=${absent.join(' ')}`, `caps=${capsText(init)}`,
    `commands=${role.commands === '*' ? '*' : role.commands.join(' ')}`,
    `devices=${[...kernel.devices.keys()].join(' ')}`,
    ...times, `time.total=${(performance.now() - t0).toFixed(2)}ms`,
  );
  kernel.log(`boot: ${role.name} (${source}); services ${present.join(' ') || 'none'}${absent.length ? `; absent ${absent.join(' ')}` : ''}`);
  return { kernel, init, sys, cons: devices.cons, devices, role, roleSource: source, present, absent, vars, exports };
}

