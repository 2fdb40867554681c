// A process: a cooperative async task with a pid, namespace, fds, environment group, cwd,
// capabilities, notes and an exit status string (Plan 9's Proc, minus the machine).

import { setMaxListeners } from 'node:events';
import type { CSpace } from './cap.ts';
import type { FdTable } from './fd.ts';
import type { Namespace, WalkCtx } from './namespace.ts';
import { NoteSignal } from '../fs/interrupt.ts';
import type { Interrupt } from '../fs/interrupt.ts';

/** Plan 9 environment group: variables are files in /env; rfork e copies, E starts empty. */
export class EnvGroup {
  readonly id: number;
  readonly vars = new Map<string, Buffer>();
  refs = 1;
  constructor(id: number) { this.id = id; }
}

export interface WaitMsg {
  pid: number;
  status: string;
  /** Milliseconds the process lived. */
  time: number;
}

/** What a process can answer to a note: handled (continue), or the default (exit). */
export type NoteHandler = (note: string) => 'continue' | 'default' | Promise<'continue' | 'default'>;

export class Proc {
  readonly pid: number;
  readonly ppid: number;
  name: string;
  args: string[];
  user: string;
  ns: Namespace;
  env: EnvGroup;
  fds: FdTable;
  cwd = '/';
  cspace: CSpace;
  /** The console this process's /dev/cons reaches. */
  consId: string;
  readonly started = Date.now();
  state: 'Ready' | 'Running' | 'Wait' | 'Sleep' | 'Broken' | 'Moribund' = 'Ready';
  exitStatus: string | undefined;
  errstr = '';
  /** Children by pid (a shell's pipeline waits for each of hundreds by pid). */
  readonly children = new Map<number, Proc>();
  readonly waitq: WaitMsg[] = [];
  private waiters: Array<(w: WaitMsg) => void> = [];
  notify: NoteHandler | undefined;
  readonly notes: string[] = [];
  /** Aborted by a note: every blocking syscall listens to it (and sends Tflush). Made on first use. */
  private ac: AbortController | undefined;
  private note: NoteSignal | undefined;
  private exitWaiters: Array<(s: string) => void> = [];
  killed = false;

  constructor(init: { pid: number; ppid: number; name: string; args: string[]; user: string; ns: Namespace; env: EnvGroup; fds: FdTable; cspace: CSpace; consId: string; cwd?: string }) {
    this.pid = init.pid; this.ppid = init.ppid; this.name = init.name; this.args = init.args; this.user = init.user;
    this.ns = init.ns; this.env = init.env; this.fds = init.fds; this.cspace = init.cspace; this.consId = init.consId;
    if (init.cwd) this.cwd = init.cwd;
  }

  /** interrupt as an AbortSignal, for Node's APIs: made on first use, aborted with it. */
  get signal(): AbortSignal {
    if (!this.ac) {
      const ac = new AbortController();
      this.ac = ac;
      // Many waits may share it (the host's init waits for every console session at once);
      // each removes its listener when it ends, so Node's leak warning at 10 says nothing here.
      setMaxListeners(0, ac.signal);
      const note = this.interrupt;
      note.addEventListener('abort', () => ac.abort(note.reason));
    }
    return this.ac.signal;
  }
  /** Aborted by the next note: what the kernel's own waits listen to (cheaper than signal). */
  get interrupt(): NoteSignal {
    return this.note ??= new NoteSignal();
  }
  get ctx(): WalkCtx { return { pid: this.pid, envId: this.env.id, consId: this.consId, uname: this.user }; }
  get exited(): boolean { return this.exitStatus !== undefined; }

  /** Deliver a note: interrupt the blocking syscall; 'kill' cannot be caught. */
  postnote(note: string): void {
    if (this.exited) return;
    if (note === 'kill') this.killed = true;
    this.notes.push(note);
    // A note handler (notify(2)) sees every note but kill; answering 'default' (or failing)
    // makes the note fatal, as an uncaught note is in Plan 9.
    const h = this.notify;
    if (h && note !== 'kill') {
      void Promise.resolve().then(() => h(note)).then(
        (r) => { if (r === 'default') this.postnote('kill'); },
        () => this.postnote('kill'),
      );
    }
    // The next call waits on fresh signals; this note ends the current ones (signal's with it).
    const ns = this.note;
    this.ac = undefined;
    this.note = undefined;
    ns?.abort(new Error(note === 'kill' ? 'killed' : 'interrupted'));
  }

  /** Take the pending notes (the process's note handler runs them). */
  takeNotes(): string[] { return this.notes.splice(0); }

  /** Record exit and tell waiters. */
  setExit(status: string): void {
    if (this.exited) return;
    this.exitStatus = status;
    this.state = 'Moribund';
    for (const w of this.exitWaiters.splice(0)) w(status);
  }

  whenExited(): Promise<string> {
    return this.exitStatus !== undefined ? Promise.resolve(this.exitStatus) : new Promise((r) => this.exitWaiters.push(r));
  }

  /** A child's wait message arrives. */
  childExited(w: WaitMsg): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(w); else this.waitq.push(w);
  }

  /** Drop the wait message of child pid (it was waited for by pid). */
  takeWait(pid: number): void {
    const i = this.waitq.findIndex((w) => w.pid === pid);
    if (i >= 0) this.waitq.splice(i, 1);
    this.forget(pid);
  }

  /** A waited-for child leaves the children set (so a long-lived shell does not accumulate them). */
  private forget(pid: number): void {
    if (this.children.get(pid)?.exited) this.children.delete(pid);
  }

  /** Next child exit (Plan 9 await); undefined when no children remain to wait for. */
  nextWait(signal: Interrupt): Promise<WaitMsg | undefined> {
    const w = this.waitq.shift();
    if (w) { this.forget(w.pid); return Promise.resolve(w); }
    let live = false;
    for (const c of this.children.values()) if (!c.exited) { live = true; break; }
    if (!live) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const fn = (m: WaitMsg): void => { signal.removeEventListener('abort', onAbort); this.forget(m.pid); resolve(m); };
      const onAbort = (): void => { this.waiters = this.waiters.filter((x) => x !== fn); reject(new Error('interrupted')); };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(fn);
    });
  }
}
