// cohesix serve: boot a node and export its namespace over 9P (or serve a bare ramfs).

import { Ramfs } from '../fs/server/ramfs.ts';
import { Server } from '../fs/server/server.ts';
import type { FileServer } from '../fs/server/fileserver.ts';
import { listen } from '../fs/transport/net.ts';
import type { Listener } from '../fs/transport/net.ts';
import { listenWebSocket } from '../fs/transport/websocket.ts';
import { fcallText } from '../fs/9p/text.ts';
import { parseDialString, isLoopback } from '../fs/transport/dialstring.ts';
import { boot } from '../kernel/boot.ts';
import { nodeServices } from './services.ts';
import { addHardware } from '../srv/hw/service.ts';
import { userland } from './userland.ts';
import type { BootResult } from '../kernel/boot.ts';
import { ExportFs } from '../kernel/export.ts';
import { ROLE_NAMES } from '../kernel/role.ts';
import { parseArgs } from './args.ts';

const HELP = `usage: cohesix serve --ramfs [--listen ADDR] [--ws HOST:PORT] [--trace] [--public]
       cohesix serve [--role ROLE] [--sysname NAME] [--hw aarch64|x86] [--listen ADDR] [--ws HOST:PORT] [--trace] [--public]

Boot a Cohesix node in a role and export its namespace (what its init process sees:
/srv/cohrole, /proc/boot, /dev, /tmp, ...) over 9P2000 and 9P2000.L. The export goes
through init's own system calls, so a client can do exactly what the role may do.
The attach name picks a subtree (Linux: -o aname=/tmp). With --ramfs, serve an empty
in-memory file tree instead.

  --role ROLE      the role to boot (default: /srv/cohrole of the config file named by
                   $COHESIX_CONFIG, else $COHROLE, else QueenPrimary); one of
                   ${ROLE_NAMES.join(' ')}
  --sysname NAME   the node's name (default cohesix)
  --hw ARCH        boot the aarch64 or x86 driver image under QEMU at /dev/hw (hw(4))
  --ramfs          serve an empty ramfs, no node
  --listen ADDR    dial string to listen on: tcp!127.0.0.1!5640 (default), host:port, unix!/path
  --ws HOST:PORT   also serve 9P over WebSocket (binary frames)
  --trace          print every 9P message to stderr
  --public         allow listening on a non-loopback address

Prints "listening on <address>" when ready; stops cleanly on SIGINT or SIGTERM.
Mount it from Linux: mount -t 9p -o trans=tcp,port=5640,version=9p2000.L 127.0.0.1 /mnt
`;

export const serveCommand = {
  summary: 'boot a node and export its namespace over 9P (or serve a bare ramfs)',
  async run(args: string[]): Promise<number> {
    let p;
    try { p = parseArgs(args, { values: ['listen', 'ws', 'role', 'sysname', 'hw'], flags: ['ramfs', 'trace', 'public', 'help', 'h'] }); }
    catch (e) { process.stderr.write(`cohesix serve: ${(e as Error).message}\n${HELP}`); return 2; }
    if (p.flags.has('help') || p.flags.has('h')) { process.stdout.write(HELP); return 0; }
    if (p.rest.length) { process.stderr.write(`cohesix serve: unexpected argument '${p.rest[0]}'\n${HELP}`); return 2; }
    if (p.flags.has('ramfs') && (p.opts.has('role') || p.opts.has('sysname') || p.opts.has('hw'))) {
      process.stderr.write(`cohesix serve: --ramfs serves no node; drop --role/--sysname/--hw or --ramfs\n`);
      return 2;
    }
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
    const log = (m: string): void => { process.stderr.write(`cohesix serve: ${m}\n`); };

    let node: BootResult | undefined;
    let fs: FileServer<unknown>;
    if (p.flags.has('ramfs')) fs = new Ramfs();
    else {
      try {
        const role = p.opts.get('role');
        const sysname = p.opts.get('sysname');
        const services = nodeServices();
        const hw = p.opts.get('hw');
        if (hw !== undefined) { const err = addHardware(services, hw); if (err) throw new Error(err); }
        node = await boot({ ...(role !== undefined ? { role } : {}), ...(sysname !== undefined ? { sysname } : {}), programs: userland(), services });
      } catch (e) { process.stderr.write(`cohesix serve: ${(e as Error).message}\n`); return 2; }
      fs = new ExportFs(node.sys);
      process.stderr.write(`cohesix serve: booted ${node.role.name} (${node.roleSource})${node.absent.length ? `; absent: ${node.absent.join(' ')}` : ''}\n`);
    }
    const server = new Server(fs, { log });
    node?.exports.set('export', server);
    const listeners: Listener[] = [];
    try {
      listeners.push(await listen(addr, (link) => {
        const s = server.serve(link);
        // Every 9P connection to the node is a session in its login records.
        if (node) {
          const n = node;
          const rec = n.kernel.logins.login(n.init.user, '9p', link.remote, () => Date.now() - s.lastRequest);
          n.kernel.log(`login ${rec.session} ${n.init.user} from ${link.remote}`);
          s.whenClosed(() => { rec.logout(); n.kernel.log(`logout ${rec.session} ${n.init.user}`); });
        }
      }, { trace }));
      const ws = p.opts.get('ws');
      if (ws) {
        const w = parseDialString(ws);
        if (w.proto !== 'tcp') throw new Error(`--ws wants host:port, not ${ws}`);
        listeners.push(await listenWebSocket(w.host, w.port, (link) => server.serve(link), { trace }));
      }
    } catch (e) {
      process.stderr.write(`cohesix serve: cannot listen: ${(e as Error).message}\n`);
      for (const l of listeners) await l.close();
      await node?.kernel.shutdown();
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
    await node?.kernel.shutdown();
    return 0;
  },
};
