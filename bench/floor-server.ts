// The floor for one round trip: a tiny TCP server that answers every fixed-size request
// frame with a fixed-size reply, and nothing else. Run as a child process by bench/9p.ts:
//
//   node dist/bench/floor-server.js REQSIZE REPLYSIZE
//
// Prints "listening on tcp!127.0.0.1!PORT" when ready; exits on SIGTERM or SIGINT.

import * as net from 'node:net';

const reqSize = Number(process.argv[2]);
const repSize = Number(process.argv[3]);
if (!(reqSize >= 7) || !(repSize >= 7)) {
  process.stderr.write('usage: floor-server REQSIZE REPLYSIZE (each at least 7)\n');
  process.exit(2);
}

// A well-formed 9P header, so the bytes on the wire look like Rgetattr (type 25).
const reply = Buffer.alloc(repSize);
reply.writeUInt32LE(repSize, 0);
reply[4] = 25;

const server = net.createServer((sock) => {
  sock.setNoDelay(true);
  let have = 0;
  sock.on('data', (b: Buffer) => {
    have += b.length;
    while (have >= reqSize) {
      have -= reqSize;
      sock.write(reply);
    }
  });
  sock.on('error', () => { /* the peer went away */ });
});

server.listen(0, '127.0.0.1', () => {
  const port = (server.address() as net.AddressInfo).port;
  process.stdout.write(`listening on tcp!127.0.0.1!${port}\n`);
});

const stop = (): void => { server.close(); process.exit(0); };
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
