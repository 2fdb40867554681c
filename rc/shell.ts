// The rc interpreter: walks the tree of rc/parse.ts in one kernel process. Commands run
// as child processes (sys.spawn), subshells and pipeline elements as forks of this program
// running a copy of the shell (sys.fork), as Plan 9's rc forks itself. The last element of
// a pipeline runs in the shell, as in Plan 9's rc.
//
// File descriptors: `fds[n]` is the process's real descriptor standing for rc's fd n, so a
// redirection of a builtin or a block never disturbs the shell's own table; a child is
// handed exactly that mapping.

import type { Sys } from '../kernel/sys.ts';
import { OREAD, ORDWR, OTRUNC, OWRITE } from '../kernel/sys.ts';
import { builtins } from './builtins.ts';
import { execSync, isBareAssign, matches, pureWord, syncable, truth } from './fast.ts';
import { glob, isPattern, unmark } from './glob.ts';
import type { GlobFs } from './glob.ts';
import { deparseFnBody } from './deparse.ts';
import { quoteWord } from './quote.ts';
import type { Cmd, FnDef, Pipe, Redir, Word } from './tree.ts';
import { envEncode, UNEXPORTED, Vars } from './vars.ts';
import type { List } from './vars.ts';
import { evalWord, evalWords, hereSubst, RcError } from './words.ts';

export { RcError } from './words.ts';
export { truth } from './fast.ts';

/** `exit` (or the end of input): unwinds the whole shell with a status. */
/** Commands whose status rc -s prints (the ones that make a status, not those that hold others). */
const STATUS_SHOWN: ReadonlySet<Cmd['kind']> = new Set(['simple', 'pipe', 'match', 'not', 'subshell']);

export class RcExit extends Error {
  readonly status: string;
  constructor(status: string) { super(`exit ${status}`); this.status = status; }
}
/** `return` from a function. */
export class RcReturn extends Error {
  readonly status: string;
  constructor(status: string) { super('return'); this.status = status; }
}
/** An interrupt note with no sigint function: abandons the interactive line. */
export class RcInterrupt extends Error {}

/** Deepest function nesting before rc refuses (a runaway recursion is reported, not fatal to the node). */
export const MAXDEPTH = 1000;

const enc = new TextEncoder();

export class Shell {
  readonly sys: Sys;
  vars: Vars;
  /** rc fd n -> the process's real fd (-1: closed). */
  fds: number[];
  status = '';
  /** The last `if` condition failed (for `if not`). */
  ifnot = false;
  readonly flags = new Set<string>();
  interactive = false;
  depth = 0;
  /** Conditions being evaluated (flag e does not apply there). */
  private inCond = 0;
  /** Notes delivered and not yet acted on. */
  readonly notes: string[] = [];
  /** Which tree nodes fast.ts can run without awaiting (shared with forked copies). */
  memo = new WeakMap<Cmd, boolean>();
  /** The last exports() and the variables' version it was made from. */
  private exported: { version: number; env: Record<string, Buffer> } | undefined;
  /** Encoded values by the list or function they encode (lists are replaced, never changed, on assignment). */
  private readonly encoded = new WeakMap<object, Buffer>();
  /** Real fds of <{...} >{...} words, kept open for the command that names them. */
  private procFds: number[] = [];

  constructor(sys: Sys, vars: Vars, fds: number[]) {
    this.sys = sys;
    this.vars = vars;
    this.fds = fds;
    sys.notify((note) => {
      sys.proc.takeNotes();
      this.notes.push(note);
      return 'continue';
    });
  }

  // ---- output ----

  async write(fd: number, s: string | Uint8Array): Promise<void> {
    const real = this.fds[fd] ?? -1;
    if (real < 0) return;
    try { await this.sys.write(real, typeof s === 'string' ? enc.encode(s) : s); } catch { /* a closed reader is the reader's business */ }
  }

