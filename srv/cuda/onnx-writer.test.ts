// The ONNX writer: protobuf wire details, and the sample models as onnxruntime loads and runs
// them, checked against the pure-TypeScript forward passes.

import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { DataType, ProtoWriter, encodeModel } from './onnx-writer.ts';
import { linearSample, mlpSample } from './samples.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function close(got: ArrayLike<number>, want: ArrayLike<number>, eps = 1e-5): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(eps);
}

describe('protobuf wire format', () => {
  it('writes varints, negative int64s, packed repeats, floats and strings as protobuf does', () => {
    expect(hex(new ProtoWriter().int(1, 150).finish())).toBe('089601');
    expect(hex(new ProtoWriter().int(2, -1).finish())).toBe('10ffffffffffffffffff01');
    expect(hex(new ProtoWriter().int(1, 0).finish())).toBe(''); // proto3 leaves zeros out
    expect(hex(new ProtoWriter().int(1, 0, true).finish())).toBe('0800');
    expect(hex(new ProtoWriter().packedInts(4, [3, 270, 86942]).finish())).toBe('2206038e029ea705');
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('120774657374696e67');
    expect(hex(new ProtoWriter().float(2, 1).finish())).toBe('150000803f');
    expect(hex(new ProtoWriter().packedFloats(4, [1, -2]).finish())).toBe('22080000803f000000c0');
  });

  it('refuses a float where an integer attribute is due, and float data for a non-float tensor', () => {
    const graph = (attrs: Record<string, number>, dataType: 1 | 7) => ({
      name: 'g', inputs: [], outputs: [],
      nodes: [{ op: 'Identity', inputs: ['a'], outputs: ['b'], attrs }],
      initializers: [{ name: 'a', type: dataType, dims: [1], data: new Float32Array([1]) }],
    });
    expect(() => encodeModel({ graph: graph({ alpha: 0.5 }, DataType.FLOAT) })).toThrow(/not an integer/);
    expect(() => encodeModel({ graph: graph({}, DataType.INT64) })).toThrow(/float data for data type 7/);
  });
});

describe('sample models in onnxruntime', () => {
  it('linear: y = x·W + b, x float32 [1 4] -> y float32 [1 3]', async () => {
    const s = linearSample();
    const sess = await ort.InferenceSession.create(s.bytes);
    try {
      expect(sess.inputMetadata).toEqual([{ name: 'x', isTensor: true, type: 'float32', shape: [1, 4] }]);
      expect(sess.outputMetadata).toEqual([{ name: 'y', isTensor: true, type: 'float32', shape: [1, 3] }]);
      for (const x of [[1, 2, 3, 4], [0, 0, 0, 0], [-1.5, 0.25, 8, -3]]) {
        const xs = Float32Array.from(x);
        const r = await sess.run({ x: new ort.Tensor('float32', xs, [1, 4]) });
        expect(r.y!.dims).toEqual([1, 3]);
        close(r.y!.data as Float32Array, s.forward(xs, 1));
      }
    } finally { await sess.release(); }
  });

  it('mlp: MatMul, Add, Relu, Gemm, Softmax with a dynamic batch, [N 8] -> [N 4]', async () => {
    const s = mlpSample();
    const sess = await ort.InferenceSession.create(s.bytes);
    try {
      expect(sess.inputMetadata).toEqual([{ name: 'x', isTensor: true, type: 'float32', shape: ['N', 8] }]);
      expect(sess.outputMetadata).toEqual([{ name: 'y', isTensor: true, type: 'float32', shape: ['N', 4] }]);
      for (const n of [1, 3, 17]) {
        const xs = Float32Array.from({ length: n * 8 }, (_, i) => Math.sin(i * 0.7) * 2);
        const r = await sess.run({ x: new ort.Tensor('float32', xs, [n, 8]) });
        expect(r.y!.dims).toEqual([n, 4]);
        const y = r.y!.data as Float32Array;
        close(y, s.forward(xs, n));
        for (let row = 0; row < n; row++) expect(y[row * 4]! + y[row * 4 + 1]! + y[row * 4 + 2]! + y[row * 4 + 3]!).toBeCloseTo(1, 5);
      }
    } finally { await sess.release(); }
  });

  it('builds the same bytes every time (no randomness, nothing committed)', () => {
    expect(hex(linearSample().bytes)).toBe(hex(linearSample().bytes));
    expect(hex(mlpSample().bytes)).toBe(hex(mlpSample().bytes));
  });
});
