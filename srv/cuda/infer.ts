// One open of /srv/cuda/models/<name>/infer: write an input tensor, then read the output.
//
//   idle ──write (whole input)──▶ job ──read waits for it──▶ reply ──reads drain it──▶ drained
//    ▲        │ (part of one)                                                         │
//    └─ input ┘                            (a write after the reply is drained starts over)
//
// Offsets are ignored: input and reply are streams, as on a pipe, so `{echo ... >[1=0]; cat}
// <>infer` works from rc. A line `lease ID` before an input binds this open to that lease.
// Errors in the input fail the write that completes it; errors of the run fail the read.
// Clunking (or the client going away) drops a queued job and discards a running one's result.

import * as ort from 'onnxruntime-node';
import type { Session } from '../../fs/server/tree.ts';
import { interruptible } from '../../fs/server/tree.ts';
import type { Lease, Leases } from './lease.ts';
import type { LoadedModel } from './runtime.ts';
import type { Job, Scheduler } from './scheduler.ts';
import { InputAssembler, encodeReply } from './tensor.ts';
import type { HostTensor, InferRequest, OutTensor } from './tensor.ts';

export interface InferDeps {
  scheduler: Scheduler;
  leases: Leases;
  now: () => number;
}

type Phase = 'idle' | 'input' | 'job' | 'reply' | 'drained';

const utf8 = new TextDecoder();
const LEASE_LINE = /^\s*lease\s+(\S+)\s*(?:\n|$)/;

function feedsOf(tensors: readonly HostTensor[]): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const t of tensors) feeds[t.name] = new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
  return feeds;
}

/** The Session for one open; client names the 9P attach it came through (its flow without a lease). */
export function inferSession(model: LoadedModel, client: string, deps: InferDeps): Session {
  let phase: Phase = 'idle';
  let input: InputAssembler | undefined;
  let job: Job<Record<string, ort.Tensor>> | undefined;
  let req: InferRequest | undefined;
  let reply: Uint8Array | undefined;
  let replyOff = 0;
  let lease: Lease | undefined;
  const reset = (): void => { phase = 'idle'; input = undefined; job = undefined; req = undefined; reply = undefined; replyOff = 0; };

  const submit = (r: InferRequest): void => {
    if (model.unloaded) throw new Error(`model ${model.name} unloaded`);
    lease?.check(deps.now());
    const feeds = feedsOf(r.tensors);
    req = r;
    job = deps.scheduler.submit(lease ? `lease:${lease.id}` : client, lease, () => model.run(feeds), model);
    phase = 'job';
  };

  return {
    write(_offset, data) {
      const head = (): string => utf8.decode(data.subarray(0, 64)); // enough for a lease line
      const blank = (): boolean => data.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09);
      if (phase === 'job' || (phase === 'reply' && replyOff < reply!.length)) {
        if (blank()) return data.length; // the newline after a JSON input, say
        throw new Error('infer: the last result has not been read (read it before writing the next input)');
      }
      if (phase === 'reply' || phase === 'drained') reset();
      let body = data;
      if (phase === 'idle') {
        const m = LEASE_LINE.exec(head());
        if (m) {
          const l = deps.leases.get(m[1]!);
          l.check(deps.now());
          lease = l;
          body = data.subarray(new TextEncoder().encode(m[0]).length);
        }
        input = new InputAssembler(model.inputs);
        phase = 'input';
      }
      try {
        const r = input!.push(body);
        if (r) submit(r);
        else if (input!.empty) phase = 'idle';
      } catch (e) {
        reset();
        throw e;
      }
      return data.length;
    },

    async read(_offset, count, r) {
      if (phase === 'idle') throw new Error('infer: read before write (write an input tensor first)');
      if (phase === 'input') {
        const why = input!.incomplete();
        reset();
        throw new Error(why);
      }
      if (phase === 'job') {
        const j = job!;
        await interruptible(j.settled, r);
        if (j.state !== 'done') {
          reset();
          throw new Error(j.error ?? `infer: job ${j.state}`);
        }
        const outs: OutTensor[] = model.outputs.map((s) => {
          const t = j.result![s.name]!;
          return { name: s.name, type: t.type, dims: t.dims, data: t.data };
        });
        try { reply = encodeReply(req!, outs); } catch (e) { reset(); throw e; }
        job = undefined;
        phase = 'reply';
      }
      if (phase === 'reply') {
        if (count === 0) return new Uint8Array(0); // not end of file: nothing was asked
        const out = reply!.subarray(replyOff, replyOff + count);
        replyOff += out.length;
        if (out.length === 0) phase = 'drained';
        return out;
      }
      return new Uint8Array(0);
    },

    clunk() {
      if (job) deps.scheduler.drop(job);
      reset();
    },
  };
}