  err(msg: string): Promise<void> { return this.write(2, msg.endsWith('\n') ? msg : msg + '\n'); }

  // ---- running ----

  /** Run a tree, or nothing. */
  async run(c: Cmd | null): Promise<void> {
    if (c) await this.exec(c);
  }

  /** Handle pending notes: run fn sigint and the like, else end the command (RcInterrupt) or the shell. */
  async checkNotes(): Promise<void> {
    while (this.notes.length) {
      const note = this.notes.shift()!;
      const fname = note === 'interrupt' ? 'sigint' : note === 'hangup' ? 'sighup' : note === 'alarm' ? 'sigalrm' : '';
      const fn = fname ? this.vars.fns.get(fname) : undefined;
      if (fn) { await this.callFn(fn, [fname]); continue; }
      if (this.interactive) throw new RcInterrupt(note);
      throw new RcExit(note);
    }
  }

  async exec(c: Cmd): Promise<void> {
    if (this.flags.has('s') && STATUS_SHOWN.has(c.kind)) {
      // rc -s: the status of any command that ends with one that is not null.
      await this.execCmd(c);
      if (!truth(this.status)) await this.err(`status=${quoteWord(this.status)}`);
      return;
    }
    return this.execCmd(c);
  }

  private async execCmd(c: Cmd): Promise<void> {
    if (this.notes.length) await this.checkNotes();
    if (syncable(c, this.memo) && !this.flags.has('s')) { execSync(this, c); return; }
    switch (c.kind) {
      case 'simple': return this.simple(c.words, c.redirs);
      case 'block': {
        const restore = await this.redirect(c.redirs);
        try { await this.run(c.body); } finally { await restore(); }
        return;
      }
      case 'redir': {
        const restore = await this.redirect([c.redir]);
        try { await this.run(c.body); } finally { await restore(); }
        return;
      }
      case 'seq': for (const x of c.cmds) await this.exec(x); return;
      case 'and': case 'or': {
        await this.cond(c.left);
        if (truth(this.status) === (c.kind === 'and')) await this.exec(c.right);
        return;
      }
      case 'not': await this.cond(c.body); this.status = truth(this.status) ? 'false' : ''; return;
      case 'pipe': return this.pipe(c);
      case 'subshell': this.status = await this.sys.waitpid(await this.fork((ch) => ch.exec(c.body), this.childFds())); return;
      case 'bg': {
        const fds = this.childFds();
        let devnull = -1;
        try { devnull = await this.sys.open('/dev/null', OREAD); fds[0] = devnull; } catch { /* no /dev/null: keep stdin */ }
        try {
          // A plain command is started as itself, so $apid is the command (what kill should reach).
          const r = await this.startElement(c.body, fds);
          if (typeof r === 'number') this.vars.set('apid', [String(r)]);
        } finally { if (devnull >= 0) await this.sys.close(devnull); }
        this.status = '';
        return;
      }
      case 'if': {
        if (c.cond) await this.cond(c.cond); else this.status = '';
        // As rc's Xwastrue: after a taken branch, a following `if not` does not run.
        if (truth(this.status)) { this.ifnot = false; await this.exec(c.body); this.ifnot = false; } else this.ifnot = true;
        return;
      }
      case 'ifnot': if (this.ifnot) await this.exec(c.body); return;
      case 'while': {
        for (;;) {
          if (c.cond) await this.cond(c.cond); else this.status = '';
          if (!truth(this.status)) return;
          await this.exec(c.body);
          const slice = this.sys.preempt();
          if (slice) await slice;
          if (this.notes.length) await this.checkNotes();
        }
      }
      case 'for': {
        const name = await this.name(c.name);
        const list = c.list === null ? [...(this.vars.get('*') ?? [])] : await this.globAll(await evalWords(this, c.list));
        // The loop variable is restored after the loop, as 9base's rc does.
        const frame = new Map<string, List>([[name, []]]);
        const pop = this.vars.push(frame);
        try {
          const sync = syncable(c.body, this.memo);
          for (const v of list) {
            this.vars.set(name, [v]);
            if (sync) execSync(this, c.body); else await this.exec(c.body);
            const slice = this.sys.preempt();
            if (slice) { await slice; if (this.notes.length) await this.checkNotes(); }
          }
        } finally { pop(); }
        return;
      }
      case 'switch': {
        const subject = (await evalWord(this, c.subject)).map(unmark);
        this.status = '';
        for (const k of c.cases) {
          const pats = await evalWords(this, k.patterns);
          if (matches(subject, pats)) { for (const x of k.body) await this.exec(x); return; }
        }
        return;
      }
      case 'match': {
        const subject = (await evalWord(this, c.subject)).map(unmark);
        const pats = await evalWords(this, c.patterns);
        this.status = matches(subject, pats) ? '' : 'no match';
        return;
      }
      case 'fndef': for (const n of await this.names(c.names)) this.vars.fns.set(n, c); this.vars.touch(); return;
      case 'fndel': for (const n of await this.names(c.names)) this.vars.fns.delete(n); this.vars.touch(); return;
      case 'assign': {
        const name = await this.name(c.name);
        const value = await this.globAll(await evalWord(this, c.value));
        if (c.body === null || isBareAssign(c.body)) {
          // `a=1 b=2` with no command assigns them all.
          // An assignment leaves $status as it was (rc).
          if (name === 'status') this.status = value.join(' ');
          else this.vars.set(name, value);
          if (c.body) await this.exec(c.body);
          return;
        }
        if (c.body === null) {
          this.vars.set(name, value);
          this.status = '';
          return;
        }
        const pop = this.vars.push(new Map([[name, value]]));
        try { await this.exec(c.body); } finally { pop(); }
        return;
      }
    }
  }

