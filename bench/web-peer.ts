// The server side of bench web, run as its own process (as a node is, apart from the browser
// that types into it): a booted node serving its web console, and a bare ws echo server.
// Tells its parent the two addresses over IPC; ends when the parent disconnects.

import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { webRig } from '../web/testing.ts';

const LOOPERS = Number(process.env.COHESIX_BENCH_WEB_SESSIONS ?? 50);

const rig = await webRig({ maxSessions: LOOPERS + 2 });
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('connection', (ws) => ws.on('message', (d, binary) => ws.send(d, { binary })));
await new Promise<void>((res) => wss.once('listening', () => res()));
process.send?.({ base: rig.base, echo: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}` });
process.once('disconnect', () => {
  void (async () => {
    wss.close();
    await rig.close();
    process.exit(0);
  })();
});
