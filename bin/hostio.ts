// Run a program of the node with the host's bytes as its stdin, stdout and stderr: three
// kernel pipes, pumped by init. `cohesix rc` and the tests use it.

import type { BootResult } from '../kernel/boot.ts';
import type { Program } from '../kernel/kernel.ts';

export interface HostIo {
  /** Bytes for fd 0 (a string, a buffer, an async iterable such as process.stdin), or nothing. */
  stdin?: string | Uint8Array | AsyncIterable<Uint8Array> | null;
  stdout: (b: Uint8Array) => void;
  stderr: (b: Uint8Array) => void;
  cwd?: string;
  /** Extra environment (the child gets a copy of init's group with these added). */
  env?: Record<string, string>;
  /** Console id for /dev/cons (default: init's). */
  consId?: string;
}

/** Run prog as a child of init with argv; resolves to its exit status ('' is success). */
export async function runHosted(node: BootResult, prog: Program, argv: string[], io: HostIo): Promise<string> {
  const sys = node.sys;
  const [in0, in1] = await sys.pipe();
  const [o0, o1] = await sys.pipe();
  const [e0, e1] = await sys.pipe();
  let pid: number;
  try {
    pid = await sys.fork(prog, argv, {
      fds: [in0, o1, e1], rfork: 'e', name: argv[0] ?? 'rc',
      ...(io.env ? { env: io.env } : {}), ...(io.cwd ? { cwd: io.cwd } : {}), ...(io.consId ? { consId: io.consId } : {}),
    });
  } finally {
    for (const fd of [in0, o1, e1]) await sys.close(fd);
  }
  const drain = async (fd: number, out: (b: Uint8Array) => void): Promise<void> => {
    try {
      for (;;) { const b = await sys.read(fd, 65536); if (b.length === 0) break; out(b); }
    } catch { /* the writer is gone */ } finally { await sys.close(fd).catch(() => {}); }
  };
  const feed = async (): Promise<void> => {
    try {
      const src = io.stdin;
      if (typeof src === 'string' || src instanceof Uint8Array) { if (src.length) await sys.write(in1, src); }
      else if (src) for await (const chunk of src) await sys.write(in1, chunk);
    } catch { /* the reader is gone */ } finally { await sys.close(in1).catch(() => {}); }
  };
  const pumps = [drain(o0, io.stdout), drain(e0, io.stderr)];
  void feed();
  // A program blocked on something with no host handle behind it (a read of /sim/events,
  // say) leaves Node nothing to wait on, and Node would exit at once (code 13): the program
  // is running, so the host process stays, as a process on a real system would.
  const alive = setInterval(() => {}, 1 << 30);
  try {
    const status = await sys.waitpid(pid);
    await Promise.all(pumps);
    return status;
  } finally { clearInterval(alive); }
}

export interface Collected { out: string; err: string; status: string }

/** Run prog like runHosted and collect what it wrote (tests, benchmarks, scripts). */
export async function runCollected(node: BootResult, prog: Program, argv: string[], io: Omit<HostIo, 'stdout' | 'stderr'> & { encoding?: BufferEncoding } = {}): Promise<Collected> {
  const out: Uint8Array[] = [], err: Uint8Array[] = [];
  const { encoding, ...rest } = io;
  const status = await runHosted(node, prog, argv, { ...rest, stdout: (b) => { out.push(b.slice()); }, stderr: (b) => { err.push(b.slice()); } });
  return { out: Buffer.concat(out).toString(encoding ?? 'utf8'), err: Buffer.concat(err).toString('utf8'), status };
}
