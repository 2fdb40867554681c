// CohRoles as data: kernel/roles/<Name>.role files, parsed and checked here; kernel/boot.ts
// applies them. The format (also in each file's header):
//
//   # a comment: a line whose first non-blank character is '#'
//   role NAME                     the role; must be the file's name
//   description TEXT              one line for humans
//   services NAME...              services to start when registered (absent ones are recorded)
//   cap OBJECT RIGHTS             a capability for init: ns, proc, net, dev:#x, srv:NAME;
//                                 rights are letters from rwlcdmxsg (see kernel/cap.ts)
//   commands * | NAME...          what the role's shell may run
//   bind [-abc] NEW OLD           namespace lines, exactly as in Plan 9's /lib/namespace,
//   mount [-abc] SRC OLD [SPEC]   applied in order through the syscalls; words may be quoted
//   unmount [NEW] OLD             rc-style ('a b', '' for a quote); $role $sysname $user $worker expand.
//
// A namespace line naming a device #name of more than one character refers to a service,
// which must be in `services` (or be a device boot itself makes: #boot, #mntgen). Every device
// a line uses needs a `cap dev:#x` line, and every service one too. Errors name the file and line.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRights } from './cap.ts';
import { MAFTER, MBEFORE, MCREATE } from './namespace.ts';

/** The nine CohRoles, in the order of DESIGN.md. */
export const ROLE_NAMES = [
  'QueenPrimary', 'RegionalQueen', 'BareMetalQueen', 'DroneWorker', 'InteractiveAiBooth',
  'KioskInteractive', 'GlassesAgent', 'SensorRelay', 'SimulatorTest',
] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/** The role when nothing names one. */
export const DEFAULT_ROLE: RoleName = 'QueenPrimary';

/** Variables namespace lines may use. */
export const ROLE_VARS = ['role', 'sysname', 'user', 'worker'] as const;

/** Devices boot makes itself, which namespace lines may name without listing a service. */
export const BOOT_DEVICES = ['#boot', '#mntgen'] as const;

export interface RoleCap {
  line: number;
  object: string;
  rights: number;
  /** The letters as written. */
  letters: string;
}

export interface NsLine {
  line: number;
  verb: 'bind' | 'mount' | 'unmount';
  /** MREPL/MBEFORE/MAFTER/MCREATE bits. */
  flags: number;
  /** The words after the verb and flag. */
  args: string[];
  /** The device this line takes its source from ('#c', '#sim'), if any. */
  device: string | undefined;
  /** The line as written. */
  text: string;
}

export interface Role {
  name: string;
  file: string;
  description: string;
  services: string[];
  caps: RoleCap[];
  /** '*' for any command, else the names the shell may run. */
  commands: '*' | string[];
  namespace: NsLine[];
  /** Variables the namespace lines use. */
  vars: Set<string>;
}

/** A role file error: `file:line: message`. */
export class RoleError extends Error {
  readonly file: string;
  readonly line: number;
  constructor(file: string, line: number, msg: string) {
    super(`${file}:${line}: ${msg}`);
    this.name = 'RoleError';
    this.file = file;
    this.line = line;
  }
}

/** Split a line into words: blanks separate, '...' quotes ('' inside is one quote). */
export function words(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    let w = '';
    while (i < s.length && !/\s/.test(s[i]!)) {
      if (s[i] === "'") {
        i++;
        for (;;) {
          if (i >= s.length) throw new Error('unterminated quote');
          if (s[i] === "'") {
            if (s[i + 1] === "'") { w += "'"; i += 2; continue; }
            i++;
            break;
          }
          w += s[i++];
        }
      } else w += s[i++];
    }
    out.push(w);
  }
  return out;
}

/** The device a namespace source names: '#c' of '#c', '#sim' of '#sim/data'. */
export function deviceOf(src: string): string | undefined {
  if (!src.startsWith('#')) return undefined;
  const i = src.indexOf('/');
  return i < 0 ? src : src.slice(0, i);
}

