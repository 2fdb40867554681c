// Benchmark 9p: our client (fs/client) against
//   ours  - `cohesix serve --ramfs`, a child process, like diod;
//   diod  - Debian's diod exporting a fresh tmpfs directory;
//   floor - raw Node TCP request/response (a child process answering each Tgetattr-sized
//           frame with an Rgetattr-sized one, one outstanding request at a time).
// Both 9P servers are spoken to in 9P2000.L over one TCP connection each on 127.0.0.1.
// Every figure is a rate over a fixed duration after a warm-up, the contenders taking turns
// in short slices so that whatever else the machine does hits them alike; repeated, the
// median reported, every run printed.

import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dialect, GETATTR, IOHDRSZ, OREAD } from '../fs/9p/constants.ts';
import { encode } from '../fs/9p/codec.ts';
import { Client, Fsys, WINDOW } from '../fs/client/index.ts';
import { dial } from '../fs/transport/net.ts';
import { compare, configFromEnv, SLICE } from './measure.ts';
import type { Op } from './measure.ts';
import { machineFacts, table, runsText, verdict } from './report.ts';
import type { Row } from './report.ts';
import type { Bench } from './run.ts';

const DIOD = '/usr/sbin/diod';
const TMPFS_MAGIC = 0x01021994;
const SMALL = 100;
const LARGE = 64 << 20;
const MSIZE_64K = 65536 + IOHDRSZ;
const MSIZE_1M = (1 << 20) + IOHDRSZ;

// ---------------------------------------------------------------------------------------
// Child processes and temporary directories: always cleaned up, even on a crash or ^C.

interface Child {
  readonly name: string;
  readonly proc: ChildProcess;
  /** The last lines it printed (stdout and stderr), for error messages. */
  readonly log: string[];
  /** Set when it exits; a server that exits before we stop it has crashed. */
  exit?: string;
  stopping: boolean;
}

const children = new Set<Child>();
const cleanups: Array<() => void> = [];

function killAllSync(): void {
  for (const c of children) {
    if (c.proc.exitCode === null && c.proc.signalCode === null) {
      try { c.proc.kill('SIGKILL'); } catch { /* already gone */ }
    }
  }
  children.clear();
  for (const f of cleanups.splice(0).reverse()) {
    try { f(); } catch { /* best effort */ }
  }
}

function startChild(name: string, cmd: string, args: string[], cwd?: string): Child {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd });
  const c: Child = { name, proc, log: [], stopping: false };
  const keep = (b: Buffer): void => {
    c.log.push(b.toString());
    if (c.log.length > 50) c.log.splice(0, c.log.length - 50);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  proc.on('error', (e) => { c.exit ??= `could not run: ${e.message}`; });
  proc.on('exit', (code, sig) => { c.exit ??= sig ? `killed by ${sig}` : `exited with status ${code}`; });
  children.add(c);
  return c;
}

function crashed(c: Child): Error {
  return new Error(`${c.name} ${c.exit ?? 'failed'}; its last output:\n${c.log.join('').trimEnd().split('\n').slice(-20).join('\n')}`);
}

/** Wait for "listening on tcp!HOST!PORT" on the child's stdout. */
function listeningAddr(c: Child, timeoutMs = 15000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const done = (e: Error | undefined, a?: string): void => {
      clearTimeout(timer);
      c.proc.stdout!.off('data', onData);
      c.proc.off('exit', onExit);
      if (e) reject(e); else resolve(a!);
    };
    const onData = (b: Buffer): void => {
      seen += b.toString();
      const m = /listening on (tcp!\S+)/.exec(seen);
      if (m) done(undefined, m[1]!);
    };
    const onExit = (): void => { setImmediate(() => done(crashed(c))); };
    const timer = setTimeout(() => done(new Error(`${c.name} did not say where it listens within ${timeoutMs} ms: ${c.log.join('')}`)), timeoutMs);
    c.proc.stdout!.on('data', onData);
    c.proc.once('exit', onExit);
  });
}

