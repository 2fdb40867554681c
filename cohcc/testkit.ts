// For tests and the benchmark: run a module through the interpreter, WebAssembly in Node
// and gcc-built C, and compare. gcc runs as separate processes, in parallel, in a temp dir.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { compile } from './compile.ts';
import type { RunStatus } from './interp.ts';
import { interpret } from './interp.ts';
import type { Module } from './ir.ts';
import { MemHost } from './memhost.ts';
import type { OptLevel } from './passes/manager.ts';
import { runWasm } from './wasm/run.ts';

const run = promisify(execFile);

export interface Outcome { out: string; status: string }

export const statusText = (s: RunStatus): string => ('trap' in s ? 'trap' : String(s.code & 255));

export function viaInterp(m: Module, args: string[] = ['prog'], files: Record<string, string> = {}): Outcome {
  const h = new MemHost(args, files);
  const s = interpret(m, h);
  return { out: h.stdout(), status: statusText(s) };
}

export function viaWasm(m: Module, opt: OptLevel, args: string[] = ['prog'], files: Record<string, string> = {}): Outcome {
  const bytes = compile(m, { opt, emit: 'wasm', verify: true }).output as Uint8Array;
  if (!WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)) throw new Error('WebAssembly.validate refused the module');
  const h = new MemHost(args, files);
  const s = runWasm(bytes, h);
  return { out: h.stdout(), status: statusText(s) };
}

/** A temp dir for C builds; remove() when done. */
export class CBuilds {
  readonly dir = mkdtempSync(join(tmpdir(), 'cohcc-'));
  private n = 0;

  /** Compile C text with gcc (-std=c11 -Wall -Werror); the executable's path. */
  async build(c: string, gccOpt = '-O0'): Promise<string> {
    const k = this.n++;
    const src = join(this.dir, `p${k}.c`), exe = join(this.dir, `p${k}`);
    writeFileSync(src, c);
    await run('gcc', ['-std=c11', '-Wall', '-Werror', gccOpt, '-o', exe, src]);
    return exe;
  }

  /** Run an executable in the temp dir; its stdout and status ('trap' when it trapped). */
  async exec(exe: string, args: string[] = []): Promise<Outcome> {
    try {
      const p = run(exe, args, { cwd: this.dir, encoding: 'latin1', maxBuffer: 1 << 26 });
      p.child.stdin?.end(); // standard input is empty
      const r = await p;
      return { out: r.stdout, status: '0' };
    } catch (e) {
      const x = e as { code?: number; stdout?: string; stderr?: string };
      if (typeof x.code !== 'number') throw e;
      return { out: x.stdout ?? '', status: x.code === 250 && /^trap: /.test(x.stderr ?? '') ? 'trap' : String(x.code) };
    }
  }

  remove(): void { rmSync(this.dir, { recursive: true, force: true }); }
}

export function cText(m: Module, opt: OptLevel): string {
  return compile(m, { opt, emit: 'c', verify: true }).output as string;
}
