// Benchmark web: keystroke-to-echo latency of the web console. A key goes out as the page sends
// it ({"t":"in"} over the WebSocket), through the session's console to rc's line editor, and
// its echo comes back as {"t":"out"}. The peer, measured in the same run and interleaved in
// rounds: a bare `ws` server that sends each frame straight back (the transport alone).
// The node and the echo server share one process of their own (bench/web-peer.ts); the page
// stand-ins are in this one, as a browser is apart from the node it types into.
//
// Rows 1-2: p50 and p99 with nothing else running (target <= 2x each). Rows 3-4 (information):
// the same while 50 other sessions each run a shell loop, against the bare echo under the same
// load (the loops share the node's process with the echo server).

import { performance } from 'node:perf_hooks';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { envNumber } from './measure.ts';
import { printReport } from './report.ts';
import type { Row } from './report.ts';
import { Tab } from '../web/testing.ts';

const ROUNDS = 10;
const LOOPERS = 50;

type Probe = () => Promise<void>;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))]!;
}

/** The node and the echo server, in a process of their own (bench/web-peer.ts). */
async function peerProcess(): Promise<{ base: string; echo: string; stop: () => Promise<void> }> {
  const child = fork(fileURLToPath(new URL('./web-peer.js', import.meta.url)), [], { env: { ...process.env, COHESIX_BENCH_WEB_SESSIONS: String(LOOPERS) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const addr = await new Promise<{ base: string; echo: string }>((res, rej) => {
    child.once('message', (m) => res(m as { base: string; echo: string }));
    child.once('exit', (code) => rej(new Error(`bench web: the node process exited (${code})`)));
  });
  return {
    ...addr,
    stop: async () => { const done = once(child, 'exit'); child.disconnect(); await done; },
  };
}

/** A client of the bare ws echo server; op is one frame there and back. */
async function wsEcho(url: string): Promise<{ op: Probe; close: () => void }> {
  const ws = new WebSocket(url);
  await new Promise<void>((res, rej) => { ws.once('open', () => res()); ws.once('error', rej); });
  let wake: (() => void) | undefined;
  ws.on('message', () => { const w = wake; wake = undefined; w?.(); });
  const frame = JSON.stringify({ t: 'in', d: 'a' });
  return {
    op: () => new Promise<void>((res) => { wake = res; ws.send(frame); }),
    close: () => ws.close(),
  };
}

/** A console at its prompt; op types one key (a letter, then a backspace) and waits for its echo. */
async function keystroke(base: string): Promise<{ op: Probe; tab: Tab }> {
  const tab = await Tab.open(base);
  await tab.waitText('cohesix% ');
  let wake: (() => void) | undefined;
  tab.ws.on('message', () => { const w = wake; wake = undefined; w?.(); });
  let n = 0;
  return {
    tab,
    op: () => new Promise<void>((res) => { wake = res; tab.type(n++ % 2 ? '\x7f' : 'a'); }),
  };
}

async function sample(probes: Record<string, Probe>, per: number, into: Record<string, number[]>): Promise<void> {
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, op] of Object.entries(probes)) {
      for (let i = 0; i < per; i++) {
        const t0 = performance.now();
        await op();
        into[name]!.push((performance.now() - t0) * 1000);
      }
    }
  }
}

export async function webBench(): Promise<Row[]> {
  const reps = Math.round(envNumber('COHESIX_BENCH_REPS', 3));
  const per = Math.max(1, Math.round(envNumber('COHESIX_BENCH_SAMPLES', 4000) / ROUNDS));
  const peer = await peerProcess();
  const echo = await wsEcho(peer.echo);
  const key = await keystroke(peer.base);
  const r: Record<'keyP50' | 'keyP99' | 'echoP50' | 'echoP99' | 'loadKeyP50' | 'loadKeyP99' | 'loadEchoP50' | 'loadEchoP99', number[]> = {
    keyP50: [], keyP99: [], echoP50: [], echoP99: [], loadKeyP50: [], loadKeyP99: [], loadEchoP50: [], loadEchoP99: [],
  };
  try {
    const probes = { key: key.op, echo: echo.op };
    await sample(probes, 200, { key: [], echo: [] }); // warm-up: JIT, pools
    process.stdout.write('   idle:');
    for (let i = 0; i < reps; i++) {
      const lat = { key: [] as number[], echo: [] as number[] };
      await sample(probes, per, lat);
      r.keyP50.push(pct(lat.key, 0.5)); r.keyP99.push(pct(lat.key, 0.99));
      r.echoP50.push(pct(lat.echo, 0.5)); r.echoP99.push(pct(lat.echo, 0.99));
      process.stdout.write(' .');
    }
    process.stdout.write(`\n   ${LOOPERS} sessions looping:`);
    const loopers = await Promise.all(Array.from({ length: LOOPERS }, () => Tab.open(peer.base)));
    await Promise.all(loopers.map((t) => t.waitText('cohesix% ')));
    // Each runs a shell loop for as long as the measurement lasts (^C ends it).
    for (const t of loopers) t.type('while(){ x=`{echo $x}; }\r');
    await new Promise((res) => setTimeout(res, 300));
    for (let i = 0; i < reps; i++) {
      const lat = { key: [] as number[], echo: [] as number[] };
      await sample(probes, Math.max(1, Math.round(per / 5)), lat);
      r.loadKeyP50.push(pct(lat.key, 0.5)); r.loadKeyP99.push(pct(lat.key, 0.99));
      r.loadEchoP50.push(pct(lat.echo, 0.5)); r.loadEchoP99.push(pct(lat.echo, 0.99));
      process.stdout.write(' .');
    }
    process.stdout.write('\n');
    for (const t of loopers) t.close();
  } finally {
    key.tab.close();
    echo.close();
    await peer.stop();
  }
  return [
    { line: '1. keystroke to echo, p50', unit: 'us', ours: r.keyP50, peer: r.echoP50, peerName: 'ws-echo', lower: true, target: 2 },
    { line: '2. keystroke to echo, p99', unit: 'us', ours: r.keyP99, peer: r.echoP99, peerName: 'ws-echo', lower: true, target: 2 },
    { line: `3. the same, ${LOOPERS} sessions looping, p50`, unit: 'us', ours: r.loadKeyP50, peer: r.loadEchoP50, peerName: 'ws-echo', lower: true },
    { line: `4. the same, ${LOOPERS} sessions looping, p99`, unit: 'us', ours: r.loadKeyP99, peer: r.loadEchoP99, peerName: 'ws-echo', lower: true },
  ];
}

/** The report `node dist/bench/run.js web` prints. */
export async function webBenchReport(): Promise<void> {
  await printReport({
    method: `${Math.round(envNumber('COHESIX_BENCH_REPS', 3))} repetitions of ${ROUNDS} interleaved rounds; percentiles per repetition, medians reported`,
    measure: webBench,
    legend: [
      '(us = microseconds; ratio = ours / peer from the medians; PASS/MISS is a report, not a test)',
      '  1-2  a key sent as the page sends it, to its echo by rc\'s line editor on the session\'s console,',
      '       vs a bare ws server echoing the same frame (both on 127.0.0.1, interleaved; the node and the',
      '       echo server in one process of their own, the page stand-ins in this one)',
      `  3-4  the same while ${LOOPERS} other sessions each run while(){ x=\`{echo $x} } in this node`,
    ],
  });
}
