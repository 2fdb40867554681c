// One run of an image under QEMU: a private unix socket that QEMU's serial connects to, the
// boot lines the image prints before it starts 9P, and the byte stream after them.
//
// The line protocol before 9P is the only thing asked of an image besides 9P2000 itself: it
// may print text lines, and a line containing READY_MARK says the next byte is 9P.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamLink } from '../../fs/transport/stream.ts';
import type { LinkHandlers } from '../../fs/transport/link.ts';
import { onPath, qemuArgs, qemuBinary } from './image.ts';
import type { Arch } from './image.ts';

export const READY_MARK = 'serving 9P2000';

export interface MachineOptions {
  arch: Arch;
  kernel: string;
  /** Raw disk image for virtio-blk (absent: no disk). */
  disk?: string;
  /** Each boot line, as it comes. */
  onLine?: (line: string) => void;
  /** The line that ends the preamble (default: a line containing READY_MARK). */
  ready?: (line: string) => boolean;
  /** Give up when the image has not said it is ready by then (default 10 s). */
  timeoutMs?: number;
}

export interface Exit { code: number | null; signal: NodeJS.Signals | null }

export interface Machine {
  /** The serial line, positioned after the ready line and paused: SerialLink resumes it. */
  serial: Socket;
  pid: number;
  /** Settles when QEMU has exited. */
  exited: Promise<Exit>;
  /** Milliseconds from spawn to the ready line. */
  bootMs: number;
  /** Every boot line (the ready line included). */
  lines: string[];
  kill(signal?: NodeJS.Signals): void;
}

/** Spawn QEMU and wait for the ready line; rejects with QEMU's own words when it fails. */
export async function startMachine(o: MachineOptions): Promise<Machine> {
  const dir = mkdtempSync(join(tmpdir(), 'cohesix-hw-'));
  const path = join(dir, 'serial');
  const server = createServer();
  await new Promise<void>((res, rej) => { server.once('error', rej); server.listen(path, () => res()); });
  const cleanup = (): void => { server.close(); rmSync(dir, { recursive: true, force: true }); };

  const t0 = performance.now();
  const args = qemuArgs(o.arch, { kernel: o.kernel, chardev: `socket,id=serial,path=${path}`, ...(o.disk ? { disk: o.disk } : {}) });
  let proc: ChildProcess;
  // setpriv (util-linux) makes the kernel kill QEMU when this process dies, however it dies:
  // an image must not outlive its node and spin a host core.
  const [cmd, argv] = onPath('setpriv') ? ['setpriv', ['--pdeathsig', 'SIGKILL', '--', qemuBinary(o.arch), ...args]] : [qemuBinary(o.arch), args];
  try { proc = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] }); } catch (e) { cleanup(); throw e; }
  let stderr = '';
  proc.stderr!.setEncoding('utf8').on('data', (s: string) => { if (stderr.length < 4096) stderr += s; });
  const exited = new Promise<Exit>((res) => {
    proc.once('exit', (code, signal) => res({ code, signal }));
    proc.once('error', (e) => { stderr += e.message; res({ code: null, signal: null }); });
  });
  const exitText = (x: Exit): string => `${qemuBinary(o.arch)} ${x.signal ? `killed by ${x.signal}` : `exited ${x.code}`}${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join('; ')}` : ''}`;

  const ready = o.ready ?? ((l: string) => l.includes(READY_MARK));
  const lines: string[] = [];
  try {
    const serial = await new Promise<Socket>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`hw ${o.arch}: no ready line from the image within ${o.timeoutMs ?? 10000} ms${lines.length ? ` (last: ${lines[lines.length - 1]})` : ''}`)), o.timeoutMs ?? 10000);
      void exited.then((x) => { clearTimeout(timer); reject(new Error(`hw ${o.arch}: ${exitText(x)} before the image was ready`)); });
      server.once('connection', (sock) => {
        let pending = '';
        const onData = (b: Buffer): void => {
          // Latin-1 keeps byte offsets: the bytes after the ready line go back to the stream.
          pending += b.toString('latin1');
          for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
            const line = pending.slice(0, nl).replace(/\r$/, '');
            pending = pending.slice(nl + 1);
            lines.push(line);
            o.onLine?.(line);
            if (ready(line)) {
              sock.off('data', onData);
              sock.pause();
              if (pending.length) sock.unshift(Buffer.from(pending, 'latin1'));
              clearTimeout(timer);
              resolve(sock);
              return;
            }
          }
        };
        sock.on('data', onData);
      });
    });
    const bootMs = performance.now() - t0;
    // Only QEMU ever connects; nobody else may.
    server.close();
    rmSync(dir, { recursive: true, force: true });
    return { serial, pid: proc.pid!, exited, bootMs, lines, kill: (sig = 'SIGKILL') => { proc.kill(sig); } };
  } catch (e) {
    proc.kill('SIGKILL');
    await exited;
    cleanup();
    throw e;
  }
}

/** 9P over a machine's serial line: the paused stream flows once the link has a reader. */
export class SerialLink extends StreamLink {
  readonly #serial: Socket;

  constructor(m: Machine, arch: Arch) {
    super(m.serial, `serial!${arch}!${m.pid}`);
    this.#serial = m.serial;
  }

  override start(h: LinkHandlers): void {
    super.start(h);
    this.#serial.resume();
  }
}