async function stopChild(c: Child): Promise<void> {
  c.stopping = true;
  if (c.proc.exitCode === null && c.proc.signalCode === null) {
    const gone = new Promise((r) => c.proc.once('exit', r));
    c.proc.kill('SIGTERM');
    const t = setTimeout(() => c.proc.kill('SIGKILL'), 3000);
    await gone;
    clearTimeout(t);
  }
  children.delete(c);
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => res(p)); });
  });
}

interface ExportDir { dir: string; what: string }

/** A fresh directory on tmpfs for diod: /dev/shm, else a tmpfs we mount, else os.tmpdir() (said so). */
function exportDir(): ExportDir {
  const isTmpfs = (d: string): boolean => { try { return fs.statfsSync(d).type === TMPFS_MAGIC; } catch { return false; } };
  if (isTmpfs('/dev/shm')) {
    try {
      const dir = fs.mkdtempSync('/dev/shm/cohesix-bench-');
      cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
      return { dir, what: `tmpfs (${dir})` };
    } catch { /* not writable: try the next way */ }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cohesix-bench-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  if (isTmpfs(dir)) return { dir, what: `tmpfs (${dir}; /dev/shm was not usable)` };
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512m,mode=0755', 'tmpfs', dir], { stdio: 'ignore' });
    cleanups.push(() => execFileSync('umount', [dir], { stdio: 'ignore' }));
    return { dir, what: `tmpfs mounted by the benchmark at ${dir} (/dev/shm was not usable)` };
  } catch {
    let type = '?';
    try { type = '0x' + fs.statfsSync(dir).type.toString(16); } catch { /* unknown */ }
    return { dir, what: `NOT tmpfs: ${dir} (fs type ${type}; /dev/shm unusable, mounting tmpfs failed), so diod's figures include that file system` };
  }
}

// ---------------------------------------------------------------------------------------
// The three servers.

async function startOurs(): Promise<{ child: Child; addr: string }> {
  const here = fileURLToPath(import.meta.url);
  const bin = path.resolve(path.dirname(here), '../../bin/cohesix');
  const child = startChild('cohesix serve', process.execPath, [bin, 'serve', '--ramfs', '--listen', 'tcp!127.0.0.1!0']);
  return { child, addr: await listeningAddr(child) };
}

