// Benchmark cuda: what /srv/cuda adds to an inference of the sample `linear` model ([1 4] ->
// [1 3], JSON in and out), measured in the same run, interleaved in rounds so that whatever
// else the machine does hits every probe alike:
//
//   node    a process in a booted node (its Sys, as rc or a compiled program would) writes the
//           input to /srv/cuda/models/lin/infer and reads the reply: on an infer fid kept open
//           (a session doing one inference after another; the target row) and with one open
//           per inference (open, write, read, close);
//   tcp9p   the same over a 9P2000 client on TCP to 127.0.0.1 (a remote node's mount): one open
//           per inference (Twalk Topen Twrite Tread Tclunk back to back), and a kept fid;
//   direct  the same inference as a session.run on onnxruntime-node in this process;
//   rtt     one round trip of a 64-byte message to a plain Node TCP echo server on 127.0.0.1;
//   floors  the five 9P messages to ctl (no inference), a Twrite+Tread on a ramfs file.
//
// The target: (node, kept) - direct against one TCP round trip, <= 1.2. Each of
// COHESIX_BENCH_REPS repetitions takes the p50 of COHESIX_BENCH_SAMPLES (default 2000)
// latencies of each; medians of those are reported.

import * as net from 'node:net';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { ORDWR } from '../fs/9p/constants.ts';
import type { RMsg } from '../fs/9p/fcall.ts';
import { bootNode } from '../bin/boot.ts';
import { Client, Fsys } from '../fs/client/index.ts';
import { openMsg } from '../fs/client/dialect.ts';
import { pipeline } from '../fs/client/pipeline.ts';
import { Ramfs } from '../fs/server/ramfs.ts';
import { Server } from '../fs/server/server.ts';
import { dial, listen } from '../fs/transport/net.ts';
import { startCuda } from '../srv/cuda/cuda.ts';
import { backendVersion } from '../srv/cuda/runtime.ts';
import { linearSample } from '../srv/cuda/samples.ts';
import { envNumber } from './measure.ts';
import { printReport } from './report.ts';
import type { Row } from './report.ts';

const ROUNDS = 20;
const ECHO_BYTES = 64;
const X = [1, 2, 3, 4];

type Probe = () => Promise<void>;

function p50(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

/** A TCP echo server and a client of it; op is one round trip. */
async function tcpEcho(): Promise<{ op: Probe; close: () => Promise<void> }> {
  const server = net.createServer((s) => { s.setNoDelay(true); s.on('data', (b) => s.write(b)); s.on('error', () => {}); });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as net.AddressInfo).port;
  const sock = net.connect({ host: '127.0.0.1', port });
  sock.setNoDelay(true);
  await new Promise<void>((res, rej) => { sock.once('connect', res); sock.once('error', rej); });
  const msg = Buffer.alloc(ECHO_BYTES, 0x61);
  let want = 0, got = 0, wake: (() => void) | undefined;
  sock.on('data', (b: Buffer) => { got += b.length; if (got >= want && wake) { const w = wake; wake = undefined; w(); } });
  return {
    op: () => new Promise<void>((res) => { want += ECHO_BYTES; wake = res; sock.write(msg); }),
    close: async () => { sock.destroy(); await new Promise<void>((res) => server.close(() => res())); },
  };
}

/**
 * /srv/cuda served over TCP with the linear sample loaded as lin. infer: one inference, one
 * open; kept: one inference on an infer fid kept open (Twrite+Tread); floor: the same five
 * messages as infer to ctl (an empty write, a read of its text), so no inference at all.
 */
async function cudaOverTcp(): Promise<{ infer: Probe; kept: Probe; floor: Probe; close: () => Promise<void>; providers: readonly string[] }> {
  const sample = linearSample();
  const svc = await startCuda({
    readFile: async (p) => { if (p === '/lib/linear.onnx') return sample.bytes; throw new Error('file does not exist'); },
  });
  const server = new Server(svc);
  const l = await listen('tcp!127.0.0.1!0', (link) => { server.serve(link); });
  const c = await Client.connect(await dial(l.address), { version: '9P2000', uname: 'bench' });
  await new Fsys(c).writeFile('/ctl', 'load lin /lib/linear.onnx\n');
  const input = Buffer.from(JSON.stringify({ shape: [1, 4], data: X }));
  const check = (data: Uint8Array): void => {
    const y = JSON.parse(Buffer.from(data).toString()) as { data: number[] };
    if (y.data.length !== 3) throw new Error(`infer: unexpected reply ${Buffer.from(data).toString()}`);
  };
  const five = async (names: string[], data: Uint8Array): Promise<Uint8Array> => {
    const r = await pipeline(c, c.rootFid, names, '/' + names.join('/'), (fid) => [
      openMsg(c.dialect, fid, ORDWR),
      { type: 'Twrite', fid, offset: 0, data },
      { type: 'Tread', fid, offset: 0, count: 4096 }, // the reply fits in one read
    ], 'clunk');
    if (!r.ok) throw r.error;
    return (r.replies[2] as RMsg & { type: 'Rread' }).data;
  };
  const open = await pipeline(c, c.rootFid, ['models', 'lin', 'infer'], '/models/lin/infer', (fid) => [openMsg(c.dialect, fid, ORDWR)], 'keep');
  if (!open.ok) throw open.error;
  const fid = open.fid;
  const nl = Buffer.from('\n');
  return {
    infer: async () => check(await five(['models', 'lin', 'infer'], input)),
    kept: async () => {
      const [, r] = await Promise.all([c.rpc({ type: 'Twrite', fid, offset: 0, data: input }), c.rpc({ type: 'Tread', fid, offset: 0, count: 4096 })]);
      check(r.data);
    },
    floor: async () => { if ((await five(['ctl'], nl)).length === 0) throw new Error('ctl: empty read'); },
    providers: svc.providers,
    close: async () => { c.close(); server.closeAll(); await l.close(); await svc.close(); },
  };
}

