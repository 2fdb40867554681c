// Benchmark rc: our rc in a booted node against Plan 9's rc (9base) and dash on the host,
// each figure a ratio against a peer measured in the same run:
//
//   1. loop      a 10,000-iteration `for` loop of builtins (assignment, ~, &&) over `{seq 10000},
//                ours vs `rc -c` of 9base; target <= 1.0x
//   2. pipeline  `echo hi | cat | ... | cat` with 200 stages, ours vs `dash -c` (target <= 0.1x)
//                and vs 9base rc (information)
//   3. sequence  1,000 sequential `echo hi | cat`, ours vs `dash -c` (target <= 0.1x) and 9base rc
//   4. prompt    boot a QueenPrimary node and start an rc session until its prompt is written,
//                vs `node -e 0` (spawn to exit); target <= 2x
//
// Ours runs `rc -c SCRIPT` as a process of an already booted node (boot is 4's subject), its
// output drained by the host; the host's shells are spawned and waited for. Each row is
// COHESIX_BENCH_TRIALS (default 11) alternating trials after eleven warm-ups of every contender
// (a node is long-lived: its JIT is warm); medians reported.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { boot } from '../kernel/boot.ts';
import type { BootResult } from '../kernel/boot.ts';
import { runCollected } from '../bin/hostio.ts';
import { startSession } from '../bin/session.ts';
import { userland } from '../bin/userland.ts';
import { rcMain } from '../rc/main.ts';
import { envNumber, trials } from './measure.ts';
import { machineFacts, runsText, table } from './report.ts';
import type { Row } from './report.ts';

const PLAN9_RC = '/usr/lib/plan9/bin/rc';
const DASH = '/bin/dash';

const LOOP = 'for(i in `{seq 10000}) { x=$i; ~ $x 9999 && found=$x }; echo $found';
const PIPE200 = ['echo hi', ...Array.from({ length: 199 }, () => 'cat')].join(' | ');
const SEQ1000 = 'for(i in `{seq 1000}) echo hi | cat >/dev/null';
const SEQ1000_SH = 'for i in $(seq 1000); do echo hi | cat >/dev/null; done';

/** Wall time of a host command to its exit, checking what it printed. */
function host(cmd: string, args: string[], want: string): () => Promise<number> {
  return () => new Promise((resolve, reject) => {
    const t0 = performance.now();
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { PATH: '/usr/bin:/bin:/usr/lib/plan9/bin', LC_ALL: 'C' } });
    let out = '';
    c.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    c.on('error', reject);
    c.on('close', (code) => {
      const t = performance.now() - t0;
      if (code !== 0 || out !== want) reject(new Error(`${cmd} ${args.join(' ')}: exit ${code}, printed ${JSON.stringify(out.slice(0, 80))}`));
      else resolve(t);
    });
  });
}

/** Wall time of `rc -c script` run as a process of the node. */
function ours(node: BootResult, script: string, want: string): () => Promise<number> {
  return async () => {
    const t0 = performance.now();
    const { out, err, status } = await runCollected(node, rcMain, ['rc', '-c', script]);
    const t = performance.now() - t0;
    if (status !== '' || out !== want) throw new Error(`our rc -c: status '${status}', printed ${JSON.stringify(out.slice(0, 80))} ${err.slice(0, 200)}`);
    return t;
  };
}

/** Boot a node and start a console session until rc writes its prompt. */
async function bootToPrompt(): Promise<number> {
  const t0 = performance.now();
  const node = await boot({ role: 'QueenPrimary', programs: userland(), env: {} });
  let shown = '';
  let prompted: () => void = () => {};
  const seen = new Promise<void>((r) => { prompted = r; });
  node.cons.console('console').onOutput((b) => { shown += Buffer.from(b).toString(); if (shown.endsWith('% ')) prompted(); });
  const s = await startSession(node);
  await seen;
  const t = performance.now() - t0;
  s.console.close();
  await s.done;
  await node.kernel.shutdown();
  return t;
}

