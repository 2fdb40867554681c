// Conformance against the Linux kernel's 9P client (v9fs).
//
// Boots Debian's kernel under QEMU (tests/v9fs/run.sh) and mounts our server
// with both dialects, 9P2000 and 9P2000.L, msize 1 MiB, running the checks in
// tests/v9fs/guest/init. Needs qemu-system-x86_64 (setup.sh installs it when
// running as root) and, the first time, Debian's package mirror for the
// kernel and busybox .debs (cached under ~/.cache/cohesix/v9fs).
//
// Environment:
//   COHESIX_V9FS_SERVER=diod   test Debian's diod (9P2000.L only) instead of
//                              `bin/cohesix serve`; a reference run for the harness itself.
//   COHESIX_V9FS_DIALECTS      override the dialect list, e.g. 9p2000.L
//   COHESIX_CACHE              cache root (see setup.sh)

import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
/** The issue's acceptance parameters at 1 MiB, and a 64 KiB msize where a big directory spans reads. */
const CONFIGS = [
  { msize: 1048576, args: ['-b', '32', '-n', '1000', '-p', '8'] },
  { msize: 65536, args: ['-b', '8', '-n', '1000', '-p', '4'] },
];
const TEST_TIMEOUT_MS = 600_000;
const VM_TIMEOUT_S = 420;

const children = new Set<ChildProcess>();
const scratch: string[] = [];

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const isRoot = process.getuid?.() === 0;
const cannotRunReason =
  !onPath('qemu-system-x86_64') && !isRoot
    ? 'qemu-system-x86_64 is not installed and we are not root, so tests/v9fs/setup.sh cannot install it ' +
      '(run `sudo apt-get install qemu-system-x86` once)'
    : null;

