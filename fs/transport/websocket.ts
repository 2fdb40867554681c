// 9P over WebSocket: binary messages carry the byte stream (a frame may span messages,
// or a message hold several frames), so the same Framer and codec serve it.

import { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { IncomingMessage } from 'node:http';
import { StreamLink } from './stream.ts';
import type { StreamLinkOptions } from './stream.ts';
import type { Listener } from './net.ts';

/** Wrap an open WebSocket as a Duplex byte stream. */
export function webSocketStream(ws: WebSocket): Duplex {
  const d = new Duplex({
    read() { ws.resume?.(); },
    write(chunk: Buffer, _enc, cb) {
      if (ws.readyState !== WebSocket.OPEN) { cb(new Error('websocket closed')); return; }
      ws.send(chunk, { binary: true }, cb);
    },
    final(cb) { ws.close(1000); cb(); },
    destroy(err, cb) { if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.terminate(); cb(err); },
  });
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    if (!isBinary) { d.destroy(new Error('text frame on a 9P websocket')); return; }
    const b = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    d.push(b);
  });
  ws.on('close', () => d.push(null));
  ws.on('error', (e) => d.destroy(e));
  return d;
}

export function dialWebSocket(url: string, opts: StreamLinkOptions = {}): Promise<StreamLink> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    ws.once('error', reject);
    ws.once('open', () => {
      ws.off('error', reject);
      resolve(new StreamLink(webSocketStream(ws), url, opts));
    });
  });
}

/** Serve 9P on ws://host:port/ (loopback by default). */
export function listenWebSocket(host: string, port: number, onLink: (l: StreamLink, req: IncomingMessage) => void, opts: StreamLinkOptions = {}): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({ host, port, perMessageDeflate: false, maxPayload: 16 << 20 });
    wss.once('error', reject);
    wss.on('connection', (ws, req) => {
      ws.binaryType = 'nodebuffer';
      onLink(new StreamLink(webSocketStream(ws), `ws!${req.socket.remoteAddress}!${req.socket.remotePort}`, opts), req);
    });
    wss.once('listening', () => {
      wss.off('error', reject);
      const a = wss.address();
      const p = typeof a === 'object' && a ? a.port : port;
      resolve({
        address: `ws://${host}:${p}/`,
        close: () => new Promise((res) => { for (const c of wss.clients) c.terminate(); wss.close(() => res()); }),
      });
    });
  });
}
