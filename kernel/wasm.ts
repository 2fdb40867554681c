// WebAssembly programs (Coh_CC's output) as kernel Programs. WebAssembly calls its imports
// synchronously and Sys answers asynchronously, so the instance runs in a worker thread:
// each syscall writes its arguments into a SharedArrayBuffer, wakes this thread with a
// message and blocks in Atomics.wait; this thread does the call through the process's Sys
// and answers with Atomics.notify. A note (interrupt, kill) terminates the worker.
//
// The ABI is cohcc/syscalls.ts's (module "cohesix": open create read write pread pwrite
// seek close remove exits argc argv errstr); its glue is cohcc/abi.ts's, whose source text
// the worker embeds. Exit status: main's result or exits' argument, '' for 0; a trap is
// `trap: REASON`.

import { Worker } from 'node:worker_threads';
import { syscallGlue } from '../cohcc/abi.ts';
import type { Program } from './kernel.ts';
import type { Sys } from './sys.ts';

/** Does a file's head say WebAssembly ("\0asm")? */
export function isWasm(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0 && head[1] === 0x61 && head[2] === 0x73 && head[3] === 0x6d;
}

/** Syscall numbers between the worker and this thread. */
const OP = { open: 1, create: 2, read: 3, write: 4, pread: 5, pwrite: 6, seek: 7, close: 8, remove: 9, errstr: 10 } as const;
const DATA = 128; // bytes of the control area before the data area
const CHUNK = 65536;

/** The worker: a host whose calls go through the shared buffer, the glue, the instance. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { bytes, sab, args } = workerData;
const ctl = new Int32Array(sab, 0, 4);          // [0] state: 0 idle, 1 asked, 2 answered
const num = new BigInt64Array(sab, 16, 12);      // [0] op, [1..] arguments; [8] result, [9] data length
const data = new Uint8Array(sab, ${DATA});
const OP = ${JSON.stringify(OP)};
function ask(op, ints, out) {
  num[0] = BigInt(op);
  ints.forEach((x, k) => { num[1 + k] = BigInt(x); });
  let len = 0;
  if (out) { data.set(out); len = out.length; }
  num[9] = BigInt(len);
  Atomics.store(ctl, 0, 1);
  parentPort.postMessage({ t: 'call' });
  while (Atomics.load(ctl, 0) === 1) Atomics.wait(ctl, 0, 1);
  Atomics.store(ctl, 0, 0);
  return num[8];
}
const got = () => data.slice(0, Number(num[9]));
const path = (s) => new TextEncoder().encode(s);
const host = {
  args,
  open: (p, mode) => Number(ask(OP.open, [mode], path(p))),
  create: (p, mode, perm) => Number(ask(OP.create, [mode, perm], path(p))),
  read: (fd, n) => { const r = Number(ask(OP.read, [fd, Math.min(n, ${CHUNK})])); return r < 0 ? r : got(); },
  pread: (fd, n, off) => { const r = Number(ask(OP.pread, [fd, Math.min(n, ${CHUNK}), off])); return r < 0 ? r : got(); },
  write: (fd, b) => {
    let done = 0;
    do {
      const r = Number(ask(OP.write, [fd], b.subarray(done, done + ${CHUNK})));
      if (r < 0) return done || r;
      done += r;
      if (r === 0) break;
    } while (done < b.length);
    return done;
  },
  pwrite: (fd, b, off) => {
    let done = 0;
    do {
      const r = Number(ask(OP.pwrite, [fd, BigInt(off) + BigInt(done)], b.subarray(done, done + ${CHUNK})));
      if (r < 0) return done || r;
      done += r;
      if (r === 0) break;
    } while (done < b.length);
    return done;
  },
  seek: (fd, off, wh) => ask(OP.seek, [fd, off, wh]),
  close: (fd) => Number(ask(OP.close, [fd])),
  remove: (p) => Number(ask(OP.remove, [], path(p))),
  errstr: () => { ask(OP.errstr, []); return new TextDecoder().decode(got()); },
};
class Exit { constructor(code) { this.code = code; } }
const syscallGlue = ${syscallGlue.toString()};
let mem;
try {
  const glue = syscallGlue(() => new Uint8Array(mem.buffer), host, (code) => { throw new Exit(code); });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { cohesix: glue });
  mem = inst.exports.memory;
  if (typeof inst.exports.main !== 'function') throw new Error('no function main');
  const r = inst.exports.main();
  parentPort.postMessage({ t: 'exit', code: typeof r === 'number' ? r : 0 });
} catch (e) {
  if (e instanceof Exit) parentPort.postMessage({ t: 'exit', code: e.code });
  else parentPort.postMessage({ t: 'trap', msg: e && e.message ? e.message.replace(/^trap: /, '') : String(e) });
}
`;

/** Do one syscall the worker asked for, through Sys; -1 (and errstr) on failure. */
async function serve(sys: Sys, num: BigInt64Array, data: Uint8Array): Promise<void> {
  const a = (k: number): number => Number(num[k]);
  const arg = data.slice(0, a(9));
  const text = (): string => Buffer.from(arg).toString('utf8');
  const reply = (b: Uint8Array): bigint => { data.set(b.subarray(0, data.length)); num[9] = BigInt(b.length); return BigInt(b.length); };
  let r: bigint;
  try {
    switch (a(0)) {
      case OP.open: r = BigInt(await sys.open(text(), a(1))); break;
      case OP.create: r = BigInt(await sys.create(text(), a(1), a(2))); break;
      case OP.read: r = reply(await sys.read(a(1), a(2))); break;
      case OP.pread: r = reply(await sys.pread(a(1), a(2), a(3))); break;
      case OP.write: r = BigInt(await sys.write(a(1), arg)); break;
      case OP.pwrite: r = BigInt(await sys.pwrite(a(1), arg, a(2))); break;
      case OP.seek: r = BigInt(await sys.seek(a(1), a(2), a(3) as 0 | 1 | 2)); break;
      case OP.close: await sys.close(a(1)); r = 0n; break;
      case OP.remove: await sys.remove(text()); r = 0n; break;
      case OP.errstr: r = reply(Buffer.from(sys.errstr())); break;
      default: r = -1n;
    }
  } catch { r = -1n; }
  num[8] = r;
}

