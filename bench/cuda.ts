// Benchmark cuda: what /srv/cuda adds to an inference. Three latencies, measured in the same
// run, interleaved in rounds so that whatever else the machine does hits them alike:
//
//   ours    one inference of the sample `linear` model ([1 4] -> [1 3], JSON) through
//           /srv/cuda/models/lin/infer: a 9P2000 client over TCP on 127.0.0.1, one open per
//           inference, its Twalk Topen Twrite Tread Tclunk sent back to back (one round trip);
//   direct  the same inference as a session.run on onnxruntime-node in this process;
//   tcp     one round trip of a 64-byte message to a plain Node TCP echo server on 127.0.0.1.
//
// Row 1 is ours against direct (information); row 2 is the overhead, (ours - direct) against
// one TCP round trip, target <= 1.2: serving inference as a file should cost about one round
// trip and little else. Rows 3 and 4 (information) split that: the same five 9P messages to
// ctl with no inference (the protocol's share), and an infer fid kept open (two messages). Each of COHESIX_BENCH_REPS repetitions takes the p50 of
// COHESIX_BENCH_SAMPLES (default 2000) latencies of each; medians of those are reported.

import * as net from 'node:net';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { ORDWR } from '../fs/9p/constants.ts';
import type { RMsg } from '../fs/9p/fcall.ts';
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
  const cuda = await cudaOverTcp(), dir = await direct(), tcp = await tcpEcho(), ram = await ramfsKept();
  const probes: Record<string, Probe> = { infer: cuda.infer, direct: dir.op, tcp: tcp.op, floor: cuda.floor, kept: cuda.kept, ramfs: ram.op };
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
    await cuda.close(); await dir.close(); await tcp.close(); await ram.close();
  }
  const { infer, direct: run, tcp: rtt, floor, kept, ramfs } = p50s as Record<'infer' | 'direct' | 'tcp' | 'floor' | 'kept' | 'ramfs', number[]>;
  return [
    { line: '1. infer linear [1 4] over 9P/TCP, one open, p50', unit: 'us', ours: infer, peer: run, peerName: 'session.run', lower: true },
    {
      line: '2. overhead: infer - session.run, against one TCP round trip', unit: 'us', ours: infer.map((v, i) => v - run[i]!), peer: rtt, peerName: 'tcp-rtt', lower: true, target: 1.2,
      note: `providers ${cuda.providers.join(' ')}`,
    },
    { line: '3. the same five 9P messages to ctl, no inference', unit: 'us', ours: floor, peer: rtt, peerName: 'tcp-rtt', lower: true },
    { line: '4. infer on a fid kept open (Twrite+Tread)', unit: 'us', ours: kept, peer: run, peerName: 'session.run', lower: true },
    { line: '5. row 4 - session.run, against one TCP round trip', unit: 'us', ours: kept.map((v, i) => v - run[i]!), peer: rtt, peerName: 'tcp-rtt', lower: true },
    { line: '6. Twrite+Tread of the same bytes, ramfs file kept open', unit: 'us', ours: ramfs, peer: rtt, peerName: 'tcp-rtt', lower: true },
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
      '  1  Twalk+Topen+Twrite+Tread+Tclunk back to back on one TCP connection to /srv/cuda served in this process (JSON',
      '     in, JSON out, parsed), vs InferenceSession.run of the same model with a fresh input tensor',
      `  2  row 1's difference against a ${ECHO_BYTES}-byte round trip to a Node echo server on 127.0.0.1; target <= 1.2 round trips`,
      '  3  Twalk+Topen+Twrite(an empty line)+Tread+Tclunk of /srv/cuda/ctl: the protocol path alone, no inference in it',
      '  4  one inference per Twrite+Tread (back to back) on an infer fid opened once',
      '  5  row 4\'s difference against the TCP round trip: what serving a kept-open session costs',
      '  6  the floor of any file-shaped exchange: no service, no inference, the same two messages on a ramfs file',
    ],
  });
}
