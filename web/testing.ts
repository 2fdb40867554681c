// For the web console's tests and benchmark: a node served by startWeb on a free port, and a
// page stand-in that speaks the console's protocol over a real WebSocket.

import { WebSocket } from 'ws';
import type { BootResult } from '../kernel/boot.ts';
import { bootNode } from '../bin/boot.ts';
import { bundleConsole, staticDir } from './bundle.ts';
import type { NodeMsg, PageMsg } from './protocol.ts';
import { startWeb } from './server.ts';
import type { WebOptions, WebServer } from './server.ts';
import { access } from 'node:fs/promises';
import * as path from 'node:path';

export const TOKEN = 'test-token-0123456789';

export interface WebRig { node: BootResult; web: WebServer; base: string; close(): Promise<void> }

/** The page, built once if it is not (the browser tests need it; the others only the server). */
export async function ensureBundle(): Promise<string> {
  const dir = staticDir();
  try { await access(path.join(dir, 'console.js')); } catch { await bundleConsole(dir); }
  return dir;
}

export async function webRig(opts: Partial<WebOptions> & { role?: string } = {}): Promise<WebRig> {
  const node = await bootNode(opts.role ? { role: opts.role } : {});
  const web = await startWeb({ node, token: TOKEN, staticDir: await ensureBundle(), ...opts });
  return {
    node, web, base: `http://127.0.0.1:${web.port}`,
    close: async () => { await web.close(); await node.kernel.shutdown(); },
  };
}

/** A page stand-in: what the node sent, and ways to wait for it. */
export class Tab {
  readonly ws: WebSocket;
  readonly msgs: NodeMsg[] = [];
  text = '';
  hello: Extract<NodeMsg, { t: 'hello' }> | undefined;
  closed: { code: number; reason: string } | undefined;
  readonly #waiters = new Set<() => void>();

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (d, binary) => {
      if (binary) return;
      const m = JSON.parse(d.toString()) as NodeMsg;
      this.msgs.push(m);
      if (m.t === 'out') this.text += m.d;
      if (m.t === 'hello') this.hello = m;
      this.#wake();
    });
    ws.on('close', (code, reason) => { this.closed = { code, reason: reason.toString() }; this.#wake(); });
    ws.on('error', () => {});
  }

  static open(base: string, q: Record<string, string> = { token: TOKEN }, origin: string | null = base): Promise<Tab> {
    const url = `${base.replace(/^http/, 'ws')}/ws?${new URLSearchParams(q)}`;
    const ws = new WebSocket(url, origin === null ? {} : { origin });
    const tab = new Tab(ws);
    return new Promise((res, rej) => {
      ws.once('open', () => res(tab));
      ws.once('unexpected-response', (_req, r) => rej(new Error(`HTTP ${r.statusCode}`)));
      ws.once('error', rej);
    });
  }

  send(m: PageMsg | string): void { this.ws.send(typeof m === 'string' ? m : JSON.stringify(m)); }
  type(s: string): void { this.send({ t: 'in', d: s }); }

  #wake(): void { for (const w of [...this.#waiters]) w(); }

  /** Wait until pred holds (checked on every message and every 20 ms), or fail after ms. */
  until(pred: () => boolean, what: string, ms = 10_000): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((res, rej) => {
      const stop = (): void => { clearTimeout(t); clearInterval(poll); this.#waiters.delete(check); };
      const t = setTimeout(() => { stop(); rej(new Error(`timed out waiting for ${what}; got:\n${this.text.slice(-800)}`)); }, ms);
      const check = (): void => { if (pred()) { stop(); res(); } };
      const poll = setInterval(check, 20);
      this.#waiters.add(check);
    });
  }

  /** Wait for text (a string or pattern) to appear in the output after position from. */
  waitText(want: string | RegExp, from = 0, ms?: number): Promise<void> {
    const has = (): boolean => { const s = this.text.slice(from); return typeof want === 'string' ? s.includes(want) : want.test(s); };
    return this.until(has, String(want), ms);
  }

  close(code = 1000): void { this.ws.close(code); }
}
