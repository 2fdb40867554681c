// TCP and unix-socket transports: dial and listen by dial string.

import * as net from 'node:net';
import * as fs from 'node:fs';
import { StreamLink } from './stream.ts';
import type { StreamLinkOptions } from './stream.ts';
import { formatDialAddr, parseDialString } from './dialstring.ts';

export interface Listener {
  /** The bound address as a dial string, e.g. tcp!127.0.0.1!5640 (the real port when 0 was asked). */
  readonly address: string;
  close(): Promise<void>;
}

function tune(sock: net.Socket): void {
  // Without this, every small reply waits on Nagle's algorithm (16x slower writes measured).
  sock.setNoDelay(true);
}

export function dial(addr: string, opts: StreamLinkOptions = {}): Promise<StreamLink> {
  const a = parseDialString(addr);
  if (a.proto === 'ws') return Promise.reject(new Error('use dialWebSocket for ws:// addresses'));
  return new Promise((resolve, reject) => {
    const sock = a.proto === 'tcp' ? net.connect({ host: a.host, port: a.port }) : net.connect({ path: a.path });
    sock.once('error', reject);
    sock.once('connect', () => {
      sock.off('error', reject);
      if (a.proto === 'tcp') tune(sock);
      resolve(new StreamLink(sock, formatDialAddr(a), opts));
    });
  });
}

export function listen(addr: string, onLink: (link: StreamLink) => void, opts: StreamLinkOptions = {}): Promise<Listener> {
  const a = parseDialString(addr);
  if (a.proto === 'ws') return Promise.reject(new Error('use listenWebSocket for ws:// addresses'));
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    if (a.proto === 'tcp') tune(sock);
    const remote = a.proto === 'tcp' ? `tcp!${sock.remoteAddress}!${sock.remotePort}` : `unix!${a.path}`;
    onLink(new StreamLink(sock, remote, opts));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const ready = (): void => {
      server.off('error', reject);
      server.on('error', () => { /* per-connection errors arrive on sockets */ });
      let address: string;
      if (a.proto === 'tcp') {
        const b = server.address() as net.AddressInfo;
        address = `tcp!${a.host}!${b.port}`;
      } else address = `unix!${a.path}`;
      resolve({
        address,
        close: () => new Promise<void>((res) => {
          for (const s of sockets) s.destroy();
          server.close(() => {
            if (a.proto === 'unix') fs.rmSync(a.path, { force: true });
            res();
          });
        }),
      });
    };
    if (a.proto === 'tcp') server.listen(a.port, a.host, ready);
    else { fs.rmSync(a.path, { force: true }); server.listen(a.path, ready); }
  });
}
