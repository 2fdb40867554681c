// cuda(4) through a 9P client over the in-process pair: ctl, samples, info, inference in both
// encodings against the pure-TypeScript models, and every refusal naming its problem.

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { ORDWR, OREAD } from '../../fs/9p/constants.ts';
import { DataType, encodeModel } from './onnx-writer.ts';
import { probeProviders } from './runtime.ts';
import { linearSample, mlpSample } from './samples.ts';
import { infer, parseRawF32, rawF32, readToEnd, rig } from './testing.ts';
import type { Rig } from './testing.ts';

const rigs: Rig[] = [];
afterEach(async () => { for (const r of rigs.splice(0)) await r.close(); });
async function up(opts: Parameters<typeof rig>[0] = {}): Promise<Rig> { const r = await rig(opts); rigs.push(r); return r; }

function close(got: ArrayLike<number>, want: ArrayLike<number>, eps = 1e-5): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(eps);
}

/** a [1 2] + b [1 2] -> sum, and a * b -> prod: two inputs, two outputs. */
function pairModel(): Uint8Array {
  const v = (name: string) => ({ name, type: DataType.FLOAT, shape: [1, 2] });
  return encodeModel({
    graph: {
      name: 'pair', inputs: [v('a'), v('b')], outputs: [v('sum'), v('prod')],
      nodes: [{ op: 'Add', inputs: ['a', 'b'], outputs: ['sum'] }, { op: 'Mul', inputs: ['a', 'b'], outputs: ['prod'] }],
    },
  });
}

let providers: string[] = [];
beforeAll(async () => { providers = await probeProviders(linearSample().bytes); });

const text = async (r: Rig, path: string): Promise<string> => (await (await r.mount()).readFile(path)).toString();