  /** Run a condition: flag e does not end the shell inside it. */
  private async cond(c: Cmd): Promise<void> {
    this.inCond++;
    try { await this.exec(c); } finally { this.inCond--; }
  }

  private async name(w: Word): Promise<string> {
    const v = await evalWord(this, w);
    if (v.length !== 1) throw new RcError('variable name not singleton!');
    return unmark(v[0]!);
  }

  private async names(ws: Word[]): Promise<string[]> { return (await evalWords(this, ws)).map(unmark); }

  /** Glob every word (the tree's unquoted * ? [ only). */
  async globAll(l: List): Promise<List> {
    if (!l.some(isPattern)) return l;
    const out: List = [];
    for (const w of l) for (const x of await glob(w, this.globFs())) out.push(x);
    return out;
  }

  private globFs(): GlobFs {
    const sys = this.sys;
    return {
      cwd: sys.proc.cwd,
      dirread: (p) => sys.dirread(p),
      exists: async (p) => { try { await sys.stat(p); return true; } catch { return false; } },
    };
  }

  private async simple(words: Word[], redirs: Redir[]): Promise<void> {
    const restore = await this.redirect(redirs);
    const procFds = this.procFds;
    this.procFds = [];
    try {
      const argv = (await this.globAll(await evalWords(this, words))).map(unmark);
      if (argv.length === 0) return;
      if (this.flags.has('x')) await this.err(argv.map(quoteWord).join(' '));
      await this.command(argv);
      if (this.flags.has('e') && this.inCond === 0 && !truth(this.status)) throw new RcExit(this.status);
    } finally {
      for (const fd of this.procFds) await this.sys.close(fd).catch(() => {});
      this.procFds = procFds;
      await restore();
    }
  }

  /** Run argv: a function, a builtin, or a program found through $path. */
  async command(argv: List, useFns = true): Promise<void> {
    const name = argv[0]!;
    const fn = useFns ? this.vars.fns.get(name) : undefined;
    if (fn) return this.callFn(fn, argv);
    const b = builtins.get(name);
    if (b) { this.status = await b(this, argv); return; }
    const pid = await this.spawn(argv);
    if (pid !== undefined) this.status = await this.sys.waitpid(pid);
  }