/** Start a child in its own process group so the whole group can be killed. */
function start(cmd: string, args: string[], opts: { cwd?: string } = {}): ChildProcess {
  const child = spawn(cmd, args, { cwd: opts.cwd ?? repo, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** Keep draining a long-lived child's output (so it never blocks on a full pipe); remember the tail. */
function drain(child: ChildProcess): () => string {
  let tail = '';
  const keep = (d: Buffer) => { tail = (tail + d.toString()).slice(-4000); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => tail;
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

async function stop(child: ChildProcess): Promise<void> {
  if (!alive(child) || child.pid === undefined) return;
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      try { child.kill(sig); } catch { /* already gone */ }
    }
  };
  signal('SIGTERM');
  const timer = new Promise<'late'>((res) => setTimeout(() => res('late'), 5000));
  if ((await Promise.race([exited, timer])) === 'late') {
    signal('SIGKILL');
    await Promise.race([exited, new Promise((res) => setTimeout(res, 2000))]);
  }
}

interface Finished { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function collect(child: ChildProcess): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  return new Promise((res, rej) => {
    child.once('error', rej);
    child.once('close', (code, signal) => res({ code, signal, stdout, stderr }));
  });
}

/** Wait until `pattern` appears on the child's stdout; fail if it exits first. */
function waitForLine(child: ChildProcess, pattern: RegExp, what: string, ms: number): Promise<RegExpMatchArray> {
  return new Promise((res, rej) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => done(new Error(`${what}: no line matching ${pattern} within ${ms} ms\nstdout: ${out}\nstderr: ${err}`)), ms);
    const onOut = (d: Buffer) => {
      out += d.toString();
      const m = out.match(pattern);
      if (m) done(null, m);
    };
    const onErr = (d: Buffer) => { err += d.toString(); };
    const onExit = (code: number | null, sig: string | null) =>
      done(new Error(`${what} exited (code ${code}, signal ${sig}) before printing ${pattern}\nstdout: ${out}\nstderr: ${err}`));
    const done = (e: Error | null, m?: RegExpMatchArray) => {
      clearTimeout(timer);
      child.stdout?.off('data', onOut);
      child.stderr?.off('data', onErr);
      child.off('exit', onExit);
      if (e) rej(e);
      else res(m!);
    };
    child.stdout?.on('data', onOut);
    child.stderr?.on('data', onErr);
    child.once('exit', onExit);
  });
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

async function waitForListener(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((res) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); res(true); });
      s.once('error', () => res(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on 127.0.0.1:${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Target { addr: string; dialects: string; extraArgs: string[]; server: ChildProcess; output: () => string }

/** Our own server: `bin/cohesix serve --ramfs --listen tcp!127.0.0.1!0`. */
async function startCohesix(): Promise<Target> {
  const cli = join(repo, 'bin', 'cohesix');
  if (!existsSync(cli)) {
    throw new Error(`${cli} does not exist: the v9fs suite needs the CLI (\`cohesix serve --ramfs --listen ...\`). ` +
      'To check the harness itself against diod, run with COHESIX_V9FS_SERVER=diod.');
  }
  const server = start(process.execPath, [cli, 'serve', '--ramfs', '--listen', 'tcp!127.0.0.1!0']);
  const output = drain(server);
  const m = await waitForLine(server, /listening on tcp!127\.0\.0\.1!(\d+)/, 'cohesix serve', 30_000);
  return { addr: `127.0.0.1:${m[1]}`, dialects: '9p2000,9p2000.L', extraArgs: [], server, output };
}

/** Reference peer for the harness: Debian's diod (9P2000.L only). */
async function startDiod(): Promise<Target> {
  if (!onPath('diod')) {
    if (!isRoot) throw new Error('COHESIX_V9FS_SERVER=diod but diod is not installed (apt-get install diod)');
    const r = spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'diod'], {
      stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0) throw new Error('apt-get install diod failed');
  }
  const dir = mkdtempSync(join(tmpdir(), 'cohesix-v9fs-diod-'));
  scratch.push(dir);
  const port = await freePort();
  const server = start('diod', ['-f', '-n', '-L', 'stderr', '-l', `127.0.0.1:${port}`, '-e', dir]);
  const output = drain(server);
  await waitForListener(port, 15_000);
  return { addr: `127.0.0.1:${port}`, dialects: '9p2000.L', extraArgs: ['-o', `aname=${dir}`], server, output };
}

/** The not-ok lines of run.sh output, each with the "#" diagnostics that follow it. */
function failures(output: string): string[] {
  const out: string[] = [];
  let current: string[] | null = null;
  for (const line of output.split('\n')) {
    if (line.startsWith('not ok')) {
      current = [line];
      out.push('');
    } else if (current && line.startsWith('#')) {
      current.push(line);
    } else {
      current = null;
    }
    if (current) out[out.length - 1] = current.slice(0, 12).join('\n');
  }
  return out;
}

afterAll(async () => {
  await Promise.all([...children].map(stop));
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

describe('Linux v9fs client against our 9P server', () => {
  it.for(CONFIGS)(
    'mounts with 9P2000 and 9P2000.L (msize $msize) and passes every check',
    async ({ msize, args }, ctx) => {
      ctx.skip(cannotRunReason !== null, cannotRunReason ?? undefined);

      // (a) kernel, busybox, initramfs (and qemu, if missing and we are root)
      const setup = spawnSync('bash', [join(here, 'setup.sh')], { encoding: 'utf8', timeout: 300_000 });
      if (setup.status === 2 && !onPath('qemu-system-x86_64')) {
        ctx.skip(`setup.sh could not provide qemu: ${setup.stderr.trim()}`);
      }
      expect(setup.status, `tests/v9fs/setup.sh failed:\n${setup.stdout}\n${setup.stderr}`).toBe(0);

      // (b) the server
      const which = process.env.COHESIX_V9FS_SERVER ?? 'cohesix';
      if (which !== 'cohesix' && which !== 'diod') throw new Error(`COHESIX_V9FS_SERVER must be cohesix or diod, not ${which}`);
      const target = which === 'diod' ? await startDiod() : await startCohesix();
      const dialects = process.env.COHESIX_V9FS_DIALECTS ?? target.dialects;

      // (c) the VM
      const logDir = mkdtempSync(join(tmpdir(), 'cohesix-v9fs-log-'));
      const log = join(logDir, 'console.log');
      const runner = start('bash', [
        join(here, 'run.sh'), '-V', dialects, '-m', String(msize), ...args, '-T', String(VM_TIMEOUT_S),
        '-l', log, ...target.extraArgs, target.addr,
      ]);
      try {
        const res = await collect(runner);
        const out = res.stdout;
        const passed = out.match(/^ok /gm)?.length ?? 0;
        const failedChecks = failures(out);
        const problems: string[] = [];
        if (res.code !== 0) problems.push(`run.sh exited ${res.code ?? `on signal ${res.signal}`} (0 = all passed, 1 = checks failed, 2 = harness error)`);
        if (!/^V9FS-DONE passed=\d+ failed=\d+/m.test(out)) problems.push('the guest never printed V9FS-DONE');
        if (passed === 0) problems.push('no check passed');
        for (const d of dialects.split(',')) {
          if (!new RegExp(`^V9FS-DIALECT ${d.replace(/\./g, '\\.')} passed=`, 'm').test(out)) problems.push(`no results for dialect ${d}`);
        }
        problems.push(...failedChecks);
        const serverTail = target.output().trim().split('\n').slice(-15).join('\n');
        const context = [
          `server: ${which} at ${target.addr}; dialects ${dialects}; console log kept at ${log}`,
          ...out.split('\n').filter((l) => l.startsWith('v9fs: ')),
          res.stderr.trim() ? `run.sh stderr:\n${res.stderr.trim().split('\n').slice(-15).join('\n')}` : '',
          serverTail ? `server output (tail):\n${serverTail}` : '',
        ].filter(Boolean).join('\n');
        expect(problems, context).toEqual([]);
        rmSync(logDir, { recursive: true, force: true });
      } finally {
        await stop(runner);
        await stop(target.server);
      }
    },
    TEST_TIMEOUT_MS,
  );
});
