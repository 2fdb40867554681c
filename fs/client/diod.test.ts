// The client against Debian's diod, a 9P2000.L server nobody here wrote. Whatever the client
// does is checked on the host file system, and whatever the host does is checked through
// the client, so neither side can lie. diod runs on 127.0.0.1 with a fresh export directory.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DMDIR, OREAD, ORDWR, OWRITE, QTDIR } from '../9p/constants.ts';
import { Eexist, Eisdir, Enoent, Enotempty } from '../9p/errors.ts';
import { dial } from '../transport/net.ts';
import { Client } from './client.ts';
import { Fsys } from './fsys.ts';
import { WalkError } from './walk.ts';

const DIOD = '/usr/sbin/diod';
const have = fs.existsSync(DIOD);
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => res(p)); });
  });
}

interface Diod { proc: ChildProcess; addr: string; dir: string; log: string[] }

async function startDiod(): Promise<Diod> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cohesix-diod-'));
  const port = await freePort();
  const log: string[] = [];
  // -f foreground, -n no auth, -L stderr logging; the export path is also the aname.
  // cwd is the export dir, so a core dump, if any, is removed with it.
  const args = ['-f', '-n', '-L', 'stderr', '-l', `127.0.0.1:${port}`, '-e', dir];
  const proc = spawn(DIOD, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  proc.stdout!.on('data', (b: Buffer) => log.push(b.toString()));
  proc.stderr!.on('data', (b: Buffer) => log.push(b.toString()));
  const addr = `tcp!127.0.0.1!${port}`;
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`diod exited ${proc.exitCode}: ${log.join('')}`);
    try { (await dial(addr)).close(); break; } catch (e) {
      if (i > 100) { proc.kill('SIGKILL'); throw new Error(`diod never listened on ${addr}: ${(e as Error).message} ${log.join('')}`); }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { proc, addr, dir, log };
}

async function stopDiod(d: Diod): Promise<void> {
  if (d.proc.exitCode === null) {
    const gone = new Promise((r) => d.proc.once('exit', r));
    d.proc.kill('SIGTERM');
    const t = setTimeout(() => d.proc.kill('SIGKILL'), 3000);
    await gone;
    clearTimeout(t);
  }
  fs.rmSync(d.dir, { recursive: true, force: true });
}

const me = os.userInfo();

async function connect(d: Diod, opts: { version?: '9P2000' | '9P2000.L' } = {}): Promise<Client> {
  return Client.connect(await dial(d.addr), { uname: me.username, nuname: me.uid, aname: d.dir, ...opts });
}

