// The sample models /srv/cuda ships at /srv/cuda/samples/*.onnx, built in memory with
// onnx-writer.ts (no model files exist here and no binaries are committed), each with a
// pure-TypeScript forward pass that tests and benchmarks check onnxruntime's answers against.
//
//   linear  y = x·W + b                      x float32 [1 4]  -> y float32 [1 3]   (Gemm)
//   mlp     softmax(relu(x·W1 + b1)·W2 + b2)  x float32 [N 8]  -> y float32 [N 4]   (MatMul, Add, Relu, Gemm, Softmax)

import { DataType, encodeModel } from './onnx-writer.ts';

export interface Sample {
  name: string;
  /** The .onnx bytes. */
  bytes: Uint8Array;
  /** What the model computes, for one input of shape [rows, inputWidth] (row-major). */
  forward(x: Float32Array, rows: number): Float32Array;
  inputWidth: number;
  outputWidth: number;
}

/** Deterministic weights in [-1, 1): a small LCG, so every build of the samples is identical. */
function weights(seed: number, n: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = Math.round(((s / 2 ** 32) * 2 - 1) * 1000) / 1000;
  }
  return out;
}

/** rows x inner times inner x cols, plus a bias per column; float32 accumulation like ORT's. */
function affine(x: Float32Array, rows: number, inner: number, w: Float32Array, b: Float32Array, cols: number): Float32Array {
  const y = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let acc = 0;
      for (let k = 0; k < inner; k++) acc += x[r * inner + k]! * w[k * cols + c]!;
      y[r * cols + c] = acc + b[c]!;
    }
  }
  return y;
}

export function linearSample(): Sample {
  const W = weights(1, 4 * 3), b = weights(2, 3);
  const bytes = encodeModel({
    doc: 'cohesix sample: y = x·W + b',
    graph: {
      name: 'linear',
      inputs: [{ name: 'x', type: DataType.FLOAT, shape: [1, 4] }],
      outputs: [{ name: 'y', type: DataType.FLOAT, shape: [1, 3] }],
      initializers: [
        { name: 'W', type: DataType.FLOAT, dims: [4, 3], data: W },
        { name: 'b', type: DataType.FLOAT, dims: [3], data: b },
      ],
      nodes: [{ op: 'Gemm', inputs: ['x', 'W', 'b'], outputs: ['y'] }],
    },
  });
  return { name: 'linear', bytes, inputWidth: 4, outputWidth: 3, forward: (x, rows) => affine(x, rows, 4, W, b, 3) };
}

export function mlpSample(): Sample {
  const H = 16;
  const W1 = weights(3, 8 * H), b1 = weights(4, H), W2 = weights(5, H * 4), b2 = weights(6, 4);
  const bytes = encodeModel({
    doc: 'cohesix sample: softmax(relu(x·W1 + b1)·W2 + b2), dynamic batch N',
    graph: {
      name: 'mlp',
      inputs: [{ name: 'x', type: DataType.FLOAT, shape: ['N', 8] }],
      outputs: [{ name: 'y', type: DataType.FLOAT, shape: ['N', 4] }],
      initializers: [
        { name: 'W1', type: DataType.FLOAT, dims: [8, H], data: W1 },
        { name: 'b1', type: DataType.FLOAT, dims: [H], data: b1 },
        { name: 'W2', type: DataType.FLOAT, dims: [H, 4], data: W2 },
        { name: 'b2', type: DataType.FLOAT, dims: [4], data: b2 },
      ],
      nodes: [
        { op: 'MatMul', inputs: ['x', 'W1'], outputs: ['h0'] },
        { op: 'Add', inputs: ['h0', 'b1'], outputs: ['h1'] },
        { op: 'Relu', inputs: ['h1'], outputs: ['h'] },
        { op: 'Gemm', inputs: ['h', 'W2', 'b2'], outputs: ['z'] },
        { op: 'Softmax', inputs: ['z'], outputs: ['y'], attrs: { axis: -1 } },
      ],
    },
  });
  const forward = (x: Float32Array, rows: number): Float32Array => {
    const h = affine(x, rows, 8, W1, b1, H).map((v) => Math.max(0, v));
    const z = affine(h, rows, H, W2, b2, 4);
    const y = new Float32Array(rows * 4);
    for (let r = 0; r < rows; r++) {
      const row = z.subarray(r * 4, r * 4 + 4);
      const m = Math.max(...row);
      let sum = 0;
      for (let c = 0; c < 4; c++) sum += Math.exp(row[c]! - m);
      for (let c = 0; c < 4; c++) y[r * 4 + c] = Math.exp(row[c]! - m) / sum;
    }
    return y;
  };
  return { name: 'mlp', bytes, inputWidth: 8, outputWidth: 4, forward };
}

/** Every sample, by file name (linear.onnx, mlp.onnx). */
export function samples(): Sample[] {
  return [linearSample(), mlpSample()];
}
