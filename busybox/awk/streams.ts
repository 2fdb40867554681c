// awk's other files and commands: print > "file", >> "file", | "command"; getline < "file"
// and "command" | getline; close(), fflush() and system(). A name stays open until close()
// and is shared by all its uses. Commands run as `rc -c command` with awk's standard error
// (and, for print |, standard output); awk's own output is flushed before a command starts,
// so what each writes comes out in order. "-" and "/dev/stdout" are standard output,
// "/dev/stderr" standard error.

import { OWRITE } from '../../fs/9p/constants.ts';
import { Enoent } from '../../fs/9p/errors.ts';
import { errmsg, openOutput, Out } from '../io.ts';
import type { Cmd } from '../io.ts';
import { RecordReader } from './record.ts';

interface Output {
  out: Out;
  fd: number;
  pid: number | undefined;
}

interface Input {
  reader: RecordReader;
  pid: number | undefined;
}

/** A command's status as a number: '' is 0, a number is itself, anything else 1. */
function statusNumber(s: string): number {
  if (s === '') return 0;
  const m = /(\d+)$/.exec(s);
  return m ? Number(m[1]) : 1;
}

export class Streams {
  readonly #c: Cmd;
  readonly #outs = new Map<string, Output>();
  readonly #ins = new Map<string, Input>();

  constructor(c: Cmd) { this.#c = c; }

  async flushAll(): Promise<void> {
    await this.#c.out.flush();
    for (const o of this.#outs.values()) await o.out.flush();
  }

  async #spawn(cmd: string, fds: number[]): Promise<number> {
    await this.flushAll();
    return this.#c.sys.spawn('rc', ['rc', '-c', cmd], { fds });
  }

  /** Where print > name, >> name or | name writes. */
  async output(mode: '>' | '>>' | '|', name: string): Promise<Out> {
    if (mode !== '|' && (name === '-' || name === '/dev/stdout')) return this.#c.out;
    const have = this.#outs.get(name);
    if (have) return have.out;
    const sys = this.#c.sys;
    let o: Output;
    if (mode !== '|' && name === '/dev/stderr') o = { out: new Out(sys, 2), fd: 2, pid: undefined };
    else if (mode === '|') {
      const [r, w] = await sys.pipe();
      try { o = { out: new Out(sys, w), fd: w, pid: await this.#spawn(name, [r, 1, 2]) }; } finally { await sys.close(r); }
    } else {
      let fd: number;
      if (mode === '>') fd = await openOutput(sys, name);
      else {
        try {
          fd = await sys.open(name, OWRITE);
          await sys.seek(fd, 0, 2);
        } catch (e) {
          if (errmsg(e) !== Enoent) throw e;
          fd = await sys.create(name, OWRITE, 0o666);
        }
      }
      o = { out: new Out(sys, fd), fd, pid: undefined };
    }
    this.#outs.set(name, o);
    return o.out;
  }

  /** The reader of getline < name ('file') or name | getline ('cmd'); undefined if it cannot be opened. */
  async input(kind: 'file' | 'cmd', name: string): Promise<RecordReader | undefined> {
    const have = this.#ins.get(name);
    if (have) return have.reader;
    const sys = this.#c.sys;
    const flush = (): Promise<void> => this.flushAll();
    try {
      if (kind === 'file') {
        const fd = name === '-' || name === '/dev/stdin' ? 0 : await sys.open(name, 0);
        this.#ins.set(name, { reader: new RecordReader(sys, fd, flush), pid: undefined });
      } else {
        const [r, w] = await sys.pipe();
        let pid: number;
        try { pid = await this.#spawn(name, [0, w, 2]); } catch (e) { await sys.close(r); throw e; } finally { await sys.close(w); }
        this.#ins.set(name, { reader: new RecordReader(sys, r, flush), pid });
      }
    } catch { return undefined; }
    return this.#ins.get(name)!.reader;
  }

  /** close(name): 0, a command's exit status, or -1 when nothing of that name is open. */
  async close(name: string): Promise<number> {
    let result = -1;
    const o = this.#outs.get(name);
    if (o) {
      this.#outs.delete(name);
      await o.out.flush().catch(() => {});
      if (o.fd !== 2) await this.#c.sys.close(o.fd).catch(() => {});
      result = o.pid === undefined ? 0 : statusNumber(await this.#c.sys.waitpid(o.pid));
    }
    const i = this.#ins.get(name);
    if (i) {
      this.#ins.delete(name);
      if (i.reader.fd !== 0) await this.#c.sys.close(i.reader.fd).catch(() => {});
      result = i.pid === undefined ? 0 : statusNumber(await this.#c.sys.waitpid(i.pid));
    }
    return result;
  }

  async closeAll(): Promise<void> {
    for (const name of [...this.#outs.keys(), ...this.#ins.keys()]) await this.close(name);
  }

  /** fflush(name): flush one output; -1 if it is not open. */
  async flush(name: string): Promise<number> {
    if (name === '/dev/stdout' || name === '-') { await this.#c.out.flush(); return 0; }
    const o = this.#outs.get(name);
    if (!o) return -1;
    await o.out.flush();
    return 0;
  }

  /** system(cmd): run it with awk's standard files; its exit status. */
  async system(cmd: string): Promise<number> {
    let pid: number;
    try { pid = await this.#spawn(cmd, [0, 1, 2]); } catch (e) {
      await this.#c.warn(`system: ${errmsg(e)}`);
      return -1;
    }
    return statusNumber(await this.#c.sys.waitpid(pid));
  }
}