describe('cuda(4) ctl and files', () => {
  it('ctl shows the real backend and the providers that load; samples and status are there', async () => {
    const r = await up({ providers });
    const fs = await r.mount();
    expect(providers[0]).toBe('cpu');
    expect((await fs.readFile('/ctl')).toString()).toBe(
      `backend onnxruntime-node ${ort.env.versions.node}\nproviders ${providers.join(' ')}\nmodels\nqueue 0\nleases 0\n`);
    expect((await fs.readdir('/')).map((d) => d.name).sort()).toEqual(['ctl', 'models', 'samples', 'status']);
    expect((await fs.readdir('/samples')).map((d) => d.name).sort()).toEqual(['linear.onnx', 'mlp.onnx']);
    expect(Buffer.compare(await fs.readFile('/samples/mlp.onnx'), Buffer.from(mlpSample().bytes))).toBe(0);
    await expect(fs.writeFile('/samples/mlp.onnx', 'x')).rejects.toThrow('permission denied');
    expect((await fs.readFile('/status')).toString()).toBe('queued 0\nrunning 0\ndone 0\nfailed 0\np50_ms 0.000\np95_ms 0.000\ndropped 0\nslots 1\n');
  });

  it('loads the samples by path, shows info, lists models; unload removes them', async () => {
    const r = await up();
    const fs = await r.mount();
    await fs.writeFile('/ctl', 'load lin /srv/cuda/samples/linear.onnx\nload mlp /srv/cuda/samples/mlp.onnx\n');
    expect((await fs.readFile('/ctl')).toString()).toMatch(/\nmodels lin mlp\n/);
    expect((await fs.readdir('/models')).map((d) => d.name).sort()).toEqual(['lin', 'mlp']);
    expect((await fs.readFile('/models/lin/info')).toString()).toBe('input x float32 [1 4]\noutput y float32 [1 3]\npath /srv/cuda/samples/linear.onnx\n');
    expect((await fs.readFile('/models/mlp/info')).toString()).toBe('input x float32 [N 8]\noutput y float32 [N 4]\npath /srv/cuda/samples/mlp.onnx\n');
    await fs.writeFile('/ctl', 'unload lin\n');
    expect((await fs.readdir('/models')).map((d) => d.name)).toEqual(['mlp']);
    await expect(fs.readFile('/models/lin/info')).rejects.toThrow('file does not exist');
  });

  it('ctl refusals name the problem', async () => {
    const r = await up();
    const fs = await r.mount();
    r.files.set('/tmp/garbage.onnx', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    const ctl = (s: string) => fs.writeFile('/ctl', s + '\n');
    await expect(ctl('frobnicate now')).rejects.toThrow("bad control message: unknown command 'frobnicate' (want load NAME PATH");
    await expect(ctl('load lin')).rejects.toThrow('bad control message: want load NAME PATH');
    await expect(ctl('load lin /nowhere.onnx')).rejects.toThrow('load lin: /nowhere.onnx: file does not exist');
    await expect(ctl('load junk /tmp/garbage.onnx')).rejects.toThrow(/^load junk: \/tmp\/garbage.onnx: .*protobuf parsing failed/);
    await expect(ctl('load ../x /srv/cuda/samples/linear.onnx')).rejects.toThrow("load: bad model name '../x'");
    await ctl('load lin /srv/cuda/samples/linear.onnx');
    await expect(ctl('load lin /srv/cuda/samples/mlp.onnx')).rejects.toThrow('load: model lin already loaded (unload it first)');
    await expect(ctl('unload nosuch')).rejects.toThrow('unload: unknown model nosuch');
    await expect(ctl('revoke 9')).rejects.toThrow('unknown lease 9');
    await expect(ctl('revoke x')).rejects.toThrow("bad lease id 'x'");
    expect((await fs.readFile('/ctl')).toString()).toMatch(/\nmodels lin\n/);
  });
});

describe('cuda(4) inference', () => {
  it('linear in JSON and raw equals x·W + b', async () => {
    const r = await up();
    const fs = await r.mount();
    await fs.writeFile('/ctl', 'load lin /srv/cuda/samples/linear.onnx\n');
    const s = linearSample();
    const x = [1, 2, 3, 4];
    const j = JSON.parse((await infer(fs, 'lin', JSON.stringify({ shape: [1, 4], data: x }))).toString()) as { shape: number[]; data: number[] };
    expect(j.shape).toEqual([1, 3]);
    close(j.data, s.forward(Float32Array.from(x), 1));
    const raw = parseRawF32(await infer(fs, 'lin', rawF32([1, 4], [-1, 0.5, 2, 7])));
    expect(raw.dims).toEqual([1, 3]);
    close(raw.data, s.forward(Float32Array.from([-1, 0.5, 2, 7]), 1));
    // The JSON reply is the shortest float32 text, one line.
    const line = (await infer(fs, 'lin', '{"shape":[1,4],"data":[0,0,0,0]}\n')).toString();
    expect(line).toMatch(/^\{"shape":\[1,3\],"data":\[-?[\d.]+,-?[\d.]+,-?[\d.]+\]\}\n$/);
  });

  it('mlp with a dynamic batch in JSON and raw equals the TypeScript forward pass', async () => {
    const r = await up();
    const fs = await r.mount();
    await fs.writeFile('/ctl', 'load mlp /srv/cuda/samples/mlp.onnx\n');
    const s = mlpSample();
    const x3 = Array.from({ length: 24 }, (_, i) => (i - 12) / 5);
    const j = JSON.parse((await infer(fs, 'mlp', JSON.stringify({ shape: [3, 8], data: x3 }))).toString()) as { shape: number[]; data: number[] };
    expect(j.shape).toEqual([3, 4]);
    close(j.data, s.forward(Float32Array.from(x3), 3));
    // Nested data is flattened; a large batch spans several Twrites and Treads.
    const n = 600;
    const x = Float32Array.from({ length: n * 8 }, (_, i) => Math.cos(i));
    const raw = parseRawF32(await infer(fs, 'mlp', rawF32([n, 8], x)));
    expect(raw.dims).toEqual([n, 4]);
    close(raw.data, s.forward(x, n));
    const nested = JSON.parse((await infer(fs, 'mlp', JSON.stringify({ shape: [1, 8], data: [[1, 2, 3, 4, 5, 6, 7, 8]] }))).toString()) as { data: number[] };
    close(nested.data, s.forward(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 1));
  });

  it('several inputs and outputs: JSON keyed by name, raw with named headers', async () => {
    const r = await up();
    r.files.set('/lib/pair.onnx', pairModel());
    const fs = await r.mount();
    await fs.writeFile('/ctl', 'load pair /lib/pair.onnx\n');
    expect((await fs.readFile('/models/pair/info')).toString()).toBe('input a float32 [1 2]\ninput b float32 [1 2]\noutput sum float32 [1 2]\noutput prod float32 [1 2]\npath /lib/pair.onnx\n');
    const j = (await infer(fs, 'pair', '{"b":{"shape":[1,2],"data":[10,20]},"a":{"shape":[1,2],"data":[1.5,2]}}')).toString();
    expect(j).toBe('{"sum":{"shape":[1,2],"data":[11.5,22]},"prod":{"shape":[1,2],"data":[15,40]}}\n');
    const raw = await infer(fs, 'pair', Buffer.concat([rawF32([1, 2], [3, 4], 'b'), rawF32([1, 2], [1, 2], 'a')]));
    expect(Buffer.from(raw)).toEqual(Buffer.concat([rawF32([1, 2], [4, 6], 'sum'), rawF32([1, 2], [3, 8], 'prod')]));
    await expect(infer(fs, 'pair', '{"shape":[1,2],"data":[1,2]}')).rejects.toThrow('infer: the model has 2 inputs (a b): send an object keyed by input name');
    await expect(infer(fs, 'pair', '{"a":{"shape":[1,2],"data":[1,2]}}')).rejects.toThrow("infer: missing input 'b'");
    await expect(infer(fs, 'pair', '{"a":{"shape":[1,2],"data":[1,2]},"c":{}}')).rejects.toThrow("infer: unknown input 'c' (inputs: a b)");
  });

  it('one open serves input, output, input, output; the reply is a stream (offsets ignored)', async () => {
    const r = await up();
    const fs = await r.mount();
    await fs.writeFile('/ctl', 'load lin /srv/cuda/samples/linear.onnx\n');
    const f = await fs.open('/models/lin/infer', ORDWR);
    const one = async (x: number[]): Promise<string> => { await f.write(JSON.stringify({ shape: [1, 4], data: x })); return (await readToEnd(f)).toString(); };
    const a = await one([1, 2, 3, 4]);
    const b = await one([1, 2, 3, 4]);
    expect(b).toBe(a);
    // A JSON object in pieces, and the newline after it in a write of its own.
    await f.write('{"shape":[1,');
    await f.write('4],"data":[1,2,3,4]}');
    await f.write('\n');
    expect(Buffer.from(await f.pread(8192, 12345)).toString()).toBe(a);
    await f.clunk();
  });

  it('bad tensors: shape, type, malformed JSON, truncated raw, out of turn', async () => {
    const r = await up();
    const fs = await r.mount();
    await fs.writeFile('/ctl', 'load lin /srv/cuda/samples/linear.onnx\n');
    await expect(infer(fs, 'lin', '{"shape":[1,5],"data":[1,2,3,4,5]}')).rejects.toThrow('x: want float32 [1 4], got [1 5]');
    await expect(infer(fs, 'lin', '{"shape":[4],"data":[1,2,3,4]}')).rejects.toThrow('x: want float32 [1 4], got [4]');
    await expect(infer(fs, 'lin', '{"shape":[1,4],"type":"int32","data":[1,2,3,4]}')).rejects.toThrow('x: want float32 [1 4], got int32 [1 4]');
    await expect(infer(fs, 'lin', rawF32([1, 5], [1, 2, 3, 4, 5]))).rejects.toThrow('x: want float32 [1 4], got [1 5]');
    await expect(infer(fs, 'lin', Buffer.concat([Buffer.from('i32 1 4\n'), Buffer.alloc(16)]))).rejects.toThrow('x: want float32 [1 4], got int32 [1 4]');
    await expect(infer(fs, 'lin', '{"shape":[1,4],"data":[1,2,3,]}')).rejects.toThrow(/^infer: bad JSON: /);
    await expect(infer(fs, 'lin', '{"shape":[1,4],"data":[1,2,"three",4]}')).rejects.toThrow('x: data[2] is not a number: "three"');
    await expect(infer(fs, 'lin', '{"shape":[1,4],"data":[1,2,3]}')).rejects.toThrow('x: shape [1 4] holds 4 values, got 3');
    await expect(infer(fs, 'lin', '{"shape":[1,4],"data":[1,2,3,4],"dtype":"f"}')).rejects.toThrow('x: unknown field "dtype" (want shape, data, type)');
    await expect(infer(fs, 'lin', 'hello world\n')).rejects.toThrow("infer: bad raw header 'hello world'");
    await expect(infer(fs, 'lin', rawF32([1, 4], [1, 2, 3, 4]).subarray(0, 16))).rejects.toThrow('infer: truncated raw tensor x: want 16 bytes after the header, got 8');
    await expect(infer(fs, 'lin', Buffer.concat([rawF32([1, 4], [1, 2, 3, 4]), Buffer.from('xyz')]))).rejects.toThrow('infer: 3 bytes past the last tensor');
    await expect(infer(fs, 'lin', '{"shape":[1,4],"data":[1,2')).rejects.toThrow('infer: incomplete JSON input (26 bytes, not closed)');

    const f = await fs.open('/models/lin/infer', ORDWR);
    await expect(f.read(100)).rejects.toThrow('infer: read before write (write an input tensor first)');
    await f.write('{"shape":[1,4],"data":[1,2,3,4]}');
    await expect(f.write('{"shape":[1,4],"data":[1,2,3,4]}')).rejects.toThrow('infer: the last result has not been read (read it before writing the next input)');
    expect((await readToEnd(f)).toString()).toMatch(/^\{"shape":\[1,3\]/);
    // After a refused input the open is usable again.
    await expect(f.write('{"shape":[2,4],"data":[1,2,3,4,5,6,7,8]}')).rejects.toThrow('x: want float32 [1 4], got [2 4]');
    await f.write('{"shape":[1,4],"data":[1,2,3,4]}');
    expect((await readToEnd(f)).toString()).toMatch(/^\{"shape":\[1,3\]/);
    await f.clunk();
    const ro = await fs.open('/models/lin/infer', OREAD);
    await expect(ro.read(10)).rejects.toThrow('infer: read before write');
    await ro.clunk();
    expect((await fs.readFile('/status')).toString()).toMatch(/^queued 0\nrunning 0\ndone 2\nfailed 0\n/);
  });

  it('an unknown model is not there; an unloaded one fails opens that outlive it', async () => {
    const r = await up();
    const fs = await r.mount();
    await expect(infer(fs, 'nosuch', '{}')).rejects.toThrow('file does not exist');
    await fs.writeFile('/ctl', 'load lin /srv/cuda/samples/linear.onnx\n');
    const f = await fs.open('/models/lin/infer', ORDWR);
    await fs.writeFile('/ctl', 'unload lin\n');
    await expect(f.write('{"shape":[1,4],"data":[1,2,3,4]}')).rejects.toThrow('model lin unloaded');
    await f.clunk();
  });
});
