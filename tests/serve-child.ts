// Start `cohesix serve ...` as a child process and wait for its "listening on" line (tests only).

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export const CLI = new URL('../bin/cohesix', import.meta.url).pathname;

export interface Served {
  child: ChildProcess;
  address: string;
  stderr: () => string;
}

export function startServe(args: string[], env: Record<string, string> = {}, track?: Set<ChildProcess>): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COHROLE: '', COHESIX_CONFIG: '', ...env } });
  track?.add(child);
  let err = '';
  child.stderr!.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ child, address: m[1]!, stderr: () => err });
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}
