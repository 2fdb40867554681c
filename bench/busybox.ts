// Benchmark busybox: grep, sort and wc over a 10 MB text file, ours on a file in a node's
// /tmp (run by rc as `CMD /tmp/big >/dev/null`, the rc process of an already booted node),
// against 9base's Plan 9 tools on the same bytes in a host file (`CMD file >/dev/null`,
// spawned; wc, which 9base lacks, against Debian's busybox). Ratio ours/peer; target <= 3x. COHESIX_BENCH_TRIALS alternating trials (default
// 7) after two warm-ups of each; medians reported.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runHosted } from '../bin/hostio.ts';
import { nodeServices } from '../bin/services.ts';
import { userland } from '../bin/userland.ts';
import { boot } from '../kernel/boot.ts';
import type { BootResult } from '../kernel/boot.ts';
import { rcMain } from '../rc/main.ts';
import { envNumber, trials } from './measure.ts';
import { machineFacts, runsText, table } from './report.ts';
import type { Row } from './report.ts';

const PLAN9 = '/usr/lib/plan9/bin';
const BUSYBOX = '/bin/busybox';
const SIZE = 10 << 20;
const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima', 'mike', 'queen', 'drone', 'sensor', 'lease', 'gpu', 'worker', 'namespace'];

/** Deterministic text: lines of 4-12 words from a small PRNG (the same bytes every run). */
export function bigText(size: number): Buffer {
  let x = 0x2545f491;
  const rnd = (n: number): number => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) % n; };
  const lines: string[] = [];
  let n = 0;
  while (n < size) {
    const k = 4 + rnd(9);
    const l = Array.from({ length: k }, () => WORDS[rnd(WORDS.length)]!).join(' ') + ` ${rnd(100000)}\n`;
    lines.push(l);
    n += l.length;
  }
  return Buffer.from(lines.join('')).subarray(0, size);
}

function ours(node: BootResult, cmd: string): () => Promise<number> {
  return async () => {
    let err = '';
    const t0 = performance.now();
    const status = await runHosted(node, rcMain, ['rc', '-c', `${cmd} /tmp/big >/dev/null`], { stdout: () => {}, stderr: (b) => { err += Buffer.from(b).toString(); } });
    const t = performance.now() - t0;
    if (status !== '' || err) throw new Error(`ours ${cmd}: status '${status}' ${err}`);
    return t;
  };
}

/** The host's peer for a command: 9base's Plan 9 tool, or Debian's busybox where 9base has none (wc). */
function peerOf(cmd: string): { name: string; argv: string[] } | undefined {
  const [prog, ...args] = cmd.split(' ');
  if (existsSync(join(PLAN9, prog!))) return { name: '9base', argv: [join(PLAN9, prog!), ...args] };
  if (existsSync(BUSYBOX)) return { name: 'busybox', argv: [BUSYBOX, prog!, ...args] };
  return undefined;
}

function host(argv: string[], file: string, cmd: string): () => Promise<number> {
  return () => new Promise((resolve, reject) => {
    const t0 = performance.now();
    const c = spawn(argv[0]!, [...argv.slice(1), file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${argv[0]} ${cmd}: exit ${code} ${err}`))));
  });
}

export async function busyboxBench(): Promise<void> {
  const n = envNumber('COHESIX_BENCH_TRIALS', 7);
  if (!existsSync(join(PLAN9, 'grep'))) { process.stdout.write('9base is not installed (apt-get install 9base): nothing to compare against\n'); return; }
  process.stdout.write(machineFacts([`peer      9base tools in ${PLAN9}; input ${SIZE >> 20} MiB of text, in the node's /tmp and in a host file`]));
  process.stdout.write(`method    ${n} alternating trials after 2 warm-ups; medians reported\n\n`);
  const data = bigText(SIZE);
  const dir = mkdtempSync(join(tmpdir(), 'cohesix-bench-'));
  const file = join(dir, 'big');
  writeFileSync(file, data);
  const node = await boot({ role: 'QueenPrimary', programs: userland(), services: nodeServices(), env: {} });
  const rows: Row[] = [];
  try {
    await node.sys.writeFile('/tmp/big', data);
    for (const [label, cmd] of [['grep', 'grep queen.*lease'], ['sort', 'sort'], ['wc', 'wc']] as const) {
      const warm = (f: () => Promise<number>): (() => Promise<number>) => { let w = 1; return async () => { while (w-- > 0) await f(); return f(); }; };
      const peer = peerOf(cmd);
      if (!peer) { process.stdout.write(`   ${label}: no host peer (9base or busybox) installed: skipped\n`); continue; }
      const r = await trials(`${label} over ${SIZE >> 20} MiB`, [
        { name: 'ours', run: warm(ours(node, cmd)) },
        { name: peer.name, run: warm(host(peer.argv, file, cmd)) },
      ], n);
      rows.push({ line: `${cmd} 10MiB`, unit: 'ms', ours: r.get('ours')!, peer: r.get(peer.name)!, peerName: peer.name, lower: true, target: 3 });
    }
  } finally {
    await node.kernel.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write('\n' + table(rows));
  process.stdout.write('\nruns\n' + runsText(rows));
}