  async callFn(fn: FnDef, argv: List): Promise<void> {
    if (this.depth >= MAXDEPTH) throw new RcError(`${argv[0]}: function nesting deeper than ${MAXDEPTH} (runaway recursion?)`);
    this.depth++;
    const pop = this.vars.push(new Map([['*', argv.slice(1)]]));
    try { await this.run(fn.body); } catch (e) {
      if (!(e instanceof RcReturn)) throw e;
      this.status = e.status;
    } finally { pop(); this.depth--; }
  }

  /** Start a program along $path; prints rc's message and sets $status when there is none. */
  async spawn(argv: List): Promise<number | undefined> {
    const r = await this.spawnWith(argv, this.childFds());
    if (typeof r === 'number') return r;
    this.status = r.status;
    return undefined;
  }

  /** Start argv along $path with the given fds; when nothing starts, rc's message is printed. */
  private async spawnWith(argv: List, fds: number[]): Promise<number | { status: string }> {
    const name = argv[0]!;
    // Try each directory of $path; report the most telling failure (a file found but refused beats absence).
    let why = 'file does not exist';
    for (const p of this.pathCandidates(name)) {
      const r = await this.sys.trySpawn(p, argv, { fds, rfork: 'E', env: this.exports() });
      if (typeof r === 'number') return r;
      if (!r.startsWith('file does not exist') && (why === 'file does not exist' || r.startsWith('command not allowed'))) why = r;
    }
    await this.err(`${name}: ${why}`);
    return { status: why };
  }

  /** Where $path says to look for name: itself when it is a path (/x ./x ../x #x), else each directory's. */
  pathCandidates(name: string): string[] {
    if (name.startsWith('/') || name.startsWith('./') || name.startsWith('../') || name.startsWith('#')) return [name];
    return (this.vars.get('path') ?? ['.', '/bin']).map((d) => (d === '' ? name : d === '.' ? `./${name}` : `${d.replace(/\/+$/, '')}/${name}`));
  }

  /** The environment a command gets: every set variable (lists NUL-separated) and fn#NAME. */
  exports(): Record<string, Buffer> {
    if (this.exported?.version === this.vars.version) return this.exported.env;
    const env: Record<string, Buffer> = {};
    const enc = <T extends object>(x: T, f: (x: T) => string): Buffer => {
      let b = this.encoded.get(x);
      if (!b) { b = Buffer.from(f(x)); this.encoded.set(x, b); }
      return b;
    };
    for (const [k, v] of this.vars.visible()) if (v.length && !UNEXPORTED.has(k) && !/^[0-9]+$/.test(k)) env[k] = enc(v, envEncode);
    for (const [k, f] of this.vars.fns) env[`fn#${k}`] = enc(f, deparseFnBody);
    this.exported = { version: this.vars.version, env };
    return env;
  }

  /** The fd mapping a child gets: rc's fds, plus the <{...} descriptors at their own numbers. */
  childFds(): number[] {
    const out = this.fds.slice();
    for (const fd of this.procFds) { while (out.length <= fd) out.push(-1); out[fd] = fd; }
    return out;
  }

  /** Fork a copy of this shell running body with the given fds; returns its pid. */
  fork(body: (ch: Shell) => Promise<void>, fds: number[]): Promise<number> {
    return this.sys.fork(async (csys) => {
      const ch = new Shell(csys, this.vars.clone(), fds.map((f, i) => (f < 0 ? -1 : i)));
      for (const f of this.flags) ch.flags.add(f);
      ch.memo = this.memo;
      ch.ifnot = this.ifnot;
      ch.status = this.status;
      return ch.guard(() => body(ch));
    }, this.sys.args, { fds, name: 'rc' });
  }

