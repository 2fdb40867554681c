// Reporting, shared by the benchmarks: the results table, every run, the machine.

import * as os from 'node:os';
import { median } from './measure.ts';

export interface Row {
  line: string;
  unit: string;
  ours: number[];
  peer: number[];
  peerName: string;
  /** Lower is better (times): the target is a ceiling on ours/peer. */
  lower?: boolean;
  /** ours/peer must be at least (or, lower, at most) this; undefined: information only. */
  target?: number;
  /** Printed under the table, e.g. when a server negotiated another msize than asked. */
  note?: string;
}

export interface TableOptions {
  /** Decimals of the ratio on higher-is-better rows (lower-is-better rows always get 2); default 3. */
  ratioDigits?: number;
}

export function fmt(v: number, unit: string): string {
  if (unit === 'MB/s') return v.toFixed(1);
  if (unit === 'ms') return v.toFixed(2);
  return Math.round(v).toLocaleString('en-US');
}

export function verdict(r: Row): 'info' | 'PASS' | 'MISS' {
  if (r.target === undefined) return 'info';
  const ratio = median(r.ours) / median(r.peer);
  return (r.lower ? ratio <= r.target : ratio >= r.target) ? 'PASS' : 'MISS';
}

export function table(rows: Row[], opts: TableOptions = {}): string {
  const digits = opts.ratioDigits ?? 3;
  const head = ['line', 'ours', 'peer', 'ratio', 'target', 'result'];
  const body = rows.map((r) => {
    const o = median(r.ours), p = median(r.peer);
    return [
      `${r.line} (${r.unit})`, fmt(o, r.unit), `${r.peerName} ${fmt(p, r.unit)}`, `ours/${r.peerName} ${(o / p).toFixed(r.lower ? 2 : digits)}x`,
      r.target === undefined ? '-' : `${r.lower ? '<=' : '>='} ${String(r.target)}x`, verdict(r),
    ];
  });
  const all = [head, ...body];
  const w = head.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const line = (row: string[]): string => row.map((c, i) => (i === 0 || i === 2 || i === 3 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ').trimEnd();
  const notes = rows.filter((r) => r.note).map((r) => `  ${r.line.split(' ')[0]} ${r.note}`);
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line), ...notes].join('\n') + '\n';
}

export function runsText(rows: Row[]): string {
  return rows.map((r) => {
    const f = (xs: number[]): string => xs.map((x) => fmt(x, r.unit)).join(', ');
    return `  ${r.line}: ours [${f(r.ours)}]  ${r.peerName} [${f(r.peer)}] ${r.unit}`;
  }).join('\n') + '\n';
}

/** Date, Node, CPUs, memory and load; then any extra lines (e.g. a peer's version). */
export function machineFacts(extra: readonly string[] = []): string {
  const cpus = os.cpus();
  return [
    `date      ${new Date().toISOString()}`,
    `node      ${process.version} (${process.platform}/${process.arch}, V8 ${process.versions.v8})`,
    `cpus      ${cpus.length} x ${cpus[0]?.model.trim() ?? 'unknown'}${os.availableParallelism ? `, available parallelism ${os.availableParallelism()}` : ''}`,
    `memory    ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, kernel ${os.release()}, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`,
    ...extra,
  ].join('\n') + '\n';
}

export interface ReportSpec {
  /** Lines after the machine's (backend versions, tools found). */
  facts?: readonly string[];
  /** How it measures (one line after `method`). */
  method?: string;
  measure: () => Promise<Row[]>;
  /** What each row measures, printed under the table. */
  legend: readonly string[];
}

/** A benchmark's report: the machine, the method, the table, its legend, every run and the load after. */
export async function printReport(spec: ReportSpec): Promise<void> {
  const w = (s: string): void => { process.stdout.write(s); };
  w(machineFacts(spec.facts));
  if (spec.method) w(`method    ${spec.method}\n\n`);
  w('measuring\n');
  const rows = await spec.measure();
  w('\n' + table(rows));
  w(spec.legend.join('\n') + '\n');
  w('all runs:\n' + runsText(rows));
  w(`load      ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} at the end\n`);
}
