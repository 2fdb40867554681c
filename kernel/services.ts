// Services a node can start at boot: each a 9P file server, registered by name with the path
// it lives at in a queen's namespace. A role lists the services it wants (kernel/roles/*.role);
// boot starts the ones registered here as device '#name' and records the others as absent.
//
//   const services = new ServiceRegistry()
//     .register('cuda', { path: '/srv/cuda', start: (kernel) => new CudaServer(kernel) });
//   const node = await boot({ role: 'DroneWorker', services });
//
// A few kernel-side data areas are always registered (builtinServices): /input, /srv/telemetry,
// /srv/testlog and /worker, each a ramfs, so every role's namespace has something real in it.

import type { FileServer, Req } from '../fs/server/fileserver.ts';
import { Ramfs } from '../fs/server/ramfs.ts';
import type { RamHandle } from '../fs/server/ramfs.ts';
import { DMAPPEND, DMDIR, OREAD, OWRITE } from '../fs/9p/constants.ts';
import type { Kernel } from './kernel.ts';
import type { Role } from './role.ts';

/** What boot tells a starting service. */
export interface ServiceContext {
  role: Role;
  /** $role $sysname $user $worker. */
  vars: Readonly<Record<string, string>>;
}

export interface ServiceSpec {
  /** Where the service lives in a queen's namespace: '/srv/cuda', '/sim', '/queen', ... */
  path: string;
  /** Make the server (called once per boot); it is added to the kernel as device '#name'. */
  start(kernel: Kernel, ctx: ServiceContext): FileServer<unknown> | Promise<FileServer<unknown>>;
  /** One line for /proc/boot readers and docs. */
  description?: string;
}

const NAME = /^[a-z][a-z0-9_-]+$/;

export class ServiceRegistry {
  readonly #specs = new Map<string, ServiceSpec>();

  /** Add a service; a name already taken or malformed throws. */
  register(name: string, spec: ServiceSpec): this {
    if (!NAME.test(name)) throw new Error(`service name '${name}': lower case letters, digits, - and _, two characters at least`);
    if (name === 'boot' || name === 'mntgen') throw new Error(`service name '${name}' is a device boot makes`);
    if (!spec.path.startsWith('/')) throw new Error(`service ${name}: path '${spec.path}' is not absolute`);
    if (this.#specs.has(name)) throw new Error(`service ${name} is already registered`);
    this.#specs.set(name, spec);
    return this;
  }

  get(name: string): ServiceSpec | undefined { return this.#specs.get(name); }
  has(name: string): boolean { return this.#specs.has(name); }
  names(): string[] { return [...this.#specs.keys()]; }
}

function kreq(uname = 'sys'): Req {
  return { uname, signal: new AbortController().signal, dialect: '9P2000' };
}

/**
 * Put files and directories into a fresh ramfs: keys ending in '/' are directories, others
 * files with the given content; a content starting with '>>' makes an append-only file.
 */
export function seedRamfs(fs: Ramfs, entries: Record<string, string>, owner = 'sys'): Ramfs {
  const req = kreq(owner);
  for (const [path, content] of Object.entries(entries)) {
    const names = path.split('/').filter(Boolean);
    let h: RamHandle = fs.attach(owner, '', req).node;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const last = i === names.length - 1;
      const isDir = !last || path.endsWith('/');
      let next: RamHandle;
      try { next = fs.walk(h, name, req).node; } catch {
        const append = !isDir && content.startsWith('>>');
        const perm = isDir ? (DMDIR | 0o777) >>> 0 : (append ? DMAPPEND | 0o666 : 0o666) >>> 0;
        next = fs.create(h, name, perm, isDir ? OREAD : OWRITE, req).node;
        if (!isDir) {
          const data = Buffer.from(append ? content.slice(2) : content);
          if (data.length) fs.write(next, 0, data, req);
        }
        fs.clunk(next, req);
        next = fs.walk(h, name, req).node;
      }
      h = next;
    }
  }
  return fs;
}

/**
 * A stand-in for a service not built yet: a ramfs with `ctl` (its name, then whatever is
 * written) and an empty `data/` directory. Tests and demos register it under real names.
 */
export function placeholder(name: string): FileServer<unknown> {
  return seedRamfs(new Ramfs({ owner: 'sys' }), { ctl: `placeholder ${name}\n`, 'data/': '' }) as FileServer<unknown>;
}

/** The kernel-side data areas every node has (any role may name them in `services`). */
export function builtinServices(): ServiceRegistry {
  return new ServiceRegistry()
    .register('input', {
      path: '/input', description: 'sensor and user input: one file per source, written by relays',
      start: () => new Ramfs({ owner: 'sys' }) as FileServer<unknown>,
    })
    .register('telemetry', {
      path: '/srv/telemetry', description: 'telemetry.log, diagnostics.log and trace.log (append-only)',
      start: () => seedRamfs(new Ramfs({ owner: 'sys' }), { 'telemetry.log': '>>', 'diagnostics.log': '>>', 'trace.log': '>>' }) as FileServer<unknown>,
    })
    .register('testlog', {
      path: '/srv/testlog', description: 'results written by test runs',
      start: () => new Ramfs({ owner: 'sys' }) as FileServer<unknown>,
    })
    .register('worker', {
      path: '/worker', description: 'a directory per worker: telemetry (append-only) and heartbeat',
      start: (_k, ctx) => {
        const fs = new Ramfs({ owner: 'sys' });
        // A worker role's own directory exists from boot (its namespace binds it).
        if (ctx.role.vars.has('worker')) seedRamfs(fs, { [`${ctx.vars.worker}/telemetry`]: '>>', [`${ctx.vars.worker}/heartbeat`]: '' });
        return fs as FileServer<unknown>;
      },
    });
}
