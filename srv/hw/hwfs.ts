// /dev/hw: the image's 9P tree, proxied through the bridge's current session, plus `bridge`
// (the bridge's own status). Nodes are paths, walked afresh in the current session, so a
// restarted image serves the same names at once; a file opened before a restart fails with
// the reason and must be opened again. While the image is down every request fails with the
// bridge's words ('hw aarch64: image restarting (qemu killed by SIGKILL)'), except the ctl
// file of a powered-off image, which takes `boot`.

import { DMDIR, QTDIR } from '../../fs/9p/constants.ts';
import { Enoent, Eperm } from '../../fs/9p/errors.ts';
import type { Dir, Qid } from '../../fs/9p/fcall.ts';
import type { CFid, Fsys } from '../../fs/client/index.ts';
import type { Entry, FileServer, Opened } from '../../fs/server/fileserver.ts';
import type { HwBridge } from './bridge.ts';

type Local = 'bridge' | 'offctl';

export interface HwNode {
  path: readonly string[];
  qid: Qid;
  /** Files the proxy serves itself. */
  local?: Local;
  /** An open file in the image, and the boot it belongs to. */
  fid?: CFid;
  generation?: number;
}

const ROOT_QID: Qid = { type: QTDIR, version: 0, path: 0 };
/** Qid paths for local files, far from the image's small ones. */
const LOCAL_QID: Record<Local, Qid> = { bridge: { type: 0, version: 0, path: 0xb000 }, offctl: { type: 0, version: 0, path: 0xb001 } };

function localDir(name: string, qid: Qid, mode: number, length = 0): Dir {
  return { type: 0, dev: 0, qid, mode, atime: 0, mtime: 0, length, name, uid: 'hw', gid: 'hw', muid: 'hw' };
}

export class HwFs implements FileServer<HwNode> {
  readonly bridge: HwBridge;

  constructor(bridge: HwBridge) { this.bridge = bridge; }

  /** Run one image operation in the current session; an unanswered one marks the image hung. */
  async #call<T>(op: (fs: Fsys) => Promise<T>): Promise<T> {
    const b = this.bridge;
    const fs = b.fsys();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_res, rej) => {
      timer = setTimeout(() => { b.hung(); rej(new Error(`hw ${b.arch}: image not answering (${b.rpcTimeoutMs} ms); restarting it`)); }, b.rpcTimeoutMs);
    });
    try {
      return await Promise.race([op(fs), late]);
    } catch (e) {
      // The session ended under the request: say why the image went away.
      if (fs.client.isClosed) throw new Error(b.downText());
      throw e;
    } finally { clearTimeout(timer); }
  }

  #pathText(n: HwNode): string { return '/' + n.path.join('/'); }

  attach(): Entry<HwNode> { return { qid: ROOT_QID, node: { path: [], qid: ROOT_QID } }; }

  async walk(node: HwNode, name: string): Promise<Entry<HwNode>> {
    if (node.local) throw new Error(Enoent);
    const path = name === '..' ? node.path.slice(0, -1) : [...node.path, name];
    if (path.length === 0) return this.attach();
    if (path.length === 1 && name === 'bridge') return { qid: LOCAL_QID.bridge, node: { path, qid: LOCAL_QID.bridge, local: 'bridge' } };
    if (path.length === 1 && name === 'ctl' && this.bridge.state === 'off') return { qid: LOCAL_QID.offctl, node: { path, qid: LOCAL_QID.offctl, local: 'offctl' } };
    const d = await this.#call((fs) => fs.stat('/' + path.join('/')));
    return { qid: d.qid, node: { path, qid: d.qid } };
  }

  async open(node: HwNode, mode: number): Promise<Opened<HwNode> | void> {
    if (node.local) return;
    const b = this.bridge;
    const fid = await this.#call((fs) => fs.open(this.#pathText(node), mode));
    return { node: { ...node, fid, generation: b.generation }, qid: fid.qid, iounit: fid.iounit };
  }

  create(): never { throw new Error(Eperm); }
  remove(): never { throw new Error(Eperm); }
  wstat(): never { throw new Error(Eperm); }

  #live(node: HwNode): CFid {
    if (!node.fid) throw new Error(`hw ${this.bridge.arch}: ${this.#pathText(node)} is not open`);
    if (node.generation !== this.bridge.generation || this.bridge.state !== 'up') {
      throw new Error(this.bridge.state === 'up' ? `hw ${this.bridge.arch}: image restarted since ${this.#pathText(node)} was opened; open it again` : this.bridge.downText());
    }
    return node.fid;
  }

  async read(node: HwNode, offset: number, count: number): Promise<Uint8Array> {
    if (node.local === 'bridge') return Buffer.from(this.bridge.statusText()).subarray(offset, offset + count);
    if (node.local === 'offctl') return Buffer.from(`${this.bridge.arch} off\ncommands boot\n`).subarray(offset, offset + count);
    const fid = this.#live(node);
    return this.#call(() => fid.pread(count, offset));
  }

  async readdir(node: HwNode): Promise<Dir[]> {
    const b = this.bridge;
    const local = node.path.length === 0 ? [localDir('bridge', LOCAL_QID.bridge, 0o444)] : [];
    if (b.state !== 'up' && node.path.length === 0) return [...local, ...(b.state === 'off' ? [localDir('ctl', LOCAL_QID.offctl, 0o666)] : [])];
    const entries = await this.#call((fs) => fs.readdir(this.#pathText(node)));
    return [...entries, ...local];
  }

  async write(node: HwNode, offset: number, data: Uint8Array): Promise<number> {
    const cmd = Buffer.from(data).toString('utf8').trim();
    if (node.local === 'offctl') {
      if (cmd !== 'boot') throw new Error(`hw ${this.bridge.arch}: the image is off; the only ctl command is boot`);
      await this.bridge.powerOn();
      return data.length;
    }
    if (node.local) throw new Error(Eperm);
    const fid = this.#live(node);
    // The image acts on these after answering; its exit is then no crash.
    if (node.path.length === 1 && node.path[0] === 'ctl' && (cmd === 'poweroff' || cmd === 'reboot')) this.bridge.expect(cmd);
    return this.#call(() => fid.pwrite(data, offset));
  }

  async clunk(node: HwNode): Promise<void> {
    if (node.fid && node.generation === this.bridge.generation && this.bridge.state === 'up') await node.fid.clunk().catch(() => {});
  }

  async stat(node: HwNode): Promise<Dir> {
    if (node.local === 'bridge') return localDir('bridge', LOCAL_QID.bridge, 0o444, this.bridge.statusText().length);
    if (node.local === 'offctl') return localDir('ctl', LOCAL_QID.offctl, 0o666);
    if (node.path.length === 0 && this.bridge.state !== 'up') return localDir('/', ROOT_QID, (DMDIR | 0o555) >>> 0);
    const d = await this.#call((fs) => fs.stat(this.#pathText(node)));
    return node.path.length === 0 ? { ...d, name: '/' } : d;
  }

  /** The node shuts down: the image goes with it. */
  async close(): Promise<void> { await this.bridge.close(); }
}
