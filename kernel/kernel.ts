// The kernel: devices and services (each a 9P server), the process table, capabilities
// held at the root, programs, spawn/rfork/notes. Many kernels can live in one Node process.

import { Client } from '../fs/client/index.ts';
import type { FileServer } from '../fs/server/fileserver.ts';
import { OREAD, ORDWR } from '../fs/9p/constants.ts';
import { dial } from '../fs/transport/net.ts';
import { dialWebSocket } from '../fs/transport/websocket.ts';
import { ALL_RIGHTS, Cap, CSpace, Right } from './cap.ts';
import { Chan } from './chan.ts';
import { absPath } from './cleanname.ts';
import { Device, Mnt, MNTTYPE } from './device.ts';
import type { DevId } from './chan.ts';
import { PipeDevice } from './dev/pipe.ts';
import { resolveProgram } from './exec.ts';
import type { Resolved } from './exec.ts';
import { FdTable } from './fd.ts';
import { Namespace } from './namespace.ts';
import { EnvGroup, Proc } from './proc.ts';
import { Logins } from './logins.ts';
import { ExitSignal, Sys } from './sys.ts';
import { Enoproc, Enotallowed } from './errors.ts';
import * as E from '../fs/9p/errors.ts';

/** How long a turn of the event loop may run processes before preempt() makes them yield. */
const SLICE_MS = 10;

/** A program: TypeScript code run as a process. Returns (or exits with) a status string; '' is success. */
export type Program = (sys: Sys) => Promise<string | void> | string | void;

export interface SpawnOptions {
  /** rfork flags applied to the child (default: share namespace and environment, copy fds). */
  rfork?: string;
  /** Child fd n = parent fd fds[n] (others, and negative entries, closed); default: the parent's table copied. */
  fds?: number[];
  /** Extra environment for the child (after any rfork e/E). */
  env?: Record<string, string | Buffer>;
  cwd?: string;
  /** Capabilities for the child: a filter over the parent's (return the rights to keep). Needs grant to narrow. */
  caps?: (object: string, rights: number) => number | undefined;
  /** Override the process name shown in ps. */
  name?: string;
  /** The console the child's /dev/cons reaches (default: the parent's); a new session's. */
  consId?: string;
}

/** A 9P session posted in /srv (srv(3)). */
export interface Posted {
  client: Client;
  rights: number;
  owner: string;
  /** Where its files are (see Kernel.post). */
  devid: DevId;
}

/** Which programs spawn may start: a role's `commands` line, enforced for every process. */
export interface CommandPolicy {
  role: string;
  allows(name: string): boolean;
}

export interface KernelOptions {
  sysname?: string;
  log?: (line: string) => void;
}

export class Kernel {
  readonly sysname: string;
  readonly devices = new Map<string, Device>();
  readonly procs = new Map<number, Proc>();
  readonly programs = new Map<string, Program>();
  readonly envs = new Map<number, EnvGroup>();
  /** The original capability of every object; everything processes hold derives from these. */
  private readonly roots = new Map<string, Cap>();
  private nextPid = 1;
  private nextEnv = 1;
  private nextPipe = 1;
  readonly bootTime = Date.now();