/** Contenders run WARM extra times first: a node is long-lived, so its JIT is warm (the host shells gain nothing). */
const WARM = 10;
function warmed(cs: Array<{ name: string; run: () => Promise<number> }>): Array<{ name: string; run: () => Promise<number> }> {
  return cs.map((c) => {
    let left = WARM;
    return { name: c.name, run: async () => { while (left > 0) { left--; await c.run(); } return c.run(); } };
  });
}

export async function rcBench(): Promise<void> {
  const n = envNumber('COHESIX_BENCH_TRIALS', 11);
  const have9 = existsSync(PLAN9_RC), haveDash = existsSync(DASH);
  process.stdout.write(machineFacts([
    `peers     ${have9 ? PLAN9_RC : '9base rc: not installed (apt-get install 9base)'}; ${haveDash ? DASH : 'dash: not installed'}`,
  ]));
  process.stdout.write(`method    ${n} alternating trials after ${WARM + 1} warm-ups of each contender; medians reported\n\n`);
  const node = await boot({ role: 'QueenPrimary', programs: userland(), env: {} });
  const rows: Row[] = [];
  try {
    if (have9) {
      const r = await trials('1. 10,000-iteration builtin loop', warmed([
        { name: 'ours', run: ours(node, LOOP, '9999\n') },
        { name: 'rc', run: host(PLAN9_RC, ['-c', LOOP], '9999\n') },
      ]), n);
      rows.push({ line: '1. builtin loop x10000', unit: 'ms', ours: r.get('ours')!, peer: r.get('rc')!, peerName: '9base-rc', lower: true, target: 1 });
    }
    const pipeContenders = [{ name: 'ours', run: ours(node, PIPE200, 'hi\n') }];
    if (haveDash) pipeContenders.push({ name: 'dash', run: host(DASH, ['-c', PIPE200], 'hi\n') });
    if (have9) pipeContenders.push({ name: 'rc', run: host(PLAN9_RC, ['-c', PIPE200], 'hi\n') });
    const p = await trials('2. 200-stage pipeline', warmed(pipeContenders), n);
    if (haveDash) rows.push({ line: '2. echo|cat x199 pipeline', unit: 'ms', ours: p.get('ours')!, peer: p.get('dash')!, peerName: 'dash', lower: true, target: 0.1 });
    if (have9) rows.push({ line: '2b. same, vs Plan 9 rc', unit: 'ms', ours: p.get('ours')!, peer: p.get('rc')!, peerName: '9base-rc', lower: true });

    const seqContenders = [{ name: 'ours', run: ours(node, SEQ1000, '') }];
    if (haveDash) seqContenders.push({ name: 'dash', run: host(DASH, ['-c', SEQ1000_SH], '') });
    if (have9) seqContenders.push({ name: 'rc', run: host(PLAN9_RC, ['-c', SEQ1000], '') });
    const s = await trials('3. 1,000 sequential echo hi | cat', warmed(seqContenders), n);
    if (haveDash) rows.push({ line: '3. 1000 x (echo hi | cat)', unit: 'ms', ours: s.get('ours')!, peer: s.get('dash')!, peerName: 'dash', lower: true, target: 0.1 });
    if (have9) rows.push({ line: '3b. same, vs Plan 9 rc', unit: 'ms', ours: s.get('ours')!, peer: s.get('rc')!, peerName: '9base-rc', lower: true });
  } finally { await node.kernel.shutdown(); }

  const b = await trials('4. boot to first prompt vs node -e 0', warmed([
    { name: 'ours', run: bootToPrompt },
    { name: 'node', run: host(process.execPath, ['-e', '0'], '') },
  ]), n);
  rows.push({ line: '4. boot QueenPrimary to rc prompt', unit: 'ms', ours: b.get('ours')!, peer: b.get('node')!, peerName: 'node-e0', lower: true, target: 2 });

  process.stdout.write('\n' + table(rows));
  process.stdout.write('\nruns\n' + runsText(rows));
}