const OBJECT = /^(ns|proc|net|dev:#\S+|srv:[^/\s]+)$/;
const NAME = /^[a-z][a-z0-9_-]+$/;

function parseFlags(w: string): number {
  if (!/^-[abc]+$/.test(w)) throw new Error(`bad flag '${w}' (want -a, -b, -c or a combination like -ac)`);
  let f = 0;
  for (const ch of w.slice(1)) f |= ch === 'a' ? MAFTER : ch === 'b' ? MBEFORE : MCREATE;
  if ((f & MAFTER) && (f & MBEFORE)) throw new Error(`flag '${w}': -a and -b together`);
  return f;
}

function checkVars(w: string, vars: Set<string>): void {
  for (const m of w.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)?/g)) {
    const v = m[1];
    if (!v || !(ROLE_VARS as readonly string[]).includes(v)) throw new Error(`unknown variable '$${v ?? ''}' (want ${ROLE_VARS.map((x) => '$' + x).join(' ')})`);
    vars.add(v);
  }
}

function isPath(w: string): boolean { return w.startsWith('/') || w.startsWith('$'); }

/** Parse and check a role file's text. name is what the file must call itself (from its file name). */
export function parseRole(text: string, file: string, name?: string): Role {
  const role: Role = { name: '', file, description: '', services: [], caps: [], commands: [], namespace: [], vars: new Set() };
  let sawCommands = false, sawRole = 0, sawDescription = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const raw = lines[i]!.replace(/\r$/, '');
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) continue;
    const fail = (msg: string): never => { throw new RoleError(file, n, msg); };
    let w: string[];
    // A description is free text (apostrophes included); everything else is words.
    if (/^description(\s|$)/.test(t)) w = ['description', ...t.slice('description'.length).trim().split(/\s+/).filter(Boolean)];
    else try { w = words(t); } catch (e) { return fail((e as Error).message); }
    const [verb, ...rest] = w as [string, ...string[]];
    switch (verb) {
      case 'role':
        if (sawRole) fail(`second 'role' statement (the first is on line ${sawRole})`);
        if (rest.length !== 1) fail(`'role' wants one name, got ${rest.length}`);
        if (name !== undefined && rest[0] !== name) fail(`role '${rest[0]}' in a file for '${name}'`);
        role.name = rest[0]!;
        sawRole = n;
        break;
      case 'description':
        if (sawDescription) fail(`second 'description' statement`);
        if (rest.length === 0) fail(`'description' wants text`);
        role.description = t.slice('description'.length).trim();
        sawDescription = true;
        break;
      case 'services':
        for (const s of rest) {
          if (!NAME.test(s)) fail(`bad service name '${s}' (lower case letters, digits, - and _, two characters at least)`);
          if ((BOOT_DEVICES as readonly string[]).includes('#' + s)) fail(`'${s}' is a device boot makes, not a service`);
          if (role.services.includes(s)) fail(`service '${s}' listed twice`);
          role.services.push(s);
        }
        break;
      case 'cap': {
        if (rest.length !== 2) fail(`'cap' wants OBJECT RIGHTS, got ${rest.length} words`);
        const [object, letters] = rest as [string, string];
        if (!OBJECT.test(object)) fail(`bad capability object '${object}' (want ns, proc, net, dev:#x or srv:NAME)`);
        if (!/^[rwlcdmxsg]+$/.test(letters)) fail(`bad rights '${letters}' for ${object} (letters from rwlcdmxsg: read write walk create remove mount exec spawn grant)`);
        const dup = role.caps.find((c) => c.object === object);
        if (dup) fail(`second capability for ${object} (the first is on line ${dup.line})`);
        role.caps.push({ line: n, object, rights: parseRights(letters), letters });
        break;
      }
      case 'commands':
        if (sawCommands) fail(`second 'commands' statement`);
        if (rest.length === 0) fail(`'commands' wants * or names`);
        if (rest.includes('*') && rest.length > 1) fail(`'commands *' stands alone`);
        role.commands = rest[0] === '*' ? '*' : rest;
        sawCommands = true;
        break;
      case 'bind': case 'mount': case 'unmount': {
        let flags = 0;
        let args = rest;
        if (verb !== 'unmount' && args[0]?.startsWith('-')) {
          try { flags = parseFlags(args[0]); } catch (e) { fail((e as Error).message); }
          args = args.slice(1);
        }
        const want = verb === 'bind' ? [2, 2] : verb === 'mount' ? [2, 3] : [1, 2];
        if (args.length < want[0]! || args.length > want[1]!) {
          fail(`'${verb}' wants ${verb === 'bind' ? 'NEW OLD' : verb === 'mount' ? 'SRC OLD [SPEC]' : '[NEW] OLD'}, got ${args.length} words`);
        }
        try { for (const a of args) checkVars(a, role.vars); } catch (e) { fail((e as Error).message); }
        const src = verb === 'unmount' ? (args.length === 2 ? args[0]! : undefined) : args[0]!;
        const old = verb === 'unmount' ? args[args.length - 1]! : args[1]!;
        if (!isPath(old)) fail(`mount point '${old}' is not an absolute path`);
        if (verb === 'bind' && src !== undefined && !src.startsWith('#') && !isPath(src)) fail(`bind source '${src}' is neither a device (#x) nor an absolute path`);
        if (verb === 'mount' && src !== undefined && !src.startsWith('#') && !src.startsWith('/srv/') && !src.includes('!')) {
          fail(`mount source '${src}' is not a device (#x), a posted channel (/srv/NAME) or a dial string (tcp!host!port)`);
        }
        const device = verb === 'unmount' || src === undefined ? undefined : deviceOf(src);
        if (device !== undefined) {
          if (device.length < 2) fail(`'#' names no device`);
          const multi = [...device].length > 2;
          if (multi && !(BOOT_DEVICES as readonly string[]).includes(device) && !role.services.includes(device.slice(1))) {
            fail(`${device} is not a kernel device and '${device.slice(1)}' is not in this role's services (list it on a services line before this)`);
          }
          if (!role.caps.some((c) => c.object === `dev:${device}`)) fail(`${device} is used but the role holds no 'cap dev:${device}' (give one before this line)`);
        }
        role.namespace.push({ line: n, verb, flags, args, device, text: t });
        break;
      }
      default:
        fail(`unknown statement '${verb}' (want role, description, services, cap, commands, bind, mount or unmount)`);
    }
  }
  const end = lines.length;
  if (!sawRole) throw new RoleError(file, end, `no 'role NAME' statement`);
  if (!sawDescription) throw new RoleError(file, end, `no 'description' statement`);
  if (!sawCommands) throw new RoleError(file, end, `no 'commands' statement (use 'commands *' to allow every command)`);
  for (const s of role.services) {
    if (!role.caps.some((c) => c.object === `dev:#${s}`)) throw new RoleError(file, end, `service '${s}' has no 'cap dev:#${s}'`);
  }
  return role;
}

