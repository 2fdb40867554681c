// Linux v9fs against a booted node: `cohesix serve --role QueenPrimary` exports init's
// namespace, and one VM boot runs, for each dialect (9P2000 and 9P2000.L):
//  - run.sh's generic checks inside its /tmp (mount option aname=/tmp, passed with run.sh -o),
//    so every create, rename, truncate, symlink and remove goes through init's syscalls, its
//    capabilities and the node's #r ramfs (renames across directories and symlinks are done
//    by that ramfs itself, see kernel/export.ts);
//  - the node-specific checks of node.checks (run.sh -x) on a second mount of the export's
//    root (no aname, run.sh -X ''): /srv/cohrole, /proc/boot, a file in /tmp, pids in /proc.
// Every check must pass: any failure is a regression.
//
// Needs what tests/v9fs/v9fs.test.ts needs (qemu-system-x86_64, setup.sh's cache) and a built dist/.

import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const children = new Set<ChildProcess>();

const DIALECTS = ['9p2000', '9p2000.L'];
const NODE_CHECKS = join(here, 'node.checks');
/** The check lines of node.checks, as guest/init names them. */
const nodeChecks = readFileSync(NODE_CHECKS, 'utf8').split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const cannotRun = !onPath('qemu-system-x86_64') && process.getuid?.() !== 0
  ? 'qemu-system-x86_64 is not installed and we are not root (see tests/v9fs/README.md)' : null;

function start(cmd: string, args: string[]): ChildProcess {
  const c = spawn(cmd, args, { cwd: repo, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COHROLE: '', COHESIX_CONFIG: '' } });
  children.add(c);
  c.on('exit', () => children.delete(c));
  return c;
}

function kill(c: ChildProcess): void {
  if (c.exitCode !== null || c.signalCode !== null || c.pid === undefined) return;
  try { process.kill(-c.pid, 'SIGTERM'); } catch { c.kill('SIGTERM'); }
}

afterAll(() => { for (const c of children) kill(c); });

function collect(c: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '', stderr = '';
  c.stdout?.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  c.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  return new Promise((res, rej) => { c.once('error', rej); c.once('close', (code) => res({ code, stdout, stderr })); });
}

function listening(c: ChildProcess): Promise<string> {
  return new Promise((res, rej) => {
    let out = '', err = '';
    const t = setTimeout(() => rej(new Error(`cohesix serve did not listen in 30 s: ${out}${err}`)), 30_000);
    c.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on tcp!127\.0\.0\.1!(\d+)/.exec(out);
      if (m) { clearTimeout(t); res(`127.0.0.1:${m[1]}`); }
    });
    c.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    c.once('exit', (code) => { clearTimeout(t); rej(new Error(`cohesix serve exited ${code}: ${err}`)); });
  });
}

describe('Linux v9fs against a booted node (cohesix serve --role QueenPrimary)', () => {
  it('passes the generic checks inside /tmp (aname=/tmp) and the node checks at the export root', async (ctx) => {
    ctx.skip(cannotRun !== null, cannotRun ?? undefined);
    const setup = spawnSync('bash', [join(here, 'setup.sh')], { encoding: 'utf8', timeout: 300_000 });
    if (setup.status === 2 && !onPath('qemu-system-x86_64')) ctx.skip(`setup.sh could not provide qemu: ${setup.stderr.trim()}`);
    expect(setup.status, `setup.sh failed:\n${setup.stdout}\n${setup.stderr}`).toBe(0);

    const server = start(process.execPath, [join(repo, 'bin', 'cohesix'), 'serve', '--role', 'QueenPrimary', '--listen', 'tcp!127.0.0.1!0']);
    const serverErr: string[] = [];
    server.stderr?.on('data', (d: Buffer) => serverErr.push(d.toString()));
    const addr = await listening(server);
    const logDir = mkdtempSync(join(tmpdir(), 'cohesix-v9fs-node-'));
    try {
      const t0 = performance.now();
      const runner = start('bash', [join(here, 'run.sh'), '-V', DIALECTS.join(','), '-m', '65536', '-b', '4', '-n', '200', '-p', '4',
        '-T', '420', '-o', 'aname=/tmp', '-x', NODE_CHECKS, '-X', '', '-l', join(logDir, 'console.log'), addr]);
      const res = await collect(runner);
      const out = res.stdout;
      const context = `run.sh exit ${res.code}\n${out.split('\n').filter((l) => /^(not ok|#|v9fs:|V9FS)/.test(l)).join('\n')}\n${res.stderr}\nserver: ${serverErr.join('').slice(-2000)}`;
      expect(out, context).toMatch(/^V9FS-DONE passed=\d+ failed=0/m);
      expect(out.split('\n').filter((l) => l.startsWith('not ok')), context).toEqual([]);
      for (const d of DIALECTS) {
        const q = d.replace(/\./g, '\\.');
        expect(out, context).toMatch(new RegExp(`^V9FS-DIALECT ${q} passed=\\d+ failed=0$`, 'm'));
        const ok = (name: string): boolean => out.split('\n').some((l) => new RegExp(`^ok \\d+ - \\[${q}\\] `).test(l) && l.endsWith(`] ${name}`));
        // The checks that were expected failures before the export did them on the device.
        expect(ok('rename across directories'), `${d}: rename across directories\n${context}`).toBe(true);
        if (d === '9p2000.L') expect(ok('symlink + readlink'), `${d}: symlink + readlink\n${context}`).toBe(true);
        for (const c of ['extra: umount', ...nodeChecks.map((l) => `extra: ${l}`)]) expect(ok(c), `${d}: ${c}\n${context}`).toBe(true);
      }
      expect(res.code, context).toBe(0);
      process.stderr.write(`v9fs-node: ${out.split('\n').filter((l) => /^(V9FS-DIALECT|V9FS-DONE|v9fs: target)/.test(l)).join('; ')}; test ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    } finally {
      kill(server);
      rmSync(logDir, { recursive: true, force: true });
    }
  }, 600_000);
});
