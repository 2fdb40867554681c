// The bridge to one hardware image: boots it under QEMU, attaches 9P over its serial line,
// and keeps it running. QEMU dying on its own restarts the image with back-off (250 ms,
// doubling to 8 s, reset after 10 s up); `poweroff` written to its ctl leaves it off until
// `boot`; `reboot` restarts it at once. Requests in flight when it dies fail at once with
// the reason; a request unanswered for rpcTimeoutMs kills and restarts a hung image.

import { existsSync, mkdirSync, openSync, closeSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { Dialect } from '../../fs/9p/constants.ts';
import { Client, Fsys } from '../../fs/client/index.ts';
import { buildImage } from './image.ts';
import type { Arch } from './image.ts';
import { SerialLink, startMachine } from './qemu.ts';
import type { Exit, Machine } from './qemu.ts';

export interface HwOptions {
  arch: Arch;
  /** The node's state directory: the disk image lives here (hw-ARCH.img). */
  stateDir: string;
  /** Size of a new disk image (default 16 MiB). */
  diskMiB?: number;
  /** Kernel log lines (boot lines of the image, power events, restarts). */
  log?: (line: string) => void;
  /** Another image ELF to boot instead of images/build/ARCH/cohesix-hw.elf. */
  kernel?: string;
  /** A request unanswered this long (default 5000 ms) means the image hangs. */
  rpcTimeoutMs?: number;
  /** First restart delay (default 250 ms); it doubles up to 8 s. */
  backoffMs?: number;
}

export type HwState = 'booting' | 'up' | 'restarting' | 'off' | 'stopped';

/** The image's msize: what its 9P server accepts (8 KiB of data per read or write). */
export const IMAGE_MSIZE = 8192 + 24;
const MAX_BACKOFF_MS = 8000;
const STABLE_MS = 10000;

export class HwBridge {
  readonly arch: Arch;
  readonly disk: string;
  state: HwState = 'booting';
  /** Why the image is not up (the last exit), for errors and the bridge file. */
  reason = '';
  /** Boots so far, and how many of them were restarts after a crash. */
  boots = 0;
  crashes = 0;
  lastBootMs = 0;
  /** Bumped at each boot: fids of an older boot are dead. */
  generation = 0;
  #fs: Fsys | undefined;
  #machine: Machine | undefined;
  #expect: 'poweroff' | 'reboot' | undefined;
  #backoff: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #upSince = 0;
  readonly #opts: HwOptions;
  readonly #log: (line: string) => void;

  constructor(opts: HwOptions) {
    this.#opts = opts;
    this.arch = opts.arch;
    this.#log = (l) => opts.log?.(`hw ${opts.arch}: ${l}`);
    this.#backoff = opts.backoffMs ?? 250;
    this.disk = join(opts.stateDir, `hw-${opts.arch}.img`);
  }

  get rpcTimeoutMs(): number { return this.#opts.rpcTimeoutMs ?? 5000; }
  get pid(): number | undefined { return this.state === 'up' ? this.#machine?.pid : undefined; }

  /** The attached tree, or an error saying why there is none. */
  fsys(): Fsys {
    if (this.state === 'up' && this.#fs && !this.#fs.client.isClosed) return this.#fs;
    throw new Error(this.downText());
  }

  downText(): string {
    const why = this.reason ? ` (${this.reason})` : '';
    if (this.state === 'off') return `hw ${this.arch}: image powered off${why}; echo boot > ctl starts it`;
    if (this.state === 'stopped') return `hw ${this.arch}: bridge stopped`;
    return `hw ${this.arch}: image restarting${why}`;
  }

  /** Boot the image the first time; rejects when it cannot (missing tools, bad image). */
  async start(): Promise<void> {
    mkdirSync(this.#opts.stateDir, { recursive: true });
    if (!existsSync(this.disk)) {
      const fd = openSync(this.disk, 'w');
      try { ftruncateSync(fd, (this.#opts.diskMiB ?? 16) << 20); } finally { closeSync(fd); }
    }
    const kernel = this.#opts.kernel ?? buildImage(this.arch);
    await this.#boot(kernel);
  }

  /** The image's ctl is about to be told to power off or reboot: its exit is then expected. */
  expect(what: 'poweroff' | 'reboot'): void { this.#expect = what; }

  /** Start a powered-off image again. */
  async powerOn(): Promise<void> {
    if (this.state !== 'off') throw new Error(`hw ${this.arch}: image is ${this.state}, not off`);
    this.state = 'booting';
    try {
      await this.#boot(this.#opts.kernel ?? buildImage(this.arch));
    } catch (e) {
      // It stays off (no retries: nobody asked for those); the next `boot` tries again.
      if ((this.state as HwState) !== 'stopped') { this.state = 'off'; this.reason = (e as Error).message; }
      throw e;
    }
  }

  /** A request timed out: the image is hung; kill it (its exit restarts it). */
  hung(): void {
    if (this.state !== 'up') return;
    this.#log(`no answer in ${this.rpcTimeoutMs} ms; killing qemu ${this.#machine?.pid}`);
    this.reason = `no answer in ${this.rpcTimeoutMs} ms`;
    this.#machine?.kill();
  }

  async #boot(kernel: string): Promise<void> {
    this.boots++;
    let m: Machine;
    try {
      m = await startMachine({ arch: this.arch, kernel, disk: this.disk, onLine: (l) => this.#log(l) });
    } catch (e) {
      this.state = this.boots === 1 ? 'stopped' : 'restarting';
      this.reason = (e as Error).message;
      throw e;
    }
    let client: Client;
    try {
      client = await Client.connect(new SerialLink(m, this.arch), { version: Dialect.P2000, msize: IMAGE_MSIZE, uname: 'hw' });
    } catch (e) {
      m.kill();
      await m.exited;
      this.state = this.boots === 1 ? 'stopped' : 'restarting';
      this.reason = `attach failed: ${(e as Error).message}`;
      throw new Error(`hw ${this.arch}: ${this.reason}`);
    }
    if ((this.state as HwState) === 'stopped') { m.kill(); client.close(); return; }
    this.#machine = m;
    this.#fs = new Fsys(client);
    this.generation++;
    this.state = 'up';
    this.reason = '';
    this.#upSince = Date.now();
    this.lastBootMs = m.bootMs;
    this.#log(`up: qemu pid ${m.pid}, booted in ${m.bootMs.toFixed(0)} ms, 9P2000 msize ${client.msize}`);
    void client.closed.then(() => this.#lineClosed(m));
    void m.exited.then((x) => this.#exited(m, x));
  }

  /** The serial line closed (QEMU is exiting, or broke it): the image is down from now on. */
  #lineClosed(m: Machine): void {
    if (m !== this.#machine || this.state !== 'up') return;
    if (this.#expect === 'poweroff') { this.state = 'off'; this.reason = 'powering off'; }
    else { this.state = 'restarting'; this.reason ||= 'serial line closed'; }
    // QEMU alive without its serial line is of no use: make sure it goes.
    setTimeout(() => { if (m === this.#machine) m.kill(); }, 1000).unref();
  }

  #exited(m: Machine, x: Exit): void {
    if (m !== this.#machine) return;
    this.#fs?.client.close();
    this.#fs = undefined;
    this.#machine = undefined;
    const how = x.signal ? `qemu killed by ${x.signal}` : `qemu exited ${x.code}`;
    const expected = this.#expect;
    this.#expect = undefined;
    if (this.state === 'stopped') return;
    if (this.state === 'restarting' && this.reason === 'serial line closed') this.reason = '';
    if (expected === 'poweroff') {
      this.state = 'off';
      this.reason = how;
      this.#log(`powered off (${how})`);
      return;
    }
    if (Date.now() - this.#upSince > STABLE_MS) this.#backoff = this.#opts.backoffMs ?? 250;
    const delay = expected === 'reboot' ? 0 : this.#backoff;
    if (expected !== 'reboot') {
      this.crashes++;
      this.#backoff = Math.min(this.#backoff * 2, MAX_BACKOFF_MS);
    }
    this.state = 'restarting';
    this.reason = expected === 'reboot' ? 'rebooting' : this.reason || how;
    this.#log(expected === 'reboot' ? `rebooting (${how})` : `died (${how}); restarting in ${delay} ms`);
    this.#timer = setTimeout(() => { void this.#retry(); }, delay);
  }

  async #retry(): Promise<void> {
    this.#timer = undefined;
    if (this.state !== 'restarting') return;
    try {
      await this.#boot(this.#opts.kernel ?? buildImage(this.arch));
    } catch (e) {
      if ((this.state as HwState) === 'stopped') return;
      this.crashes++;
      this.reason = (e as Error).message;
      const delay = this.#backoff;
      this.#backoff = Math.min(this.#backoff * 2, MAX_BACKOFF_MS);
      this.#log(`boot failed: ${this.reason}; retrying in ${delay} ms`);
      this.#timer = setTimeout(() => { void this.#retry(); }, delay);
    }
  }

  /** One status text for the bridge file. */
  statusText(): string {
    return [
      `arch ${this.arch}`, `state ${this.state}`, ...(this.reason ? [`reason ${this.reason}`] : []),
      `pid ${this.pid ?? '-'}`, `boots ${this.boots}`, `crashes ${this.crashes}`,
      `bootms ${this.lastBootMs.toFixed(1)}`, `disk ${this.disk}`,
    ].join('\n') + '\n';
  }

  /** Stop for good: kill QEMU, stop restarting. */
  async close(): Promise<void> {
    this.state = 'stopped';
    if (this.#timer) clearTimeout(this.#timer);
    const m = this.#machine;
    this.#fs?.client.close();
    if (m) { m.kill(); await m.exited; }
  }
}