  /**
   * Processes share one event loop and are not preempted: a process that never waits for
   * I/O (a shell loop of builtins, a program spinning on syscalls that complete at once)
   * would keep the loop from reading sockets, consoles and timers, so no ^C or other tab could
   * reach the node. preempt() bounds each turn of the loop to SLICE_MS of such running: past
   * it, it returns a promise the process awaits (resumed in a later turn, after the loop has
   * polled for I/O); within it, undefined. The turn's clock starts at its first call and
   * stops at the turn's end (a setImmediate), so of many spinning processes one runs per
   * turn and the others yield at once: I/O waits one slice, not one slice per spinner.
   */
  preempt(): Promise<void> | undefined {
    const now = performance.now();
    if (this.#turnStart === undefined) {
      this.#turnStart = now;
      setImmediate(() => { this.#turnStart = undefined; });
      return undefined;
    }
    if (now - this.#turnStart < SLICE_MS) return undefined;
    return new Promise((res) => setImmediate(res));
  }

  #turnStart: number | undefined;
  /** key=value lines: what boot did, for /proc/boot. */
  readonly bootlog: string[] = [];
  readonly kmesg: string[] = [];
  /** Sessions on this node and their records (/adm/who, /adm/wtmp). */
  readonly logins = new Logins();
  /** Who else hears the kernel's log lines (the /log service writes them to queen.log). */
  readonly logSinks = new Set<(line: string) => void>();
  /** The role's command list (its shell may run only these programs); undefined allows all. */
  commandPolicy: CommandPolicy | undefined;
  private readonly logFn: (line: string) => void;

  constructor(opts: KernelOptions = {}) {
    this.sysname = opts.sysname ?? 'cohesix';
    this.logFn = opts.log ?? (() => {});
  }

  log(line: string): void {
    const l = `${((Date.now() - this.bootTime) / 1000).toFixed(3)} ${line}`;
    this.kmesg.push(l);
    if (this.kmesg.length > 4096) this.kmesg.shift();
    this.logFn(l);
    for (const sink of this.logSinks) { try { sink(l); } catch { /* a sink's failure is its own */ } }
  }

  /** The root capability for an object (all rights), created on first use. */
  rootCap(object: string): Cap {
    let c = this.roots.get(object);
    if (!c) { c = new Cap(object, ALL_RIGHTS); this.roots.set(object, c); }
    return c;
  }

  addDevice(name: string, fs: FileServer<unknown>): Device {
    if (this.devices.has(name)) throw new Error(`device ${name} already registered`);
    const d = new Device(name, fs, (m) => this.log(`${name}: ${m}`), () => this.nextMntDev++);
    this.devices.set(name, d);
    this.rootCap(d.object);
    return d;
  }

  device(name: string): Device {
    const d = this.devices.get(name);
    if (!d) throw new Error(`${E.Enoent}: no device ${name}`);
    return d;
  }

  newEnv(copyOf?: EnvGroup): EnvGroup {
    const g = new EnvGroup(this.nextEnv++);
    if (copyOf) for (const [k, v] of copyOf.vars) g.vars.set(k, v); // values are never changed in place (dev/env.ts)
    this.envs.set(g.id, g);
    return g;
  }

  private dropEnv(g: EnvGroup): void {
    if (--g.refs === 0) this.envs.delete(g.id);
  }

  /** The first process of a node: empty namespace (a skeleton root), given capabilities. */
  newInit(user: string, cspace: CSpace, consId = 'console'): Proc {
    const ns = new Namespace(this.rootCap('ns').mint(Right.walk | Right.read));
    const p = new Proc({ pid: this.nextPid++, ppid: 0, name: 'init', args: ['init'], user, ns, env: this.newEnv(), fds: new FdTable(), cspace, consId });
    this.procs.set(p.pid, p);
    return p;
  }

  /** Mint a capability for the given process from the kernel's root (boot only). */
  grant(p: Proc, object: string, rights: number, badge = 0): number {
    return p.cspace.install(this.rootCap(object).mint(rights, badge));
  }

  /** Attach device dev (needs a capability for it with mount) and put it at old. */
  async mountDevice(p: Proc, spec: string, old: string, flags: number, aname: string, verb: 'bind' | 'mount'): Promise<void> {
    const name = spec.split('/')[0]!;
    const sub = spec.slice(name.length);
    const d = this.device(name);
    const cap = p.cspace.need(d.object, Right.mount, `${verb} ${name}`).mint(p.cspace.need(d.object, Right.mount, verb).rights);
    const attach = async (ctx: { pid: number; envId: number; consId: string; uname: string }): Promise<Chan> => {
      const a = aname || this.perProcessAname(name, ctx);
      let c = await d.attach(ctx.uname, a, cap, old);
      if (sub && sub !== '/') {
        const f = await c.fid.walk(sub);
        await c.clunk();
        c = new Chan(old, f.qid, cap, { kind: 'fid', fid: f }, c.devid);
      }
      return c;
    };
    const chan = await attach(p.ctx);
    const dyn = !aname && this.perProcessAname(name, p.ctx) !== '' ? attach : undefined;
    try {
      await p.ns.bind(chan, spec, old, flags, { verb, aname, ctx: p.ctx, ...(dyn ? { dyn, keyOf: (ctx) => this.perProcessAname(name, ctx) } : {}) });
    } catch (e) { await chan.clunk(); throw e; }
  }

  /** Devices whose tree depends on the walker: env (its group), cons (its console), proc (self). */
  private perProcessAname(dev: string, ctx: { envId: number; consId: string; pid: number }): string {
    if (dev === '#e') return String(ctx.envId);
    if (dev === '#c') return ctx.consId;
    if (dev === '#d') return String(ctx.pid);
    return '';
  }

  /** mount's sources: '#dev', a posted '/srv/name', or a dial string (tcp!h!p, unix!/p, ws://...). */
  async mountSource(p: Proc, src: string, old: string, flags: number, aname: string): Promise<void> {
    if (src.startsWith('#')) return this.mountDevice(p, src, old, flags, aname, 'mount');
    if (src.includes('!') || src.startsWith('ws://') || /^[^/]+:\d+$/.test(src)) {
      // The session dialed is a new object made by the process's `net m` authority: its cap
      // carries every file right on that session and hangs from the net cap, so revoking net
      // closes the mount (a mint could not grant rights the net cap does not name).
      const net = p.cspace.need('net', Right.mount, 'mount');
      const cap = new Cap('net', Right.read | Right.write | Right.walk | Right.create | Right.remove | Right.exec, 0, net);
      const mnt = await this.dialMnt(src, p.user, aname);
      cap.whenRevoked(() => mnt.close());
      const chan = mnt.rootChan(cap, old);
      try { await p.ns.bind(chan, src, old, flags, { verb: 'mount', aname, ctx: p.ctx }); } catch (e) { mnt.close(); throw e; }
      return;
    }
    // A channel posted in /srv: the srv device hands over the client it holds.
    const abs = absPath(p.cwd, src);
    const m = /^\/srv\/([^/]+)$/.exec(abs);
    if (!m) throw new Error(`mount: ${src}: not a device, posted channel or dial string`);
    const posted = this.posted.get(m[1]!);
    if (!posted) throw new Error(E.Enoent);
    // Its poster holds srv:NAME; so may any process of the same user that can reach #s and
    // mount (Plan 9: /srv/NAME is a file its owner may open), e.g. after `srv` has exited.
    const own = p.cspace.find(`srv:${m[1]}`, Right.mount)
      ?? (posted.owner === p.user && p.cspace.find('dev:#s', Right.walk) ? p.cspace.need('ns', Right.mount, 'mount') : undefined);
    if (!own) p.cspace.need(`srv:${m[1]}`, Right.mount, 'mount');
    const cap = own!.object === `srv:${m[1]}` ? own!.mint(posted.rights & own!.rights) : new Cap(`srv:${m[1]}`, posted.rights, 0, own);
    const { fid, qid } = await posted.client.attach(p.user, aname);
    const { CFid } = await import('../fs/client/index.ts');
    const chan = new Chan(old, qid, cap, { kind: 'fid', fid: new CFid(posted.client, fid, qid, '/') }, posted.devid);
    try { await p.ns.bind(chan, abs, old, flags, { verb: 'mount', aname, ctx: p.ctx }); } catch (e) { await chan.clunk(); throw e; }
  }

  /** 9P clients posted in /srv by name (Plan 9 srv(3)); the srv device lists them. */
  readonly posted = new Map<string, Posted>();

  /**
   * Post a 9P session under /srv/name; the poster receives the capability to mount it.
   * devid is what its files are on: a dialed connection's 'M' (the post holds it open), the
   * device of the fd whose session was posted, or else a new 'M' instance.
   */
  post(p: Proc, name: string, client: Client, rights = ALL_RIGHTS & ~Right.grant, devid?: DevId): number {
    if (this.posted.has(name)) throw new Error(E.Eexist);
    devid ??= { type: MNTTYPE, dev: this.nextMntDev++ };
    this.posted.set(name, { client, rights, owner: p.user, devid });
    devid.mnt?.hold();
    return this.grant(p, `srv:${name}`, ALL_RIGHTS);
  }

  /** Remove /srv/name; a dialed connection nothing else uses is closed (mounts of it live on). */
  unpost(name: string): void {
    const x = this.posted.get(name);
    if (!x) return;
    this.posted.delete(name);
    x.devid.mnt?.release();
  }

  /** Dial a 9P server and post the session in /srv as name (srv(4)). */
  async postDial(p: Proc, name: string, addr: string): Promise<void> {
    if (this.posted.has(name)) throw new Error(E.Eexist);
    const mnt = await this.dialMnt(addr, p.user, '');
    try { this.post(p, name, mnt.client, undefined, mnt.devid); } catch (e) { mnt.close(); throw e; }
  }

  /** Every 9P connection the kernel dialed and has not closed: shutdown closes them. */
  readonly mnts = new Set<Mnt>();
  /** The next Dir.dev of type 'M' (services and connections). */
  private nextMntDev = 0;

  /** Dial a 9P server (tcp!h!p, unix!/p, host:port, ws://...) and attach as uname to aname. */
  private async dialMnt(addr: string, uname: string, aname: string): Promise<Mnt> {
    const link = addr.startsWith('ws://') ? await dialWebSocket(addr) : await dial(addr);
    const client = await Client.connect(link, { uname, aname });
    const mnt = new Mnt(client, this.nextMntDev++, (m) => this.mnts.delete(m));
    this.mnts.add(mnt);
    return mnt;
  }

  /** The one capability every kernel pipe's chans carry (minting one per pipe would grow the root's tree forever). */
  private pipeCap: Cap | undefined;

  async newPipe(p: Proc): Promise<[Chan, Chan]> {
    const d = this.device('#|');
    const cap = this.pipeCap ??= this.rootCap(d.object).mint(Right.read | Right.write | Right.walk);
    if (d.fs instanceof PipeDevice) {
      // The kernel's own pipes: both ends opened here and used directly (no 9P on the hot path).
      const ends = d.fs.open2().map((end, i) => {
        const c = new Chan(`#|/${i === 0 ? 'data' : 'data1'}`, end.stat().qid, cap, { kind: 'pipe', end }, d.devid);
        c.mode = ORDWR;
        return c;
      });
      return [ends[0]!, ends[1]!];
    }
    const root = await d.attach(p.user, `pipe${this.nextPipe++}`, cap, '#|');
    const ends: Chan[] = [];
    try {
      for (const name of ['data', 'data1']) {
        const f = await root.fid.walk(name);
        try { await f.open(ORDWR); } catch (e) { await f.clunk(); throw e; }
        const c = new Chan(`#|/${name}`, f.qid, cap, { kind: 'fid', fid: f }, root.devid);
        c.mode = ORDWR;
        ends.push(c);
      }
      return [ends[0]!, ends[1]!];
    } catch (e) {
      for (const c of ends) await c.clunk();
      throw e;
    } finally { await root.clunk(); }
  }

  async rfork(p: Proc, flags: string): Promise<void> {
    for (const f of flags) {
      switch (f) {
        case 'n': { const old = p.ns; p.ns = old.clone(); await old.leave(); break; }
        case 'N': { const old = p.ns; p.ns = new Namespace(old.rootCap); await old.leave(); break; }
        case 'e': { const g = this.newEnv(p.env); this.dropEnv(p.env); p.env = g; break; }
        case 'E': { const g = this.newEnv(); this.dropEnv(p.env); p.env = g; break; }
        case 'f': case 'F': {
          const old = p.fds;
          p.fds = f === 'f' ? old.copy() : new FdTable();
          for (const fd of old.closeAll()) await p.ns.drop(fd.chan);
          break;
        }
        case 'p': case 's': case 'm': break; // process groups, notes and memory: nothing separate here
        default: throw new Error(`rfork: unknown flag '${f}'`);
      }
    }
  }

  /** Find the program for path in p's namespace: builtin marker, #! script, or refuse (kernel/exec.ts). */
  resolveProgram(p: Proc, path: string): Promise<Resolved> {
    return resolveProgram(this, p, path);
  }

  /** Start a child of parent running the program at path (walked in the parent's namespace). */
  async spawn(parent: Proc, path: string, argv: string[], opts: SpawnOptions = {}): Promise<Proc> {
    parent.cspace.need('proc', Right.spawn, 'spawn');
    const { prog, argv0, name } = await this.resolveProgram(parent, path);
    if (this.commandPolicy && !this.commandPolicy.allows(name)) throw new Error(`${Enotallowed} ${this.commandPolicy.role}`);
    const args = argv0.length ? [...argv0, ...argv.slice(1)] : argv;
    return this.fork(parent, prog, args, opts, opts.name ?? path.slice(path.lastIndexOf('/') + 1));
  }

  /**
   * Start a child of parent running prog, a function of the parent's program (Plan 9's
   * rfork(RFPROC) without exec: how a shell runs a subshell or a pipeline element).
   */
  async fork(parent: Proc, prog: Program, args: string[], opts: SpawnOptions = {}, name = opts.name ?? parent.name): Promise<Proc> {
    parent.cspace.need('proc', Right.spawn, 'spawn');
    let cspace: CSpace;
    if (opts.caps) {
      parent.cspace.need('proc', Right.grant, 'spawn with narrowed capabilities');
      const f = opts.caps;
      cspace = parent.cspace.derive((c) => f(c.object, c.rights));
    } else cspace = parent.cspace.derive();
    let fds: FdTable;
    if (opts.fds) {
      fds = new FdTable();
      opts.fds.forEach((pf, i) => { if (pf < 0) return; const fd = parent.fds.get(pf); fd.refs++; fds.install(fd, i); });
    } else fds = parent.fds.copy();
    parent.env.refs++;
    parent.ns.refs++;
    const child = new Proc({
      pid: this.nextPid++, ppid: parent.pid, name, args, user: parent.user,
      ns: parent.ns, env: parent.env, fds, cspace, consId: opts.consId ?? parent.consId, cwd: opts.cwd ?? parent.cwd,
    });
    this.procs.set(child.pid, child);
    parent.children.set(child.pid, child);
    if (opts.rfork) await this.rfork(child, opts.rfork);
    if (opts.env) for (const k in opts.env) { const v = opts.env[k]!; child.env.vars.set(k, typeof v === 'string' ? Buffer.from(v) : v); }
    for (const fd of fds.exec()) await child.ns.drop(fd.chan);
    void this.run(child, prog);
    return child;
  }

  /** Run a program as process p to its end; the status goes to the parent's wait queue. */
  async run(p: Proc, prog: Program): Promise<string> {
    p.state = 'Running';
    let status: string;
    try {
      const r = await prog(new Sys(this, p));
      status = typeof r === 'string' ? r : '';
    } catch (e) {
      if (e instanceof ExitSignal) status = e.status;
      else status = e instanceof Error ? e.message : String(e);
    }
    if (p.killed) status = 'killed'; // a kill note cannot be survived (notify(2))
    await this.exit(p, status);
    return status;
  }

  private async exit(p: Proc, status: string): Promise<void> {
    for (const fd of p.fds.closeAll()) await p.ns.drop(fd.chan);
    p.cspace.release();
    await p.ns.leave();
    this.dropEnv(p.env);
    p.setExit(status);
    const parent = this.procs.get(p.ppid);
    if (parent && !parent.exited) parent.childExited({ pid: p.pid, status: status ? `${p.name} ${p.pid}: ${status}` : '', time: Date.now() - p.started });
    this.procs.delete(p.pid);
    for (const c of p.children.values()) if (c.exited) p.children.delete(c.pid);
  }

  /** Notes: to yourself, your descendants, or anyone when you hold proc with grant. */
  postnote(from: Proc, pid: number, note: string): void {
    const t = this.procs.get(pid);
    if (!t) throw new Error(Enoproc);
    let q: Proc | undefined = t;
    while (q && q !== from) q = this.procs.get(q.ppid);
    if (!q) from.cspace.need('proc', Right.grant, 'postnote to a process that is not yours');
    t.postnote(note);
  }

  /** A note to every process on a console (its note group): how ^C reaches the foreground job. */
  noteConsole(consId: string, note: string): void {
    for (const p of this.procs.values()) if (p.consId === consId && p.ppid !== 0) p.postnote(note);
  }

  async shutdown(): Promise<void> {
    for (const p of this.procs.values()) p.postnote('kill');
    for (const d of this.devices.values()) await d.close();
    for (const x of this.posted.values()) x.client.close();
    for (const m of [...this.mnts]) m.close();
  }
}

export { OREAD };
