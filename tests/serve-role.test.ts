// `cohesix serve --role R` and `cohesix boot --role R` as a user runs them: a separate
// process; our 9P client mounts the exported namespace over TCP.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Fsys } from '../fs/client/index.ts';
import { Dialect } from '../fs/9p/constants.ts';
import { dial } from '../fs/transport/net.ts';
import { CLI, startServe as startServeChild } from './serve-child.ts';
import type { Served } from './serve-child.ts';

const children = new Set<ChildProcess>();
afterAll(() => { for (const c of children) c.kill('SIGKILL'); });

function startServe(args: string[], env: Record<string, string> = {}): Promise<Served> {
  return startServeChild(args, env, children);
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = await exited;
  children.delete(child);
  return code as number | null;
}

const text = async (fs: Fsys, p: string): Promise<string> => (await fs.readFile(p)).toString('utf8');

describe('cohesix serve --role', () => {
  it('exports a QueenPrimary node: /srv/cohrole, /proc/boot, a writable /tmp, in both dialects', async () => {
    const { child, address, stderr } = await startServe(['--role', 'QueenPrimary', '--listen', 'tcp!127.0.0.1!0']);
    expect(address).toMatch(/^tcp!127\.0\.0\.1!\d+$/);
    for (const version of [Dialect.P2000, Dialect.P2000L]) {
      const fs = await Fsys.mount(await dial(address), { version, uname: 'glenda' });
      expect(await text(fs, '/srv/cohrole')).toBe('QueenPrimary');
      const bootlog = await text(fs, '/proc/boot');
      expect(bootlog).toMatch(/^role=QueenPrimary\nsource=argument\n/);
      expect(bootlog).toContain('\nabsent=queen codex hw console\n');
      expect(bootlog).toMatch(/\ncaps=proc:sg ns:mg /);
      expect((await fs.readdir('/')).map((d) => d.name).sort()).toEqual(['adm', 'bin', 'dev', 'env', 'fd', 'input', 'log', 'mnt', 'n', 'proc', 'sim', 'srv', 'sys', 'tmp', 'worker']);
      await fs.writeFile(`/tmp/hello-${version}`, 'from the client\n');
      expect(await text(fs, `/tmp/hello-${version}`)).toBe('from the client\n');
      expect(await text(fs, '/proc/9p/sessions')).toMatch(/\nexport=[1-9]\d*\n/);
      await expect(fs.writeFile('/srv/cohrole', 'Emperor')).rejects.toThrow(/permission denied/);
      await expect(fs.writeFile('/proc/boot', 'x')).rejects.toThrow(/permission denied/);
      await expect(fs.stat('/queen')).rejects.toThrow(/file does not exist|No such file/i);
      fs.close();
    }
    // aname selects a subtree; '..' stops at its root.
    const tmp = await Fsys.mount(await dial(address), { version: '9P2000', uname: 'glenda', aname: '/tmp' });
    expect((await tmp.readdir('/')).map((d) => d.name).sort()).toEqual(['hello-9P2000', 'hello-9P2000.L']);
    expect((await tmp.readdir('/..')).map((d) => d.name).sort()).toEqual(['hello-9P2000', 'hello-9P2000.L']);
    await expect(tmp.stat('/../srv/cohrole')).rejects.toThrow(/file does not exist/);
    tmp.close();
    expect(stderr()).toContain('cohesix serve: booted QueenPrimary (argument); absent: queen codex hw console');
    expect(await stop(child)).toBe(0);
  });

  it('exports only what a role reaches, and takes the role from COHROLE', async () => {
    const { child, address } = await startServe(['--listen', 'tcp!127.0.0.1!0'], { COHROLE: 'SensorRelay' });
    const fs = await Fsys.mount(await dial(address), { version: '9P2000.L', uname: 'glenda' });
    expect(await text(fs, '/srv/cohrole')).toBe('SensorRelay');
    expect((await fs.readdir('/')).map((d) => d.name).sort()).toEqual(['adm', 'bin', 'dev', 'env', 'fd', 'input', 'srv', 'sys', 'tmp']);
    expect((await fs.readdir('/srv')).map((d) => d.name).sort()).toEqual(['cohrole', 'telemetry']);
    await expect(fs.stat('/proc/boot')).rejects.toThrow(/file does not exist|No such file/i);
    await fs.writeFile('/input/temp0', '21.5\n');
    await expect(fs.remove('/srv/telemetry/telemetry.log')).rejects.toThrow(/permission denied/);
    fs.close();
    expect(await stop(child)).toBe(0);
  });

  it('a 9P connection is a login: in /adm/who with its address and idle seconds while it lasts, in /adm/wtmp after', async () => {
    const { child, address } = await startServe(['--role', 'QueenPrimary', '--listen', 'tcp!127.0.0.1!0']);
    const a = await Fsys.mount(await dial(address), { uname: 'glenda' });
    const who = (await a.readFile('/adm/who')).toString();
    expect(who).toMatch(/^9p glenda \d+ tcp!127\.0\.0\.1!\d+ 0\n$/);
    await new Promise((r) => setTimeout(r, 1100));
    const b = await Fsys.mount(await dial(address), { uname: 'glenda' });
    // a has sent nothing for a second: idle 1; b's own read is its latest request: idle 0.
    expect((await b.readFile('/adm/who')).toString()).toMatch(/^9p glenda \d+ \S+ [12]\n9p\.\d+ glenda \d+ \S+ 0\n$/);
    a.close();
    let wtmp = '';
    for (let i = 0; i < 50 && !/logout 9p /.test(wtmp); i++) {
      await new Promise((r) => setTimeout(r, 20));
      wtmp = (await b.readFile('/adm/wtmp')).toString();
    }
    expect(wtmp).toMatch(/^login 9p glenda \d+ tcp!127\.0\.0\.1!\d+\nlogin 9p\.\d+ glenda \d+ \S+\nlogout 9p glenda \d+\n$/m);
    b.close();
    expect(await stop(child)).toBe(0);
  });

  it('keeps --ramfs, prints help, and refuses an unknown role with the nine names', () => {
    const help = spawnSync(process.execPath, [CLI, 'serve', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: cohesix serve --ramfs');
    expect(help.stdout).toContain('cohesix serve [--role ROLE]');
    const bad = spawnSync(process.execPath, [CLI, 'serve', '--role', 'Pharaoh', '--listen', 'tcp!127.0.0.1!0'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown role 'Pharaoh' (from the role argument): want one of QueenPrimary, RegionalQueen, BareMetalQueen, DroneWorker, InteractiveAiBooth, KioskInteractive, GlassesAgent, SensorRelay, SimulatorTest");
    const both = spawnSync(process.execPath, [CLI, 'serve', '--ramfs', '--role', 'DroneWorker'], { encoding: 'utf8' });
    expect(both.status).toBe(2);
  });
});

describe('cohesix boot (an rc session on the console)', () => {
  const run = (args: string[], input: string) => spawnSync(process.execPath, [CLI, 'boot', ...args], {
    input, encoding: 'utf8', timeout: 20_000, env: { ...process.env, COHROLE: '', COHESIX_CONFIG: '' },
  });

  it('boots a role and runs rc as its shell until exit', () => {
    const r = run(['--role', 'DroneWorker', '--worker', 'worker-3'], 'cat /srv/cohrole; echo\nls /worker\necho beat > /worker/worker-3/heartbeat\necho twice >> /worker/worker-3/heartbeat\ncat /worker/worker-3/heartbeat\nns | grep worker-3\ncat /nowhere\nexit\nls /\n');
    expect(r.status).toBe(1); // rc's last $status (cat failed): the exit code says so
    expect(r.stdout).toContain('cohesix: DroneWorker (argument) on cohesix\n');
    // rc edits lines itself, so what is typed is echoed: the output reads as a transcript.
    expect(r.stdout).toContain('cohesix% cat /srv/cohrole; echo\nDroneWorker\ncohesix% ls /worker\nworker-3\n');
    expect(r.stdout).toContain('beat\ntwice\n');
    expect(r.stdout).toContain('bind -c \'#worker/worker-3\' /worker/worker-3\n');
    expect(r.stdout).toContain('cat: /nowhere: file does not exist\n');
    expect(r.stdout).not.toContain('bin\ndev'); // nothing ran after exit
  });

  it('enforces a role\'s command list through the kernel, and ends at end of input', () => {
    const r = run(['--role', 'KioskInteractive'], 'ns\nls /srv\n');
    expect(r.status).not.toBe(2);
    expect(r.stdout).toContain('ns: command not allowed in role KioskInteractive\n');
    expect(r.stdout).toContain('cohrole\n');
  });

  it('documents rc in --help, and refuses bad roles', () => {
    const help = run(['--help'], '');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Plan 9's rc/);
    const bad = run(['--role', 'Nobody'], '');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown role 'Nobody'");
    const top = spawnSync(process.execPath, [CLI, 'help'], { encoding: 'utf8' });
    expect(top.stdout).toMatch(/\n  boot +boot a node in a role/);
    expect(top.stdout).toMatch(/\n  rc +run an rc command/);
  });
});

describe('cohesix rc', () => {
  const rc = (args: string[], input = '') => spawnSync(process.execPath, [CLI, 'rc', ...args], {
    input, encoding: 'utf8', timeout: 20_000, env: { ...process.env, COHROLE: '', COHESIX_CONFIG: '' },
  });

  it('runs -c with the host stdio; exit code 0 iff $status is empty', () => {
    const ok = rc(['-c', 'cat /srv/cohrole; echo; cat | tr a-z A-Z'], 'from host stdin\n');
    expect(ok.stdout).toBe('QueenPrimary\nFROM HOST STDIN\n');
    expect(ok.status).toBe(0);
    const bad = rc(['-c', 'echo to stderr >[1=2]; false']);
    expect(bad.stderr).toBe('to stderr\n');
    expect(bad.status).toBe(1);
  });

  it("passes rc's own flags before -c or FILE to rc", () => {
    const x = rc(['-x', '-c', 'echo hi']);
    expect(x.stdout).toBe('hi\n');
    expect(x.stderr).toBe('echo hi\n');
    const e = rc(['-e', '-c', 'false; echo never']);
    expect(e.stdout).toBe('');
    expect(e.status).toBe(1);
  });

  it('runs a host FILE with arguments as $0 and $*, in the role given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cohesix-rc-'));
    const f = join(dir, 'script.rc');
    writeFileSync(f, 'echo $0 $#* $2\ncat /srv/cohrole\n');
    const r = rc(['--role', 'DroneWorker', f, 'a', 'b']);
    expect(r.stdout).toBe(`${f} 2 b\nDroneWorker`);
    expect(r.status).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a command blocked on a node file keeps the host process; ^C (SIGINT) interrupts it as ^C on the console would', async () => {
    const child = spawn(process.execPath, [CLI, 'rc', '-c', 'echo waiting; cat /sim/events; echo never'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COHROLE: '', COHESIX_CONFIG: '' } });
    children.add(child);
    let out = '';
    child.stdout!.on('data', (d) => { out += d; });
    const exited = once(child, 'exit');
    for (let i = 0; i < 100 && out === ''; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    expect(child.exitCode).toBeNull(); // still blocked in the read (Node used to exit with code 13 here)
    child.kill('SIGINT');
    const [code] = await exited;
    children.delete(child);
    expect(out).toBe('waiting\n');
    expect(code).toBe(1);
  });

  it('reads commands from stdin without -c or FILE; reports syntax errors with the line', () => {
    const r = rc([], 'echo one\necho (\n');
    expect(r.stdout).toBe('one\n');
    expect(r.stderr).toContain("rc: stdin:2: syntax error near '\\n'");
    expect(r.status).toBe(1);
  });
});
