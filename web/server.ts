// The web console's server: the page (static files built from web/client/) and one WebSocket
// per tab, each a WebSession. Nothing is served without the token, sockets only to our own
// page's Origin, and an address that keeps guessing is locked out.
//
//   GET /?token=T      the page (sets the token as an HttpOnly cookie for the socket)
//   GET /console.js …  the bundle (public: it is the same for everyone)
//   GET /ws            the WebSocket; token from the cookie or ?token=, ?resume=KEY reattaches
//
// A socket closed by the page (1000 normal, 1001 tab closed) ends its session at once; one
// that drops ends it only if it does not come back within the grace period.

import { readFile } from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import type { BootResult } from '../kernel/boot.ts';
import { Lockout, originAllowed, tokenMatches } from './auth.ts';
import { MAX_FRAME, parsePageMsg } from './protocol.ts';
import type { NodeMsg } from './protocol.ts';
import { WebSession } from './session.ts';
import type { WebSessionOptions } from './session.ts';

export interface WebOptions extends WebSessionOptions {
  node: BootResult;
  token: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The built page (index.html, console.js, console.css). */
  staticDir: string;
  /** Sessions at once (default 16); more get 503. */
  maxSessions?: number;
  lockout?: Lockout;
}

export interface WebServer {
  /** http://host:port/?token=T */
  url: string;
  port: number;
  readonly sessions: ReadonlyMap<string, WebSession>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.png': 'image/png' };
const ASSETS = new Set(['/console.js', '/console.css', '/console.js.map']);
const COOKIE = 'cohesix_token';

function cookieToken(req: http.IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

function refuse(sock: import('node:stream').Duplex, code: number, why: string): void {
  sock.end(`HTTP/1.1 ${code} ${http.STATUS_CODES[code]}\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(why) + 1}\r\n\r\n${why}\n`);
}

export async function startWeb(o: WebOptions): Promise<WebServer> {
  const lockout = o.lockout ?? new Lockout();
  const maxSessions = o.maxSessions ?? 16;
  const sessions = new Map<string, WebSession>();
  const sockets = new Set<WebSocket>();
  let serial = 0;

  /** The request's token is right; a wrong one counts against the address. Undefined when allowed. */
  const authError = (req: http.IncomingMessage, given: string | undefined): [number, string] | undefined => {
    const addr = req.socket.remoteAddress ?? '?';
    const locked = lockout.lockedFor(addr);
    if (locked > 0) return [429, `too many failed logins: locked for ${Math.ceil(locked / 1000)} s`];
    if (!tokenMatches(given, o.token)) { lockout.fail(addr); return [401, given === undefined ? 'token required' : 'wrong token']; }
    lockout.succeed(addr);
    return undefined;
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const send = (code: number, body: string | Buffer, type = 'text/plain; charset=utf-8', extra: http.OutgoingHttpHeaders = {}): void => {
        res.writeHead(code, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...extra });
        res.end(body);
      };
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
      if (ASSETS.has(u.pathname)) {
        try { return send(200, await readFile(path.join(o.staticDir, u.pathname.slice(1))), TYPES[path.extname(u.pathname)] ?? 'application/octet-stream'); }
        catch { return send(404, 'not built: run make build\n'); }
      }
      if (u.pathname === '/favicon.ico') { res.writeHead(204); res.end(); return; }
      if (u.pathname !== '/' && u.pathname !== '/index.html') return send(404, 'file does not exist\n');
      const given = u.searchParams.get('token') ?? cookieToken(req);
      const err = authError(req, given ?? undefined);
      if (err) return send(err[0], err[1] + '\n');
      let page: Buffer;
      try { page = await readFile(path.join(o.staticDir, 'index.html')); } catch { return send(500, 'console not built: run make build\n'); }
      send(200, page, TYPES['.html'], {
        'Set-Cookie': `${COOKIE}=${encodeURIComponent(o.token)}; HttpOnly; SameSite=Strict; Path=/`,
        'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'",
      });
    })().catch(() => { if (!res.headersSent) { res.writeHead(500); res.end(); } });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });

  server.on('upgrade', (req, sock, head) => {
    sock.on('error', () => {});
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname !== '/ws') return refuse(sock, 404, 'file does not exist');
    const err = authError(req, u.searchParams.get('token') ?? cookieToken(req));
    if (err) return refuse(sock, err[0], err[1]);
    if (!originAllowed(req.headers.origin, req.headers.host)) return refuse(sock, 403, `origin ${req.headers.origin ?? '(none)'} not allowed`);
    const resumeKey = u.searchParams.get('resume');
    let resumed: WebSession | undefined;
    if (resumeKey) {
      resumed = [...sessions.values()].find((s) => !s.ended && s.resume === resumeKey);
      if (!resumed) return refuse(sock, 410, 'session ended or unknown');
      if (resumed.attached) return refuse(sock, 409, 'session attached to another socket');
    } else if (sessions.size >= maxSessions) return refuse(sock, 503, `too many sessions (${maxSessions})`);
    wss.handleUpgrade(req, sock, head, (ws) => { void accept(ws, req, resumed); });
  });

  const accept = async (ws: WebSocket, req: http.IncomingMessage, resumed: WebSession | undefined): Promise<void> => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => {});
    let s = resumed;
    if (!s) {
      const id = `web${++serial}`;
      try {
        s = await WebSession.start(o.node, id, `tcp!${req.socket.remoteAddress ?? '?'}!${req.socket.remotePort ?? 0}`, o); // a dial string, as 9P logins give
      } catch (e) {
        ws.close(1011, `cannot start a session: ${(e as Error).message}`.slice(0, 120));
        return;
      }
      sessions.set(id, s);
      void s.done.then(() => sessions.delete(id));
    }
    const session = s;
    const send = (m: NodeMsg): void => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(JSON.stringify(m));
      if (m.t === 'bye') ws.close(1000, 'session ended');
    };
    // The socket may have closed while rc started.
    if (ws.readyState !== ws.OPEN) { session.end('socket closed before the session started'); return; }
    session.attach(send);
    ws.on('message', (data: RawData, binary: boolean) => {
      if (binary) { session.end('binary frame from the page (the console speaks JSON text)'); return; }
      try { session.handle(parsePageMsg(data.toString())); } catch (e) { session.end((e as Error).message); }
    });
    // ws reports a bad frame (too big, bad UTF-8, bad opcode) as an error, then drops the socket.
    ws.on('error', (e: Error & { code?: string }) => {
      session.end(e.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? `frame larger than ${MAX_FRAME} bytes` : `bad frame: ${e.message}`);
    });
    ws.on('close', (code: number) => {
      if (session.ended) return;
      if (code === 1000 || code === 1001) session.end('closed by the page');
      else session.detach();
    });
  };

  await new Promise<void>((res, rej) => { server.once('error', rej); server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => res()); });
  const port = (server.address() as AddressInfo).port;
  const host = o.host ?? '127.0.0.1';
  const hostText = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${hostText}:${port}/?token=${o.token}`,
    port,
    sessions,
    close: async () => {
      for (const s of sessions.values()) s.end('server closing');
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((res) => server.close(() => res()));
    },
  };
}
