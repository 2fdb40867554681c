// `cohesix rc -c` with a remote mount ends when its script does: the connections the kernel
// dialed (import's post-mount-unpost, a mount of a dial string, a /srv post removed) are
// closed at shutdown or when nothing uses them, so no socket keeps Node running.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { CLI, startServe } from './serve-child.ts';

let server: ChildProcess;
let addr: string;
beforeAll(async () => {
  const s = await startServe(['--ramfs', '--listen', 'tcp!127.0.0.1!0']);
  server = s.child;
  addr = s.address;
});
afterAll(async () => {
  const exited = once(server, 'exit');
  server.kill('SIGTERM');
  await exited;
});

/** Run `cohesix rc -c script`; its exit code, output and how long it took (null code: killed at the limit). */
async function rc(script: string): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [CLI, 'rc', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COHROLE: '', COHESIX_CONFIG: '' } });
  let out = '', err = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { err += d; });
  const limit = setTimeout(() => child.kill('SIGKILL'), 8000);
  const [code] = await once(child, 'exit') as [number | null];
  clearTimeout(limit);
  return { code, out, err, ms: Date.now() - t0 };
}

describe('cohesix rc with remote mounts', () => {
  it('exits after import (srv, mount, rm /srv behind the scenes)', async () => {
    const r = await rc(`import -c ${addr} / /n/t && echo over tcp > /n/t/f && cat /n/t/f`);
    expect(r.err).toBe('');
    expect(r.out).toBe('over tcp\n');
    expect(r.code).toBe(0);
    expect(r.ms).toBeLessThan(6000);
  });

  it('exits after a mount of a dial string, and after srv; rm /srv/x', async () => {
    const m = await rc(`mount ${addr} /n/m && cat /n/m/f`);
    expect(m.out).toBe('over tcp\n');
    expect(m.code).toBe(0);
    const s = await rc(`srv ${addr} x >/dev/null && rm /srv/x && echo unposted`);
    expect(s.out).toBe('unposted\n');
    expect(s.code).toBe(0);
  });
});
