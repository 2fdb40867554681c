// cohesix web: boot a node and serve its console to browsers (xterm.js over a WebSocket).
// Each tab is its own rc session in its own namespace copy; the token guards page and socket.

import { access } from 'node:fs/promises';
import * as path from 'node:path';
import { ROLE_NAMES } from '../kernel/role.ts';
import { newToken } from '../web/auth.ts';
import { bundleConsole, staticDir } from '../web/bundle.ts';
import { startWeb } from '../web/server.ts';
import { parseArgs } from './args.ts';
import { bootNode, bootOptions } from './boot.ts';

const HELP = `usage: cohesix web [--role ROLE] [--listen HOST:PORT] [--token T] [--public]
                  [--max-sessions N] [--idle SECONDS] [--grace SECONDS] [--hw ARCH]

Boot a Cohesix node and serve a browser console: each tab is a new rc session in its own
copy of the node's namespace. Prints the URL to open, token included.

  --role ROLE         the node's role (default QueenPrimary); one of
                      ${ROLE_NAMES.join(' ')}
  --listen HOST:PORT  where to listen (default 127.0.0.1:8080; port 0 picks a free one)
  --token T           the token the page and socket need (default: a random one)
  --public            allow listening on an address other than loopback
  --max-sessions N    sessions at once (default 16)
  --idle SECONDS      end a session after this long without input (default 1800)
  --grace SECONDS     keep a dropped session this long for the page to reconnect (default 30)
  --hw ARCH           boot the hardware image for aarch64 or x86 under QEMU and mount it at
                      /dev/hw for the roles that list the hw service (docs/hardware.md)
`;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function parseListen(s: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(s);
  if (!m) throw new Error(`--listen ${s}: want HOST:PORT`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`--listen ${s}: port out of range`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

function seconds(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt * 1000;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} ${v}: want a positive number of seconds`);
  return n * 1000;
}

export const webCommand = {
  summary: 'boot a node and serve its rc console to browsers (xterm.js)',
  async run(argv: string[]): Promise<number> {
    let p, listen, idleMs, graceMs, maxSessions;
    try {
      p = parseArgs(argv, { values: ['role', 'sysname', 'worker', 'listen', 'token', 'max-sessions', 'idle', 'grace', 'hw'], flags: ['public', 'help', 'h'] });
      if (p.flags.has('help') || p.flags.has('h')) { process.stdout.write(HELP); return 0; }
      if (p.rest.length) throw new Error(`unexpected argument '${p.rest[0]}'`);
      listen = parseListen(p.opts.get('listen') ?? '127.0.0.1:8080');
      idleMs = seconds(p.opts.get('idle'), 'idle', 1800);
      graceMs = seconds(p.opts.get('grace'), 'grace', 30);
      maxSessions = Number(p.opts.get('max-sessions') ?? 16);
      if (!Number.isInteger(maxSessions) || maxSessions < 1) throw new Error(`--max-sessions ${p.opts.get('max-sessions')}: want a positive integer`);
    } catch (e) { process.stderr.write(`cohesix web: ${(e as Error).message}\n${HELP}`); return 2; }
    if (!isLoopback(listen.host)) {
      if (!p.flags.has('public')) {
        process.stderr.write(`cohesix web: ${listen.host} is not a loopback address; add --public to serve consoles beyond this machine\n`);
        return 2;
      }
      process.stderr.write(`cohesix web: WARNING: serving rc consoles on ${listen.host}, to anyone who can reach it and has the token\n`);
    }
    const token = p.opts.get('token') ?? newToken();
    const dir = staticDir();
    try { await access(path.join(dir, 'console.js')); } catch { await bundleConsole(dir); }
    let node;
    try { node = await bootNode(bootOptions(p), p.opts.get('hw')); } catch (e) { process.stderr.write(`cohesix web: ${(e as Error).message}\n`); return 2; }
    let web;
    try {
      web = await startWeb({ node, token, host: listen.host, port: listen.port, staticDir: dir, maxSessions, idleMs, graceMs });
    } catch (e) {
      process.stderr.write(`cohesix web: ${(e as Error).message}\n`);
      await node.kernel.shutdown();
      return 1;
    }
    process.stdout.write(`cohesix web: ${node.role.name} on ${node.kernel.sysname}; open\n  ${web.url}\n`);
    const stop = await new Promise<string>((res) => {
      process.once('SIGINT', () => res('interrupt'));
      process.once('SIGTERM', () => res('terminate'));
    });
    process.stdout.write(`cohesix web: ${stop}: closing ${web.sessions.size} session(s)\n`);
    await web.close();
    await node.kernel.shutdown();
    return 0;
  },
};
