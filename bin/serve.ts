// cohesix serve: export a file tree over 9P.

import { Ramfs } from '../fs/server/ramfs.ts';
import { Server } from '../fs/server/server.ts';
import { listen } from '../fs/transport/net.ts';
import type { Listener } from '../fs/transport/net.ts';
import { listenWebSocket } from '../fs/transport/websocket.ts';
import { fcallText } from '../fs/9p/text.ts';
import { parseDialString, isLoopback } from '../fs/transport/dialstring.ts';
import { parseArgs } from './args.ts';

const HELP = `usage: cohesix serve --ramfs [--listen ADDR] [--ws HOST:PORT] [--trace] [--public]

Serve a fresh in-memory file tree (ramfs) over 9P2000 and 9P2000.L.

  --ramfs          serve an empty ramfs (the only tree for now)
  --listen ADDR    dial string to listen on: tcp!127.0.0.1!5640 (default), host:port, unix!/path
  --ws HOST:PORT   also serve 9P over WebSocket (binary frames)
  --trace          print every 9P message to stderr
  --public         allow listening on a non-loopback address

Prints "listening on <address>" when ready; stops cleanly on SIGINT or SIGTERM.
Mount it from Linux: mount -t 9p -o trans=tcp,port=5640,version=9p2000.L 127.0.0.1 /mnt
`;

export const serveCommand = {
  summary: 'export a file tree over 9P (TCP, unix socket, WebSocket)',
  async run(args: string[]): Promise<number> {
    let p;
    try { p = parseArgs(args, { values: ['listen', 'ws'], flags: ['ramfs', 'trace', 'public', 'help', 'h'] }); }
    catch (e) { process.stderr.write(`cohesix serve: ${(e as Error).message}\n${HELP}`); return 2; }
    if (p.flags.has('help') || p.flags.has('h')) { process.stdout.write(HELP); return 0; }
    if (!p.flags.has('ramfs')) { process.stderr.write(`cohesix serve: say what to serve (--ramfs)\n${HELP}`); return 2; }
    const addr = p.opts.get('listen') ?? 'tcp!127.0.0.1!5640';
    let a;
    try { a = parseDialString(addr); } catch (e) { process.stderr.write(`cohesix serve: ${(e as Error).message}\n`); return 2; }
    if (a.proto === 'tcp' && !isLoopback(a.host) && !p.flags.has('public')) {
      process.stderr.write(`cohesix serve: refusing to listen on ${a.host} without --public (anyone who can reach it gets the tree)\n`);
      return 2;
    }
    const trace = p.flags.has('trace')
      ? (dir: string, f: Parameters<typeof fcallText>[0]) => process.stderr.write(`${dir} ${fcallText(f)}\n`)
      : undefined;
    const server = new Server(new Ramfs(), { log: (m) => process.stderr.write(`cohesix serve: ${m}\n`) });
    const listeners: Listener[] = [];
    try {
      listeners.push(await listen(addr, (link) => server.serve(link), { trace }));
      const ws = p.opts.get('ws');
      if (ws) {
        const w = parseDialString(ws);
        if (w.proto !== 'tcp') throw new Error(`--ws wants host:port, not ${ws}`);
        listeners.push(await listenWebSocket(w.host, w.port, (link) => server.serve(link), { trace }));
      }
    } catch (e) {
      process.stderr.write(`cohesix serve: cannot listen: ${(e as Error).message}\n`);
      for (const l of listeners) await l.close();
      return 1;
    }
    for (const l of listeners) process.stdout.write(`listening on ${l.address}\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    server.closeAll();
    for (const l of listeners) await l.close();
    return 0;
  },
};