  /** Run body to a final status: exit, errors and interrupts end here. */
  async guard(body: () => Promise<void>): Promise<string> {
    let status: string;
    try { await body(); status = this.status; } catch (e) {
      if (e instanceof RcExit) status = e.status;
      else if (e instanceof RcReturn) status = e.status;
      else if (e instanceof RcError) { await this.err(`rc: ${e.message}`); status = e.message; }
      else if (e instanceof RcInterrupt) status = 'interrupted';
      else throw e;
    }
    // A process's status is '' for success: rc's true statuses ('|', '0|0') become ''.
    return truth(status) ? '' : status;
  }

  /**
   * A pipeline, flattened: every element but the last runs in a child (a simple command
   * straight as the program, anything else in a forked rc), the last in the shell, as rc
   * does. $status joins the elements' statuses with |.
   */
  private async pipe(c: Pipe): Promise<void> {
    const elems: Cmd[] = [];
    const joints: Array<[number, number]> = [];
    let x: Cmd = c;
    while (x.kind === 'pipe') { elems.unshift(x.right); joints.unshift([x.fdLeft, x.fdRight]); x = x.left; }
    elems.unshift(x);
    const started: Array<number | string> = [];
    let feed = -1; // the read end feeding the next element
    try {
      for (let i = 0; i < elems.length - 1; i++) {
        const [r, w] = await this.sys.pipe();
        try {
          const fds = this.childFds();
          if (feed >= 0) place(fds, joints[i - 1]![1], feed);
          place(fds, joints[i]![0], w);
          started.push(await this.startElement(elems[i]!, fds));
        } catch (e) { await this.sys.close(r); throw e; } finally {
          await this.sys.close(w);
          if (feed >= 0) { await this.sys.close(feed); feed = -1; }
        }
        feed = r;
      }
      const fd = joints[joints.length - 1]![1];
      while (this.fds.length <= fd) this.fds.push(-1);
      const saved = this.fds[fd]!;
      this.fds[fd] = feed;
      try { await this.exec(elems[elems.length - 1]!); } finally { this.fds[fd] = saved; }
    } finally {
      if (feed >= 0) await this.sys.close(feed);
    }
    const statuses: string[] = [];
    for (const s of started) statuses.push(typeof s === 'string' ? s : await this.sys.waitpid(s));
    this.status = [...statuses, this.status].join('|');
  }

  /**
   * Start one pipeline element with the given fds: its pid, or its status when it could not
   * start. A simple command of plain words naming a program is spawned directly (what a
   * forked rc would exec); anything else gets a forked rc.
   */
  private async startElement(c: Cmd, fds: number[]): Promise<number | string> {
    if (c.kind === 'simple' && c.redirs.length === 0 && c.words.every(pureWord)) {
      let argv: List | undefined;
      try { argv = (await this.globAll(await evalWords(this, c.words))).map(unmark); } catch (e) {
        if (!(e instanceof RcError)) throw e; // the forked rc reports it
      }
      if (argv && argv.length && !this.vars.fns.has(argv[0]!) && !builtins.has(argv[0]!)) {
        if (this.flags.has('x')) await this.err(argv.map(quoteWord).join(' '));
        const r = await this.spawnWith(argv, fds);
        return typeof r === 'number' ? r : r.status;
      }
    }
    return this.fork((ch) => ch.exec(c), fds);
  }

  /** `{cmd}: run cmd with its output collected; sets $status. */
  async backquote(body: Cmd | null): Promise<string> {
    const [r, w] = await this.sys.pipe();
    let pid: number;
    try {
      const fds = this.childFds();
      fds[1] = w;
      pid = await this.fork((ch) => ch.run(body), fds);
    } catch (e) { await this.sys.close(r); throw e; } finally { await this.sys.close(w); }
    const parts: Uint8Array[] = [];
    try {
      for (;;) { const b = await this.sys.read(r, 65536); if (b.length === 0) break; parts.push(b); }
    } finally { await this.sys.close(r); }
    this.status = await this.sys.waitpid(pid);
    return Buffer.concat(parts).toString('utf8');
  }