/** A Program running a WebAssembly module (validated now: a bad one fails to start); argv: instead of the process's. */
export function wasmProgram(bytes: Uint8Array, argv?: string[]): Program {
  if (!WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)) throw new Error('exec format error: not a valid WebAssembly module');
  return (sys) => new Promise<string>((resolve) => {
    const sab = new SharedArrayBuffer(DATA + CHUNK);
    const ctl = new Int32Array(sab, 0, 4);
    const num = new BigInt64Array(sab, 16, 12);
    const data = new Uint8Array(sab, DATA);
    const w = new Worker(WORKER, { eval: true, workerData: { bytes, sab, args: argv ?? sys.args } });
    let done = false;
    const finish = (status: string): void => {
      if (done) return;
      done = true;
      sys.signal.removeEventListener('abort', onNote);
      void w.terminate();
      resolve(status);
    };
    const onNote = (): void => finish(sys.proc.killed ? 'killed' : 'interrupted');
    if (sys.signal.aborted) { onNote(); return; }
    sys.signal.addEventListener('abort', onNote, { once: true });
    w.on('message', (m: { t: string; code?: number; msg?: string }) => {
      if (m.t === 'call') {
        void serve(sys, num, data).then(() => {
          if (done) return;
          Atomics.store(ctl, 0, 2);
          Atomics.notify(ctl, 0);
        });
      } else if (m.t === 'exit') finish(m.code ? String(m.code) : '');
      else finish(`trap: ${m.msg}`);
    });
    w.on('error', (e) => finish(`trap: ${e.message}`));
    w.on('exit', () => finish('trap: worker ended'));
  });
}