/** The repository root: the nearest directory above this module holding package.json (works from dist/ too). */
export function repoRoot(from: string = import.meta.url): string {
  let d = dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(join(d, 'package.json'))) return d;
    const up = dirname(d);
    if (up === d) throw new Error(`cannot find the cohesix repository (no package.json above ${fileURLToPath(from)})`);
    d = up;
  }
}

/** Where the role files live: <repo>/kernel/roles. */
export function rolesDir(): string {
  return join(repoRoot(), 'kernel', 'roles');
}

/** The canonical spelling of a role name (matching is case-insensitive), or an error listing the nine. */
export function roleName(name: string, from?: string): RoleName {
  const hit = ROLE_NAMES.find((r) => r.toLowerCase() === name.trim().toLowerCase());
  if (!hit) throw new Error(`unknown role '${name}'${from ? ` (from ${from})` : ''}: want one of ${ROLE_NAMES.join(', ')}`);
  return hit;
}

/** Read and parse one role's file. */
export function loadRole(name: string, dir: string = rolesDir()): Role {
  const n = roleName(name);
  const file = join(dir, `${n}.role`);
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) { throw new Error(`role ${n}: cannot read ${file}: ${(e as Error).message}`); }
  return parseRole(text, file, n);
}

/** Every role file in dir (the nine, and any others there). */
export function loadAllRoles(dir: string = rolesDir()): Role[] {
  return readdirSync(dir).filter((f) => f.endsWith('.role')).sort()
    .map((f) => parseRole(readFileSync(join(dir, f), 'utf8'), join(dir, f), f.slice(0, -'.role'.length)));
}

/** Whether the role's shell may run cmd. */
export function allowsCommand(role: Role, cmd: string): boolean {
  return role.commands === '*' || role.commands.includes(cmd);
}

/** Replace $role $sysname $user $worker in a word. */
export function expand(w: string, vars: Readonly<Record<string, string>>): string {
  return w.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, v: string) => {
    const x = vars[v];
    if (x === undefined) throw new Error(`$${v} is not set`);
    return x;
  });
}
