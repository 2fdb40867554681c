// A small ONNX writer: the protobuf wire format (varints, length-delimited fields, packed
// repeated scalars) and the few messages of onnx.proto3 a model needs — ModelProto,
// OperatorSetIdProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto,
// TypeProto.Tensor, TensorShapeProto. There are no model files on this machine (no internet),
// so /srv/cuda builds its sample models with this; field numbers are onnx.proto3's.

/** TensorProto.DataType values. */
export const DataType = {
  FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, DOUBLE: 11,
} as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

/** AttributeProto.AttributeType values (only those this writer emits). */
const AttrType = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

/** Wire types of a protobuf field key. */
const Wire = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;

/** Protobuf wire-format writer: append fields, then take the bytes. */
export class ProtoWriter {
  readonly #chunks: Uint8Array[] = [];
  #len = 0;

  #push(b: Uint8Array): void { this.#chunks.push(b); this.#len += b.length; }

  /** A varint; negative numbers are written as 64-bit two's complement (10 bytes), as protobuf does. */
  #varint(v: number | bigint): void {
    let x = BigInt.asUintN(64, BigInt(v));
    const out: number[] = [];
    do {
      let byte = Number(x & 0x7fn);
      x >>= 7n;
      if (x !== 0n) byte |= 0x80;
      out.push(byte);
    } while (x !== 0n);
    this.#push(Uint8Array.from(out));
  }

  #key(field: number, wire: number): void { this.#varint((field << 3) | wire); }

  /** int32, int64 and enum fields (proto3 omits zero values; so do we unless forced). */
  int(field: number, v: number | bigint, force = false): this {
    if (!force && (v === 0 || v === 0n)) return this;
    this.#key(field, Wire.VARINT);
    this.#varint(v);
    return this;
  }

  float(field: number, v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.#key(field, Wire.I32);
    this.#push(b);
    return this;
  }

  bytes(field: number, b: Uint8Array): this {
    this.#key(field, Wire.LEN);
    this.#varint(b.length);
    this.#push(b);
    return this;
  }

  string(field: number, s: string | undefined): this {
    return s === undefined || s === '' ? this : this.bytes(field, new TextEncoder().encode(s));
  }

  /** An embedded message. */
  message(field: number, m: ProtoWriter): this { return this.bytes(field, m.finish()); }

  /** Packed repeated int32/int64 (proto3's default encoding for repeated scalars). */
  packedInts(field: number, vs: readonly (number | bigint)[]): this {
    if (vs.length === 0) return this;
    const inner = new ProtoWriter();
    for (const v of vs) inner.#varint(v);
    return this.message(field, inner);
  }

  /** Packed repeated float. */
  packedFloats(field: number, vs: ArrayLike<number>): this {
    if (vs.length === 0) return this;
    const b = new Uint8Array(vs.length * 4);
    const dv = new DataView(b.buffer);
    for (let i = 0; i < vs.length; i++) dv.setFloat32(i * 4, vs[i]!, true);
    return this.bytes(field, b);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.#len);
    let off = 0;
    for (const c of this.#chunks) { out.set(c, off); off += c.length; }
    return out;
  }
}

// ---- ONNX messages, as plain data ----

/** A dimension: a size, or a symbolic name (a dynamic dimension such as the batch). */
export type Dim = number | string;

export interface ValueInfo { name: string; type: DataTypeCode; shape: readonly Dim[] }

export interface Tensor {
  name: string;
  type: DataTypeCode;
  dims: readonly number[];
  /** float32 values (FLOAT), or raw little-endian bytes for any type. */
  data: Float32Array | Uint8Array;
}

export type AttrValue = number | string | readonly number[] | { float: number } | { floats: readonly number[] };

export interface Node {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  /** Integers are INT, strings STRING, number arrays INTS; wrap floats as {float} / {floats}. */
  attrs?: Record<string, AttrValue>;
}

export interface Graph {
  name: string;
  nodes: readonly Node[];
  inputs: readonly ValueInfo[];
  outputs: readonly ValueInfo[];
  initializers?: readonly Tensor[];
}

export interface Model {
  graph: Graph;
  /** Default opset 13 (the ai.onnx domain). */
  opset?: number;
  /** Default 8 (the IR version of opsets 13-15). */
  irVersion?: number;
  producer?: string;
  doc?: string;
}

function tensorProto(t: Tensor): ProtoWriter {
  const w = new ProtoWriter().packedInts(1, t.dims).int(2, t.type, true).string(8, t.name);
  if (t.data instanceof Float32Array) {
    if (t.type !== DataType.FLOAT) throw new Error(`onnx: tensor ${t.name}: float data for data type ${t.type}`);
    w.packedFloats(4, t.data);
  } else {
    w.bytes(9, t.data);
  }
  return w;
}

function valueInfoProto(v: ValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape) {
    const dim = new ProtoWriter();
    if (typeof d === 'number') dim.int(1, d, true); else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new ProtoWriter().int(1, v.type, true).message(2, shape);
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
}

function attributeProto(name: string, v: AttrValue): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`onnx: attribute ${name}: ${v} is not an integer (wrap floats as {float})`);
    return w.int(20, AttrType.INT, true).int(3, v, true);
  }
  if (typeof v === 'string') return w.int(20, AttrType.STRING, true).bytes(4, new TextEncoder().encode(v));
  if ('float' in v) return w.int(20, AttrType.FLOAT, true).float(2, v.float);
  if ('floats' in v) return w.int(20, AttrType.FLOATS, true).packedFloats(7, v.floats);
  return w.int(20, AttrType.INTS, true).packedInts(8, v as readonly number[]);
}

function nodeProto(n: Node, i: number): ProtoWriter {
  const w = new ProtoWriter();
  for (const s of n.inputs) w.bytes(1, new TextEncoder().encode(s));
  for (const s of n.outputs) w.bytes(2, new TextEncoder().encode(s));
  w.string(3, n.name ?? `${n.op.toLowerCase()}_${i}`).string(4, n.op);
  for (const [k, v] of Object.entries(n.attrs ?? {})) w.message(5, attributeProto(k, v));
  return w;
}

function graphProto(g: Graph): ProtoWriter {
  const w = new ProtoWriter();
  g.nodes.forEach((n, i) => w.message(1, nodeProto(n, i)));
  w.string(2, g.name);
  for (const t of g.initializers ?? []) w.message(5, tensorProto(t));
  for (const v of g.inputs) w.message(11, valueInfoProto(v));
  for (const v of g.outputs) w.message(12, valueInfoProto(v));
  return w;
}

/** The serialized ModelProto: bytes an ONNX runtime loads. */
export function encodeModel(m: Model): Uint8Array {
  const opset = new ProtoWriter().string(1, '').int(2, m.opset ?? 13, true);
  return new ProtoWriter()
    .int(1, m.irVersion ?? 8, true)
    .string(2, m.producer ?? 'cohesix')
    .string(3, '1')
    .string(6, m.doc)
    .message(7, graphProto(m.graph))
    .message(8, opset)
    .finish();
}