/** The floor of any file-shaped exchange: Twrite+Tread of the same bytes on a ramfs file kept open. */
async function ramfsKept(): Promise<{ op: Probe; close: () => Promise<void> }> {
  const server = new Server(new Ramfs());
  const l = await listen('tcp!127.0.0.1!0', (link) => { server.serve(link); });
  const c = await Client.connect(await dial(l.address), { version: '9P2000', uname: 'bench' });
  const input = Buffer.from(JSON.stringify({ shape: [1, 4], data: X }));
  await new Fsys(c).writeFile('/f', input);
  const open = await pipeline(c, c.rootFid, ['f'], '/f', (fid) => [openMsg(c.dialect, fid, ORDWR)], 'keep');
  if (!open.ok) throw open.error;
  const fid = open.fid;
  return {
    op: async () => {
      const [, r] = await Promise.all([c.rpc({ type: 'Twrite', fid, offset: 0, data: input }), c.rpc({ type: 'Tread', fid, offset: 0, count: 4096 })]);
      if (r.data.length !== input.length) throw new Error('ramfs: short read');
    },
    close: async () => { c.close(); server.closeAll(); await l.close(); },
  };
}

/** A booted node with /srv/cuda, the sample loaded as lin; infer as its init process does it. */
async function inNode(): Promise<{ kept: Probe; fresh: Probe; close: () => Promise<void> }> {
  const node = await bootNode({});
  const sys = node.sys;
  await sys.writeFile('/tmp/linear.onnx', linearSample().bytes);
  await sys.writeFile('/srv/cuda/ctl', 'load lin /tmp/linear.onnx\n');
  const path = '/srv/cuda/models/lin/infer';
  const input = Buffer.from(JSON.stringify({ shape: [1, 4], data: X }));
  const once = async (fd: number): Promise<void> => {
    await sys.write(fd, input);
    const y = JSON.parse(Buffer.from(await sys.pread(fd, 4096, 0)).toString()) as { data: number[] };
    if (y.data.length !== 3) throw new Error('infer: unexpected reply');
  };
  const fd = await sys.open(path, ORDWR);
  return {
    kept: () => once(fd),
    fresh: async () => { const f = await sys.open(path, ORDWR); try { await once(f); } finally { await sys.close(f); } },
    close: async () => { await sys.close(fd); await node.kernel.shutdown(); },
  };
}

/** The same inference, straight into onnxruntime. */
async function direct(): Promise<{ op: Probe; close: () => Promise<void> }> {
  const sess = await ort.InferenceSession.create(linearSample().bytes);
  const op: Probe = async () => {
    const r = await sess.run({ x: new ort.Tensor('float32', Float32Array.from(X), [1, 4]) });
    if ((r.y!.data as Float32Array).length !== 3) throw new Error('direct: unexpected output');
  };
  return { op, close: () => sess.release() };
}

async function timeEach(op: Probe, n: number, into: number[]): Promise<void> {
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await op();
    into.push((performance.now() - t0) * 1000);
  }
}

/**
 * Rows: infer vs session.run (info); the overhead, infer - session.run, against one TCP round
 * trip (target <= 1.2); the 9P floor of the same five messages; an infer fid kept open.
 */