describe.skipIf(!have)(have ? 'diod (9P2000.L peer server)' : `diod tests skipped: ${DIOD} is not installed (apt-get install diod)`, () => {
  let d: Diod;
  beforeAll(async () => { d = await startDiod(); });
  afterAll(async () => { if (d) await stopDiod(d); });

  it('negotiates 9P2000.L (after diod refuses 9P2000), and does not pipeline with it', async () => {
    const c = await connect(d);
    expect(c.dialect).toBe('9P2000.L');
    expect(new Fsys(c).pipelining).toBe(false);
    expect(c.msize).toBeGreaterThan(4096);
    expect(c.msize).toBeLessThanOrEqual(1 << 20 | 24);
    expect(c.rootQid.type & QTDIR).toBeTruthy();
    expect(c.rootQid.path).toBe(fs.statSync(d.dir).ino);
    c.close();
    await expect(connect(d, { version: '9P2000' })).rejects.toThrow(/^server does not speak 9P2000: /);
    const l = await connect(d, { version: '9P2000.L' });
    expect(l.dialect).toBe('9P2000.L');
    l.close();
  });

  it('flushes reads in flight; each ends as a reply or "interrupted", and the session goes on', async () => {
    const c = await connect(d);
    const f = new Fsys(c, { pipeline: false });
    fs.writeFileSync(path.join(d.dir, 'flushme'), randomBytes(100_000));
    const fid = await f.open('/flushme', OREAD);
    const calls = Array.from({ length: 30 }, (_, i) => {
      const ac = new AbortController();
      const p = c.rpc({ type: 'Tread', fid: fid.fid, offset: i * 1000, count: 1000 }, { signal: ac.signal });
      ac.abort();
      return p;
    });
    const res = await Promise.allSettled(calls);
    for (const r of res) {
      if (r.status === 'rejected') expect((r.reason as Error).message).toBe('interrupted');
      else expect(r.value.data.length).toBe(1000);
    }
    // A reply that beat its Tflush settles the call at once; the Tflush itself is answered later.
    for (let i = 0; c.inflight > 0 && i < 200; i++) await new Promise((r) => setTimeout(r, 10));
    expect(c.inflight).toBe(0);
    expect((await fid.pread(10, 0)).length).toBe(10);
    await fid.clunk();
    expect(c.fidsInUse).toBe(1);
    c.close();
  });

  // Pipelining stays off here (the default for 9P2000.L): diod runs requests on one fid
  // concurrently and crashes when a Tclunk overtakes a Tread (see FsysOptions.pipeline).
  describe('file API', () => {
    let c: Client;
    let host: string;
    const top = 'files';
    const F = (): Fsys => new Fsys(c);
    beforeAll(async () => {
      c = await connect(d);
      host = path.join(d.dir, top);
      fs.mkdirSync(host);
    });
    afterAll(() => {
      expect(c.fidsInUse).toBe(1); // only the root: nothing leaked
      c.close();
    });
    const at = (p: string): string => `/${top}/${p}`;
    const onHost = (p: string): string => path.join(host, p);

    it('writeFile lands on the host; readFile sees what the host wrote', async () => {
      await F().writeFile(at('client.txt'), 'written by the client\n');
      expect(fs.readFileSync(onHost('client.txt'), 'utf8')).toBe('written by the client\n');
      await F().writeFile(at('client.txt'), 'short');
      expect(fs.readFileSync(onHost('client.txt'), 'utf8')).toBe('short'); // truncated, not overlaid
      fs.writeFileSync(onHost('host.txt'), 'written by the host');
      expect((await F().readFile(at('host.txt'))).toString()).toBe('written by the host');
      fs.writeFileSync(onHost('empty'), '');
      expect((await F().readFile(at('empty'))).length).toBe(0);
    });

    it('create, write at offsets, read back', async () => {
      const f = await F().create(at('holes'), 0o640, ORDWR);
      expect(f.isOpen).toBe(true);
      expect(await f.pwrite(Buffer.from('head'), 0)).toBe(4);
      expect(await f.pwrite(Buffer.from('tail'), 20)).toBe(4);
      expect(Buffer.from(await f.pread(100, 18)).toString('latin1')).toBe('\0\0tail');
      await f.clunk();
      const b = fs.readFileSync(onHost('holes'));
      expect(b.length).toBe(24);
      expect(b.subarray(0, 4).toString()).toBe('head');
      expect(b.subarray(4, 20).every((x) => x === 0)).toBe(true);
      const st = fs.statSync(onHost('holes'));
      expect(st.mode & 0o777).toBe(0o640);
      expect(st.uid).toBe(me.uid);
      await expect(F().create(at('holes'), 0o640, OWRITE)).rejects.toThrow(Eexist);
    });

    it('mkdir both ways; create of a directory returns it open', async () => {
      await F().mkdir(at('made'), 0o750);
      const st = fs.statSync(onHost('made'));
      expect(st.isDirectory()).toBe(true);
      expect(st.mode & 0o777).toBe(0o750 & ~process.umask());
      fs.mkdirSync(onHost('hostdir'));
      const dst = await F().stat(at('hostdir'));
      expect(dst.mode & DMDIR).toBeTruthy();
      expect(dst.qid.type & QTDIR).toBeTruthy();
      expect(dst.name).toBe('hostdir');
      const dir = await F().create(at('made/sub'), DMDIR | 0o755, OREAD);
      expect(dir.qid.type & QTDIR).toBeTruthy();
      expect(await dir.dirreadall()).toEqual([]);
      await dir.clunk();
      expect(fs.statSync(onHost('made/sub')).isDirectory()).toBe(true);
    });

    it('stat agrees with the host', async () => {
      fs.writeFileSync(onHost('st'), 'x'.repeat(1234));
      fs.chmodSync(onHost('st'), 0o604);
      const when = new Date('2020-02-02T02:02:02Z');
      fs.utimesSync(onHost('st'), when, when);
      const s = await F().stat(at('st'));
      const h = fs.statSync(onHost('st'));
      expect(s).toMatchObject({ name: 'st', length: 1234, mode: 0o604, mtime: when.getTime() / 1000, uid: String(h.uid), gid: String(h.gid) });
      expect(s.qid.path).toBe(h.ino);
      const root = await F().stat('/');
      expect(root.name).toBe('/');
      expect(root.mode & DMDIR).toBeTruthy();
    });

    it('wstat changes mode, length, mtime and name', async () => {
      fs.writeFileSync(onHost('w1'), 'abcdefghij');
      await F().wstat(at('w1'), { mode: 0o600, length: 3, mtime: 1_000_000_000 });
      const h = fs.statSync(onHost('w1'));
      expect(h.mode & 0o777).toBe(0o600);
      expect(h.size).toBe(3);
      expect(Math.floor(h.mtimeMs / 1000)).toBe(1_000_000_000);
      await F().wstat(at('w1'), { name: 'w2' });
      expect(fs.existsSync(onHost('w1'))).toBe(false);
      expect(fs.readFileSync(onHost('w2'), 'utf8')).toBe('abc');
    });

    it('remove files and empty directories; refuse a full one', async () => {
      fs.writeFileSync(onHost('gone'), 'x');
      fs.mkdirSync(onHost('full'));
      fs.writeFileSync(onHost('full/f'), 'x');
      fs.mkdirSync(onHost('emptydir'));
      await F().remove(at('gone'));
      await F().remove(at('emptydir'));
      expect(fs.existsSync(onHost('gone'))).toBe(false);
      expect(fs.existsSync(onHost('emptydir'))).toBe(false);
      await expect(F().remove(at('full'))).rejects.toThrow(Enotempty);
      expect(fs.existsSync(onHost('full/f'))).toBe(true);
    });

    it('readdir of many entries: names and qids, or full Dirs with stat', async () => {
      fs.mkdirSync(onHost('many'));
      const want = new Map<string, number>();
      for (let i = 0; i < 400; i++) {
        const name = `entry-${i}-${'n'.repeat(i % 40)}`;
        fs.writeFileSync(onHost(`many/${name}`), 'y'.repeat(i));
        want.set(name, i);
      }
      fs.mkdirSync(onHost('many/subdir'));
      const dirs = await F().readdir(at('many'));
      expect(dirs.length).toBe(401);
      expect(new Set(dirs.map((x) => x.name))).toEqual(new Set(fs.readdirSync(onHost('many'))));
      for (const x of dirs) {
        expect(x.qid.path).toBe(fs.statSync(onHost(`many/${x.name}`)).ino);
        expect(!!(x.mode & DMDIR)).toBe(x.name === 'subdir');
      }
      const full = await F().readdir(at('many'), { stat: true });
      for (const x of full) {
        if (x.name === 'subdir') { expect(x.mode & DMDIR).toBeTruthy(); continue; }
        expect(x.length).toBe(want.get(x.name));
        expect(x.mode & 0o777).toBe(fs.statSync(onHost(`many/${x.name}`)).mode & 0o777);
      }
      expect((await F().ls(at('many/subdir'))).length).toBe(0);
      expect((await F().ls(at('many/entry-7-nnnnnnn'))).map((x) => x.length)).toEqual([7]);
    });

    it('8 MiB each way, sha256 checked on the other side', async () => {
      const big = randomBytes(8 << 20);
      fs.writeFileSync(onHost('big-host'), big);
      const got = await F().readFile(at('big-host'));
      expect(got.length).toBe(big.length);
      expect(sha(got)).toBe(sha(big));
      const up = randomBytes((8 << 20) + 12345);
      await F().writeFile(at('big-client'), up);
      expect(sha(fs.readFileSync(onHost('big-client')))).toBe(sha(up));
      // and through an open fid, from an offset
      const f = await F().open(at('big-client'), OREAD);
      const tail = await f.readAll(5 << 20);
      await f.clunk();
      expect(sha(tail)).toBe(sha(up.subarray(5 << 20)));
    });

    it('errors are Plan 9 strings', async () => {
      const e = await F().readFile(at('nope/deeper')).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(WalkError);
      expect((e as WalkError).message).toBe(Enoent);
      expect((e as WalkError).path).toBe(at('nope/deeper'));
      await expect(F().stat(at('nope'))).rejects.toThrow(Enoent);
      fs.mkdirSync(onHost('adir'));
      await expect(F().open(at('adir'), OWRITE)).rejects.toThrow(/^(is a directory|operation not permitted|permission denied)$/);
      await expect(F().writeFile(at('adir'), 'x')).rejects.toThrow(/^(is a directory|operation not permitted|permission denied)$/);
      expect(Eisdir).toBe('is a directory');
    });
  });
});