async function startDiod(dir: string): Promise<{ child: Child; addr: string }> {
  const port = await freePort();
  // -f foreground, -n no auth, -L stderr logging; the export path is also the aname. cwd is
  // the export dir, so a core dump, if any, goes away with it.
  const child = startChild('diod', DIOD, ['-f', '-n', '-L', 'stderr', '-l', `127.0.0.1:${port}`, '-e', dir], dir);
  const addr = `tcp!127.0.0.1!${port}`;
  for (let i = 0; ; i++) {
    if (child.exit) throw crashed(child);
    try { (await dial(addr)).close(); break; } catch (e) {
      if (i > 200) throw new Error(`diod never listened on ${addr}: ${(e as Error).message}; ${child.log.join('')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return { child, addr };
}

/** The Tgetattr frame (request) and Rgetattr size (reply) the floor server mimics. */
function getattrSizes(): { req: Buffer; replySize: number } {
  const req = encode({ type: 'Tgetattr', tag: 1, fid: 0, requestMask: GETATTR.BASIC }, Dialect.P2000L);
  const q = { type: 0x80, version: 0, path: 1 };
  const rep = encode({
    type: 'Rgetattr', tag: 1, attr: {
      valid: GETATTR.BASIC, qid: q, mode: 0o40755, uid: 0, gid: 0, nlink: 2, rdev: 0, size: 0, blksize: 4096, blocks: 0,
      atimeSec: 0, atimeNsec: 0, mtimeSec: 0, mtimeNsec: 0, ctimeSec: 0, ctimeNsec: 0, btimeSec: 0, btimeNsec: 0, gen: 0, dataVersion: 0,
    },
  }, Dialect.P2000L);
  return { req, replySize: rep.length };
}

async function startFloor(reqSize: number, replySize: number): Promise<{ child: Child; addr: string }> {
  const here = fileURLToPath(import.meta.url);
  const server = path.join(path.dirname(here), 'floor-server' + path.extname(here));
  const child = startChild('floor server', process.execPath, [server, String(reqSize), String(replySize)]);
  return { child, addr: await listeningAddr(child) };
}

/** The floor client: one pre-encoded request frame, wait for one whole reply, repeat. */
async function floorClient(addr: string, req: Buffer, replySize: number): Promise<{ rtt: () => Promise<number>; close: () => void }> {
  const [, host, port] = addr.split('!');
  const sock = net.connect({ host: host!, port: Number(port) });
  await new Promise<void>((res, rej) => { sock.once('connect', res); sock.once('error', rej); });
  sock.setNoDelay(true);
  let have = 0;
  let waiting: { res: (n: number) => void; rej: (e: Error) => void } | undefined;
  sock.on('data', (b: Buffer) => {
    have += b.length;
    if (have >= replySize && waiting) {
      have -= replySize;
      const w = waiting;
      waiting = undefined;
      w.res(1);
    }
  });
  const gone = (e?: Error): void => { const w = waiting; waiting = undefined; w?.rej(e ?? new Error('floor server hung up')); };
  sock.on('error', gone);
  sock.on('close', () => gone());
  return {
    rtt: () => new Promise<number>((res, rej) => { waiting = { res, rej }; sock.write(req); }),
    close: () => sock.destroy(),
  };
}

// ---------------------------------------------------------------------------------------
// Reporting.

function diodFacts(): string {
  let diodVersion = 'unknown';
  try { diodVersion = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'diod'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { /* not Debian */ }
  return `diod      ${DIOD} ${diodVersion}`;
}

// ---------------------------------------------------------------------------------------
// The benchmark.

const ROOT = { uname: 'root', nuname: 0 } as const;

/** A contender's check: throw if its server has exited. */
function alive(c: Child): () => void {
  return () => { if (c.exit) throw crashed(c); };
}

async function connect(addr: string, aname: string, msize: number): Promise<Client> {
  return Client.connect(await dial(addr), { version: Dialect.P2000L, msize, aname, ...ROOT });
}

async function run(): Promise<void> {
  const cfg = configFromEnv();
  process.stdout.write(machineFacts([diodFacts()]));
  if (!fs.existsSync(DIOD)) throw new Error(`${DIOD} is not installed (apt-get install diod, or scripts/deps.sh debian)`);

  const onSignal = (sig: NodeJS.Signals): void => { killAllSync(); process.stderr.write(`bench 9p: ${sig}\n`); process.exit(130); };
  process.on('exit', killAllSync);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const clients: Client[] = [];
  const closers: Array<() => void> = [];
  try {
    const ex = exportDir();
    const { req, replySize } = getattrSizes();
    const [ours, diod, floor] = await Promise.all([startOurs(), startDiod(ex.dir), startFloor(req.length, replySize)]);
    process.stdout.write(`servers   ours: ${ours.addr} (pid ${ours.child.proc.pid}); diod: ${diod.addr} (pid ${diod.child.proc.pid}) exporting ${ex.what}; floor: ${floor.addr} (pid ${floor.child.proc.pid})\n`);

    const conn = async (addr: string, aname: string, msize: number): Promise<Client> => {
      const c = await connect(addr, aname, msize);
      clients.push(c);
      return c;
    };
    const oc = await conn(ours.addr, '', MSIZE_1M);
    const dc = await conn(diod.addr, ex.dir, MSIZE_1M);
    const oc64 = await conn(ours.addr, '', MSIZE_64K);
    const dc64 = await conn(diod.addr, ex.dir, MSIZE_64K);
    process.stdout.write(`sessions  9P2000.L; msize asked ${MSIZE_1M} -> ours ${oc.msize}, diod ${dc.msize}; asked ${MSIZE_64K} -> ours ${oc64.msize}, diod ${dc64.msize}\n`);
    process.stdout.write(`method    ${cfg.warmup} s warm-up, then ${cfg.reps} x ${cfg.seconds} s per contender, taken in turns of <= ${SLICE} s; median of the ${cfg.reps} reported; one TCP connection per session on 127.0.0.1\n`);
    process.stdout.write(`frames    Tgetattr ${req.length} bytes, Rgetattr ${replySize} bytes (the floor server uses these sizes)\n\n`);

    // Files: the same bytes on both servers. Ours gets them through the client, diod's
    // through the host file system it exports.
    const small = randomBytes(SMALL), large = randomBytes(LARGE);
    const ofs = new Fsys(oc, { pipeline: true }); // our server keeps per-fid order: pipelining is safe
    const ofsStep = new Fsys(oc, { pipeline: false });
    const dfs = new Fsys(dc); // the client's 9P2000.L default (no pipelining): diod needs it
    await ofs.writeFile('/small', small);
    await ofs.writeFile('/large', large);
    fs.writeFileSync(path.join(ex.dir, 'small'), small);
    fs.writeFileSync(path.join(ex.dir, 'large'), large);
    const sum = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
    for (const [who, f] of [['ours', ofs], ['diod', dfs]] as const) {
      if (sum(await f.readFile('/small')) !== sum(small)) throw new Error(`${who}: /small reads back wrong`);
      if (sum(await f.readFile('/large')) !== sum(large)) throw new Error(`${who}: /large reads back wrong`);
    }
    process.stdout.write(`pipelining ours: ${ofs.pipelining ? 'on' : 'off'} (plus an info row with it off); diod: ${dfs.pipelining ? 'on' : 'off'} (client default for 9P2000.L)\n`);

    const fl = await floorClient(floor.addr, req, replySize);
    closers.push(fl.close);

    const getattr = (c: Client): Op => async () => { await c.rpc({ type: 'Tgetattr', fid: c.rootFid, requestMask: GETATTR.BASIC }); return 1; };
    const readSmall = (f: Fsys): Op => async () => {
      const b = await f.readFile('/small');
      if (b.length !== SMALL) throw new Error(`short small-file read: ${b.length}`);
      return 1;
    };
    const readLarge = (c: Client): Op => {
      const f = new Fsys(c, { pipeline: false }); // open = walk then open; the same requests to both
      return async () => {
        const fid = await f.open('/large', OREAD);
        let b: Buffer;
        try { b = await fid.readAll(0); } finally { await fid.clunk(); }
        if (b.length !== LARGE) throw new Error(`short large-file read: ${b.length}`);
        return b.length / 1e6;
      };
    };

    // The same sequential read without assembling the file: WINDOW Treads in flight, data
    // dropped. Shows the servers and the transport without the client's copy into one buffer.
    const streamLarge = (c: Client): Op => {
      const f = new Fsys(c, { pipeline: false });
      return async () => {
        const fid = await f.open('/large', OREAD);
        const n = fid.iounit, q: Promise<Uint8Array>[] = [];
        let next = 0, total = 0, eof = false;
        const issue = (): void => { const p = fid.pread(n, next); p.catch(() => undefined); q.push(p); next += n; };
        try {
          for (let i = 0; i < WINDOW; i++) issue();
          while (q.length) {
            const d = await q.shift()!;
            if (eof) continue;
            total += d.length;
            if (d.length < n) eof = true; else issue();
          }
        } finally {
          await Promise.allSettled(q); // diod must not see the Tclunk overtake a Tread
          await fid.clunk();
        }
        if (total !== LARGE) throw new Error(`short streamed read: ${total}`);
        return total / 1e6;
      };
    };

    process.stdout.write('measuring\n');
    const rows: Row[] = [];
    const rt = await compare('1. round trip', [
      { name: 'ours', op: getattr(oc), check: alive(ours.child) },
      { name: 'diod', op: getattr(dc), check: alive(diod.child) },
      { name: 'floor', op: fl.rtt, check: alive(floor.child) },
    ], cfg);
    rows.push({ line: '1. round trip, Tgetattr root fid', unit: 'ops/s', ours: rt.get('ours')!, peer: rt.get('diod')!, peerName: 'diod', target: 1.0 });
    rows.push({ line: '1f. round trip vs raw TCP floor', unit: 'ops/s', ours: rt.get('ours')!, peer: rt.get('floor')!, peerName: 'floor', target: 0.8 });

    const sf = await compare('2. small file', [
      { name: 'ours', op: readSmall(ofs), check: alive(ours.child) },
      { name: 'diod', op: readSmall(dfs), check: alive(diod.child) },
      { name: 'ours-step', op: readSmall(ofsStep), check: alive(ours.child) },
    ], cfg);
    rows.push({ line: '2. small file walk/open/read/clunk', unit: 'cycles/s', ours: sf.get('ours')!, peer: sf.get('diod')!, peerName: 'diod', target: 1.5 });
    rows.push({ line: '2s. same, ours not pipelined', unit: 'cycles/s', ours: sf.get('ours-step')!, peer: sf.get('diod')!, peerName: 'diod' });

    const msizes = (o: Client, d: Client): string => `msize ours ${o.msize}, diod ${d.msize}${d.msize < o.msize ? ' (diod\'s maximum: it answers no more to any Tversion)' : ''}`;
    for (const [id, label, o, d] of [['3a', '64 KiB', oc64, dc64], ['3b', '1 MiB', oc, dc]] as const) {
      const r = await compare(`${id}. 64 MiB read, msize ${label}`, [
        { name: 'ours', op: readLarge(o), check: alive(ours.child) },
        { name: 'diod', op: readLarge(d), check: alive(diod.child) },
        { name: 'ours-stream', op: streamLarge(o), check: alive(ours.child) },
        { name: 'diod-stream', op: streamLarge(d), check: alive(diod.child) },
      ], cfg);
      rows.push({ line: `${id}. 64 MiB read (readAll), msize ${label}`, unit: 'MB/s', ours: r.get('ours')!, peer: r.get('diod')!, peerName: 'diod', target: 1.0, note: msizes(o, d) });
      rows.push({ line: `${id}s. same, streamed (data dropped)`, unit: 'MB/s', ours: r.get('ours-stream')!, peer: r.get('diod-stream')!, peerName: 'diod' });
    }

    process.stdout.write('\n' + table(rows, { ratioDigits: 2 }));
    process.stdout.write([
      `(MB = 10^6 bytes; medians of ${cfg.reps} runs; PASS/MISS is a report, not a test)`,
      '  1   Tgetattr on the root fid, one request at a time; 1f the same against the raw TCP floor (19-byte frame out, 160 back);',
      '      on a busy or virtual machine wake-up latency dominates one-at-a-time round trips, and the floor moves most',
      '  2   Fsys.readFile of a 100-byte file: ours pipelined (walk, open, read, clunk in one round trip), diod step by step',
      '      (the client\'s 9P2000.L default); 2s is ours step by step too, the like-for-like request sequence',
      `  3   Fsys.open + CFid.readAll (${WINDOW} Treads in flight, assembled into one Buffer) + clunk; 3as/3bs the same`,
      '      Treads with the data dropped, i.e. without the client\'s assembly copy',
    ].join('\n') + '\n');
    process.stdout.write('all runs:\n' + runsText(rows));
    const missed = rows.filter((r) => verdict(r) === 'MISS').length;
    const targets = rows.filter((r) => r.target !== undefined).length;
    process.stdout.write(`targets: ${targets - missed} PASS, ${missed} MISS\n`);
    process.stdout.write(`load      ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} at the end (other work on this machine moves these figures)\n`);

    for (const c of clients) c.close();
    clients.length = 0;
    for (const c of [ours.child, diod.child, floor.child]) if (c.exit) throw crashed(c);
  } finally {
    for (const c of clients) c.close();
    for (const f of closers) f();
    await Promise.all([...children].map(stopChild));
    killAllSync();
    process.off('exit', killAllSync);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export const bench9p: Bench = {
  name: '9p',
  summary: 'our 9P client against our ramfs server and Debian diod (9P2000.L, TCP loopback), and a raw TCP floor',
  run,
};