export async function cudaBench(): Promise<Row[]> {
  const reps = Math.round(envNumber('COHESIX_BENCH_REPS', 3));
  const samples = Math.round(envNumber('COHESIX_BENCH_SAMPLES', 2000));
  const per = Math.max(1, Math.round(samples / ROUNDS));
  const cuda = await cudaOverTcp(), dir = await direct(), tcp = await tcpEcho(), ram = await ramfsKept(), node = await inNode();
  const probes: Record<string, Probe> = {
    nodeKept: node.kept, nodeFresh: node.fresh, infer: cuda.infer, direct: dir.op, tcp: tcp.op, floor: cuda.floor, kept: cuda.kept, ramfs: ram.op,
  };
  const p50s: Record<string, number[]> = Object.fromEntries(Object.keys(probes).map((k) => [k, []]));
  try {
    for (const op of Object.values(probes)) await timeEach(op, 500, []); // warm-up
    process.stdout.write(`   ${Object.keys(probes).join(' / ')}:`);
    for (let r = 0; r < reps; r++) {
      const lat: Record<string, number[]> = Object.fromEntries(Object.keys(probes).map((k) => [k, []]));
      for (let k = 0; k < ROUNDS; k++) for (const [name, op] of Object.entries(probes)) await timeEach(op, per, lat[name]!);
      for (const name of Object.keys(probes)) p50s[name]!.push(p50(lat[name]!));
      process.stdout.write(' .');
    }
    process.stdout.write('\n');
  } finally {
    await cuda.close(); await dir.close(); await tcp.close(); await ram.close(); await node.close();
  }
  const { nodeKept, nodeFresh, infer, direct: run, tcp: rtt, floor, kept, ramfs } = p50s as Record<'nodeKept' | 'nodeFresh' | 'infer' | 'direct' | 'tcp' | 'floor' | 'kept' | 'ramfs', number[]>;
  const minus = (xs: number[]): number[] => xs.map((v, i) => v - run[i]!);
  return [
    { line: '1. infer in the node, fid kept open, p50', unit: 'us', ours: nodeKept, peer: run, peerName: 'session.run', lower: true },
    {
      line: '2. overhead: row 1 - session.run, against one TCP round trip', unit: 'us', ours: minus(nodeKept), peer: rtt, peerName: 'tcp-rtt', lower: true, target: 1.2,
      note: `providers ${cuda.providers.join(' ')}`,
    },
    { line: '3. infer in the node, one open per inference', unit: 'us', ours: nodeFresh, peer: run, peerName: 'session.run', lower: true },
    { line: '4. row 3 - session.run, against one TCP round trip', unit: 'us', ours: minus(nodeFresh), peer: rtt, peerName: 'tcp-rtt', lower: true },
    { line: '5. infer over 9P/TCP, one open per inference', unit: 'us', ours: infer, peer: run, peerName: 'session.run', lower: true },
    { line: '6. row 5 - session.run, against one TCP round trip', unit: 'us', ours: minus(infer), peer: rtt, peerName: 'tcp-rtt', lower: true },
    { line: '7. infer over 9P/TCP, fid kept open (Twrite+Tread)', unit: 'us', ours: kept, peer: run, peerName: 'session.run', lower: true },
    { line: '8. row 7 - session.run, against one TCP round trip', unit: 'us', ours: minus(kept), peer: rtt, peerName: 'tcp-rtt', lower: true },
    { line: '9. the five 9P messages of row 5 to ctl, no inference', unit: 'us', ours: floor, peer: rtt, peerName: 'tcp-rtt', lower: true },
    { line: '10. Twrite+Tread of the same bytes, ramfs file kept open', unit: 'us', ours: ramfs, peer: rtt, peerName: 'tcp-rtt', lower: true },
  ];
}

/** The report `node dist/bench/run.js cuda` prints. */
export async function cudaBenchReport(): Promise<void> {
  await printReport({
    facts: [`backend   onnxruntime-node ${backendVersion()}`],
    method: `${Math.round(envNumber('COHESIX_BENCH_REPS', 3))} repetitions of ${ROUNDS} interleaved rounds, ${Math.round(envNumber('COHESIX_BENCH_SAMPLES', 2000))} latencies each; p50 per repetition, medians reported`,
    measure: cudaBench,
    legend: [
      '(us = microseconds; ratio = ours / peer from the medians; PASS/MISS is a report, not a test)',
      '  1  init of a booted node writes the input to /srv/cuda/models/lin/infer and reads the reply, the fid kept open',
      '     (the kernel\'s in-process 9P path, as rc or a program in the node uses it), vs InferenceSession.run',
      `  2  row 1's difference against a ${ECHO_BYTES}-byte round trip to a Node echo server on 127.0.0.1; target <= 1.2`,
      '  3-4  the same with open and close around each inference (walk of three names, open, write, read, clunk)',
      '  5-6  a 9P2000 client over TCP (a remote mount): Twalk+Topen+Twrite+Tread+Tclunk back to back',
      '  7-8  over TCP, one inference per Twrite+Tread on an infer fid opened once',
      '  9    the protocol alone over TCP: row 5\'s five messages to /srv/cuda/ctl, no inference',
      '  10   the floor of any file-shaped exchange over TCP: no service, the same two messages on a ramfs file',
    ],
  });
}
