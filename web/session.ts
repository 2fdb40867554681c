// One browser tab's console: an rc session on its own console, in its own copy of the
// namespace (rfork ne), that outlives a dropped WebSocket for a grace period.
//
//   attached ──socket drops──▶ detached ──resume within grace──▶ attached
//      │                          │ grace runs out
//      └──end (tab closed, idle, bad frame, rc exits)──▶ ended: every process of the
//                                                         console killed, console hung up
//
// Output written while detached is kept (bounded) and sent on resume.

import { randomBytes } from 'node:crypto';
import type { BootResult } from '../kernel/boot.ts';
import type { Console } from '../kernel/dev/cons.ts';
import { OREAD } from '../kernel/sys.ts';
import type { Sys } from '../kernel/sys.ts';
import { startSession } from '../bin/session.ts';
import { MAX_WATCH_TEXT } from './protocol.ts';
import type { NodeMsg, PageMsg } from './protocol.ts';

export interface WebSessionOptions {
  /** A dropped socket may resume the session for this long (default 30 s). */
  graceMs?: number;
  /** No input for this long ends the session (default 30 min). */
  idleMs?: number;
  /** Output kept for a detached session (default 256 KiB; the oldest is dropped). */
  backlogBytes?: number;
}

/** Where messages to the page go; undefined while detached. */
export type PageSink = (m: NodeMsg) => void;

const dec = new TextDecoder();

export class WebSession {
  readonly id: string;
  /** The key a reconnecting page presents (it never leaves the socket it was sent on). */
  readonly resume = randomBytes(18).toString('base64url');
  readonly console: Console;
  /** Why it ended; undefined while it runs. */
  ended: string | undefined;
  readonly done: Promise<void>;
  readonly #node: BootResult;
  readonly #opts: Required<WebSessionOptions>;
  #sink: PageSink | undefined;
  #backlog: string[] = [];
  #backlogLen = 0;
  #grace: NodeJS.Timeout | undefined;
  #idle: NodeJS.Timeout | undefined;
  #watch: NodeJS.Timeout | undefined;
  #pid = 0;
  #sys: Sys | undefined;
  #loginName = '';
  #settle: () => void = () => {};

  private constructor(node: BootResult, id: string, opts: WebSessionOptions) {
    this.#node = node;
    this.id = id;
    this.#opts = { graceMs: opts.graceMs ?? 30_000, idleMs: opts.idleMs ?? 30 * 60_000, backlogBytes: opts.backlogBytes ?? 256 << 10 };
    this.console = node.cons.console(id);
    this.done = new Promise((res) => { this.#settle = res; });
  }

  /** Start rc on a new console named id (a console id is also the session's note group). */
  static async start(node: BootResult, id: string, from: string, opts: WebSessionOptions = {}): Promise<WebSession> {
    const w = new WebSession(node, id, opts);
    w.console.onOutput((b) => w.#emit({ t: 'out', d: dec.decode(b) }));
    const s = await startSession(node, { consId: id, ownNamespace: true, leader: true, from });
    w.#pid = s.pid;
    w.#sys = s.sys;
    w.#loginName = s.session;
    void s.done.then((status) => w.end(status === '' ? 'rc exited' : `rc exited: ${status}`));
    w.#touch();
    return w;
  }

  /** The login record's name (/adm/who). */
  get login(): string { return this.#loginName; }

  get attached(): boolean { return this.#sink !== undefined; }

  /** A socket takes the session: hello, then what was written while none had it. */
  attach(sink: PageSink): void {
    if (this.ended) throw new Error(`session ${this.id} ended: ${this.ended}`);
    clearTimeout(this.#grace);
    this.#grace = undefined;
    this.#sink = sink;
    const k = this.#node.kernel;
    sink({ t: 'hello', node: k.sysname, role: this.#node.role.name, session: this.id, resume: this.resume });
    const kept = this.#backlog.join('');
    this.#backlog = [];
    this.#backlogLen = 0;
    if (kept) sink({ t: 'out', d: kept });
  }

  /** The socket dropped: keep the session for the grace period. */
  detach(): void {
    if (this.ended || !this.#sink) return;
    this.#sink = undefined;
    this.#stopWatch();
    this.#grace = setTimeout(() => this.end('not resumed within the grace period'), this.#opts.graceMs);
  }

  /** One message from the page. */
  handle(m: PageMsg): void {
    if (this.ended) return;
    switch (m.t) {
      case 'in': this.#touch(); this.console.input(m.d); return;
      case 'resize': this.console.size = { cols: m.cols, rows: m.rows }; return;
      case 'watch': this.#startWatch(m.path, m.ms); return;
      case 'unwatch': this.#stopWatch(); return;
    }
  }

  /** End it: kill every process of its console, hang the console up, tell the page. */
  end(why: string): void {
    if (this.ended) return;
    this.ended = why;
    clearTimeout(this.#grace);
    clearTimeout(this.#idle);
    this.#stopWatch();
    this.#node.kernel.noteConsole(this.id, 'kill');
    void this.#node.sys.postnote(this.#pid, 'kill').catch(() => undefined); // gone already: nothing to kill
    this.console.close();
    this.#sink?.({ t: 'bye', why });
    this.#sink = undefined;
    this.#settle();
  }

  #emit(m: NodeMsg): void {
    if (this.#sink) { this.#sink(m); return; }
    if (m.t !== 'out') return;
    this.#backlog.push(m.d);
    this.#backlogLen += m.d.length;
    while (this.#backlogLen > this.#opts.backlogBytes && this.#backlog.length > 1) this.#backlogLen -= this.#backlog.shift()!.length;
  }

  /** Input arrived: the idle timer, armed once, re-arms itself from the console's last input. */
  #touch(): void {
    if (this.#idle) return;
    const check = (): void => {
      const left = this.console.lastInput + this.#opts.idleMs - Date.now();
      if (left > 0) { this.#idle = setTimeout(check, left); return; }
      this.end(`idle for ${Math.round(this.#opts.idleMs / 1000)} s`);
    };
    this.#idle = setTimeout(check, this.#opts.idleMs);
  }

  #startWatch(path: string, ms: number): void {
    this.#stopWatch();
    const tick = async (): Promise<void> => {
      const sys = this.#sys;
      if (!sys || this.ended) return;
      let msg: NodeMsg;
      try {
        const fd = await sys.open(path, OREAD);
        try { msg = { t: 'status', path, text: dec.decode(await sys.pread(fd, MAX_WATCH_TEXT, 0)) }; } finally { await sys.close(fd); }
      } catch (e) {
        msg = { t: 'status', path, error: e instanceof Error ? e.message : String(e) };
      }
      this.#sink?.(msg);
    };
    void tick();
    this.#watch = setInterval(() => void tick(), ms);
  }

  #stopWatch(): void {
    clearInterval(this.#watch);
    this.#watch = undefined;
  }
}
