// The benchmark runner: node dist/bench/run.js [name...] (also `npm run bench -- NAME` and
// `make bench BENCH=NAME`). No name runs every benchmark. A benchmark is a report, not a
// test: the exit status is 0 whatever the numbers, 1 only if a benchmark crashed, 2 for
// bad usage.

import { bench9p } from './9p.ts';
import { kernelBench } from './kernel.ts';
import { rcBench } from './rc.ts';
import { busyboxBench } from './busybox.ts';
import { simBenchReport } from './sim.ts';
import { cudaBenchReport } from './cuda.ts';
import { webBenchReport } from './web.ts';
import { cohccBenchReport } from './cohcc.ts';
import { hwBenchReport } from './hw.ts';

export interface Bench {
  readonly name: string;
  readonly summary: string;
  run(): Promise<void>;
}

/** Every benchmark, by name, in the order `run` with no names runs them. */
const REGISTRY: readonly Bench[] = [
  bench9p,
  { name: 'kernel', summary: 'kernel syscalls, pipes and boot against the host', run: kernelBench },
  { name: 'rc', summary: 'rc loops, pipelines and boot to prompt against 9base rc, dash and node', run: rcBench },
  { name: 'sim', summary: '/sim file interface vs Rapier world.step(), 1,000 balls', run: simBenchReport },
  { name: 'cuda', summary: 'inference through /srv/cuda against session.run and a TCP round trip', run: cudaBenchReport },
  { name: 'services', summary: 'sim and cuda together (the issue\'s benchmark)', run: async () => { await simBenchReport(); await cudaBenchReport(); } },
  { name: 'busybox', summary: 'grep, sort and wc over 10 MB against 9base\'s tools', run: busyboxBench },
  { name: 'web', summary: 'web console keystroke-to-echo against a bare ws echo server', run: webBenchReport },
  { name: 'cohcc', summary: 'Coh_CC: -O2 WebAssembly vs gcc -O2 of our C on the corpus, code size, compile speed', run: cohccBenchReport },
  { name: 'hw', summary: 'hardware images: boot to attach vs a bare hello image, 9P round trips over serial vs TCP', run: hwBenchReport },
];

function usage(): string {
  const lines = ['usage: node dist/bench/run.js [name...]   (no name: all)', '', 'benchmarks:'];
  for (const b of REGISTRY) lines.push(`  ${b.name.padEnd(8)} ${b.summary}`);
  lines.push('', 'environment: COHESIX_BENCH_SECONDS (per measurement, default 2),',
    '  COHESIX_BENCH_REPS (default 3, the median is reported), COHESIX_BENCH_WARMUP (seconds, default 1)');
  return lines.join('\n') + '\n';
}

async function main(argv: string[]): Promise<number> {
  if (argv.some((a) => a === '-h' || a === '--help' || a === 'help')) { process.stdout.write(usage()); return 0; }
  const byName = new Map(REGISTRY.map((b) => [b.name, b]));
  const unknown = argv.filter((n) => !byName.has(n));
  if (unknown.length) { process.stderr.write(`bench: unknown benchmark ${unknown.map((n) => `'${n}'`).join(', ')}\n${usage()}`); return 2; }
  const chosen = argv.length ? [...new Set(argv)].map((n) => byName.get(n)!) : REGISTRY;
  let rc = 0;
  for (const b of chosen) {
    process.stdout.write(`== bench ${b.name}: ${b.summary}\n`);
    try {
      await b.run();
    } catch (e) {
      process.stderr.write(`\nbench ${b.name} crashed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      rc = 1;
    }
  }
  return rc;
}

// Exit explicitly: a benchmark that left a handle open must not keep the runner alive.
process.exit(await main(process.argv.slice(2)));