  /** <{cmd} or >{cmd}: a pipe to a running cmd, named /fd/N for the command. */
  async pipeFd(dir: '<' | '>', body: Cmd | null): Promise<string> {
    const [r, w] = await this.sys.pipe();
    try {
      const fds = this.childFds();
      if (dir === '<') fds[1] = w; else fds[0] = r;
      await this.fork((ch) => ch.run(body), fds);
    } catch (e) { await this.sys.close(r); await this.sys.close(w); throw e; }
    const keep = dir === '<' ? r : w;
    await this.sys.close(dir === '<' ? w : r);
    this.procFds.push(keep);
    return `/fd/${keep}`;
  }

  /** Apply redirections in order; returns the function that undoes them. A failure is an RcError. */
  async redirect(rs: Redir[]): Promise<() => Promise<void>> {
    const saved: Array<[number, number]> = [];
    const opened: number[] = [];
    const restore = async (): Promise<void> => {
      for (const [fd, old] of saved.reverse()) this.fds[fd] = old;
      for (const fd of opened) await this.sys.close(fd).catch(() => {});
    };
    const set = (fd: number, real: number): void => {
      while (this.fds.length <= fd) this.fds.push(-1);
      saved.push([fd, this.fds[fd]!]);
      this.fds[fd] = real;
    };
    for (const r of rs) {
      try {
        if (r.kind === 'dup') set(r.fd, this.fds[r.from] ?? -1);
        else if (r.kind === 'close') set(r.fd, -1);
        else if (r.kind === 'here') { const fd = await this.hereDoc(r.quoted ? r.body : hereSubst(this, r.body)); opened.push(fd); set(r.fd, fd); }
        else {
          const names = (await this.globAll(await evalWord(this, r.target))).map(unmark);
          if (names.length !== 1) throw new RcError(`${names.length ? names.join(' ') : '()'}: redirection needs exactly one file name`);
          const fd = await this.openRedir(r.op, names[0]!);
          opened.push(fd);
          set(r.fd, fd);
        }
      } catch (e) {
        await restore();
        if (e instanceof RcError) throw e;
        // As in Plan 9's rc, a redirection that fails is an error: it ends a script (or the
        // subshell it is in) and returns an interactive shell to its prompt.
        throw new RcError(`${r.kind === 'file' ? 'can\'t open' : 'redirection'}: ${(e as Error).message}`);
      }
    }
    return restore;
  }

  private async openRedir(op: '<' | '>' | '>>' | '<>', name: string): Promise<number> {
    const sys = this.sys;
    const tag = (e: unknown): never => { throw new Error(`${name}: ${(e as Error).message}`); };
    switch (op) {
      case '<': return sys.open(name, OREAD).catch(tag);
      case '<>': return sys.open(name, ORDWR).catch(tag);
      case '>': {
        // Truncate what exists (a device like /dev/null may sit where nothing can be created).
        try { return await sys.open(name, OWRITE | OTRUNC); } catch { return sys.create(name, OWRITE, 0o664).catch(tag); }
      }
      case '>>': {
        let fd: number;
        try { fd = await sys.open(name, OWRITE); } catch { fd = await sys.create(name, OWRITE, 0o664).catch(tag); }
        await sys.seek(fd, 0, 2).catch(() => 0);
        return fd;
      }
    }
  }

  /** A here document: a pipe fed by a forked writer, so any size works. */
  private async hereDoc(text: string): Promise<number> {
    const [r, w] = await this.sys.pipe();
    try {
      await this.fork(async (ch) => { await ch.write(1, text); }, [-1, w]);
    } catch (e) { await this.sys.close(r); throw e; } finally { await this.sys.close(w); }
    return r;
  }
}

/** Put real fd `real` at child fd n. */
function place(fds: number[], n: number, real: number): void {
  while (fds.length <= n) fds.push(-1);
  fds[n] = real;
}


