// Tensors on the wire of /srv/cuda/models/<name>/infer (cuda(4)), in two encodings:
//
//   JSON  {"shape":[1,4],"data":[1,2,3,4]}                one input (optional "type", default the model's)
//         {"x":{"shape":[1,4],"data":[...]},"m":{...}}    several, keyed by input name
//   raw   a header line `[NAME] TYPE DIM...\n` then the values, little-endian, per input in
//         the model's order (NAME optional); TYPE f32 f64 i32 i64 u8 i8 bool (or the long names)
//
// Input arrives in any number of writes: InputAssembler says when a whole request is there,
// and checks every tensor against the model's spec as soon as it can. Replies use the
// request's encoding.

import type { Dim, TensorSpec } from './runtime.ts';

export type Encoding = 'json' | 'raw';

export type TensorData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;

export interface HostTensor { name: string; type: string; dims: number[]; data: TensorData }

export interface InferRequest {
  encoding: Encoding;
  /** The request named its tensors, so the reply names its own. */
  named: boolean;
  /** In the model's input order. */
  tensors: HostTensor[];
}

/** A model output as onnxruntime returns it. */
export interface OutTensor { name: string; type: string; dims: readonly number[]; data: unknown }

const SHORT: Record<string, string> = { f32: 'float32', f64: 'float64', i32: 'int32', i64: 'int64', u8: 'uint8', i8: 'int8', bool: 'bool' };
const LONG: Record<string, string> = Object.fromEntries(Object.entries(SHORT).map(([s, l]) => [l, s]));
const SIZE: Record<string, number> = { float32: 4, float64: 8, int32: 4, int64: 8, uint8: 1, int8: 1, bool: 1 };
const INT_RANGE: Record<string, [number, number]> = { int32: [-(2 ** 31), 2 ** 31 - 1], uint8: [0, 255], int8: [-128, 127], bool: [0, 1] };

/** Longest raw header line, and largest request, accepted. */
const MAXHEADER = 256;
const MAXINPUT = 64 << 20;

function typeName(t: string): string | undefined {
  return SHORT[t] ?? (LONG[t] !== undefined ? t : undefined);
}

const utf8 = new TextEncoder();
const utf8in = new TextDecoder();

const shapeText = (dims: readonly Dim[]): string => `[${dims.join(' ')}]`;
const count = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** The values a spec's shape accepts: its rank, fixed sizes where given. */
function checkSpec(spec: TensorSpec, type: string, dims: readonly number[]): void {
  const fits = dims.length === spec.shape.length && spec.shape.every((d, i) => typeof d !== 'number' || d === dims[i]);
  if (type !== spec.type || !fits) {
    const got = type !== spec.type ? `${type} ${shapeText(dims)}` : shapeText(dims);
    throw new Error(`${spec.name}: want ${spec.type} ${shapeText(spec.shape)}, got ${got}`);
  }
}

function goodDims(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((d) => Number.isInteger(d) && d >= 0 && d <= 2 ** 31);
}

function alloc(type: string, n: number): TensorData {
  switch (type) {
    case 'float32': return new Float32Array(n);
    case 'float64': return new Float64Array(n);
    case 'int32': return new Int32Array(n);
    case 'int64': return new BigInt64Array(n);
    case 'int8': return new Int8Array(n);
    default: return new Uint8Array(n); // uint8, bool
  }
}

/** JSON numbers into a typed array of the spec's type, each checked. */
function fromJson(spec: TensorSpec, type: string, dims: number[], raw: unknown): HostTensor {
  if (!Array.isArray(raw)) throw new Error(`${spec.name}: "data" must be a list of numbers`);
  const flat = (raw as unknown[]).flat(Infinity);
  const n = count(dims);
  if (flat.length !== n) throw new Error(`${spec.name}: shape ${shapeText(dims)} holds ${n} values, got ${flat.length}`);
  const data = alloc(type, n);
  const range = INT_RANGE[type];
  for (let i = 0; i < n; i++) {
    let v = flat[i];
    if (typeof v === 'boolean' && type === 'bool') v = v ? 1 : 0;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${spec.name}: data[${i}] is not a number: ${JSON.stringify(v) ?? String(v)}`);
    if (type === 'int64') {
      if (!Number.isSafeInteger(v)) throw new Error(`${spec.name}: data[${i}] ${v} is not a whole number in int64's safe range`);
      (data as BigInt64Array)[i] = BigInt(v);
    } else {
      if (range && (!Number.isInteger(v) || v < range[0] || v > range[1])) throw new Error(`${spec.name}: data[${i}] ${v} is not a ${type}`);
      (data as Float32Array)[i] = v;
    }
  }
  return { name: spec.name, type, dims, data };
}

function jsonTensor(spec: TensorSpec, v: unknown): HostTensor {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${spec.name}: want an object {"shape":[...],"data":[...]}`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'shape' && k !== 'data' && k !== 'type') throw new Error(`${spec.name}: unknown field "${k}" (want shape, data, type)`);
  if (!goodDims(o.shape)) throw new Error(`${spec.name}: "shape" must be a list of whole numbers`);
  const type = o.type === undefined ? spec.type : typeof o.type === 'string' ? typeName(o.type) : undefined;
  if (type === undefined) throw new Error(`${spec.name}: unknown type ${JSON.stringify(o.type)} (want one of ${Object.values(SHORT).join(' ')})`);
  checkSpec(spec, type, o.shape);
  return fromJson(spec, type, o.shape, o.data);
}

/** Index just past the top-level JSON value starting at text[start] ('{'), or -1 if it has not ended. */
function jsonEnd(text: string, start: number): number {
  let depth = 0, str = false, esc = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (str) {
      if (esc) esc = false;
      else if (c === 0x5c) esc = true;
      else if (c === 0x22) str = false;
    } else if (c === 0x22) str = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) { if (--depth === 0) return i + 1; }
  }
  return -1;
}

const isSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

function firstNonSpace(b: Uint8Array, from = 0): number {
  let i = from;
  while (i < b.length && isSpace(b[i]!)) i++;
  return i;
}

/** Collects the writes of one request and parses it once it is whole. */
export class InputAssembler {
  readonly #inputs: readonly TensorSpec[];
  #buf = new Uint8Array(0);
  #len = 0;

  constructor(inputs: readonly TensorSpec[]) { this.#inputs = inputs; }

  /** Nothing but white space so far. */
  get empty(): boolean { return firstNonSpace(this.#bytes()) === this.#len; }

  #bytes(): Uint8Array { return this.#buf.subarray(0, this.#len); }

  /** Add bytes; returns the request once whole, undefined while more is due; throws what is wrong. */
  push(data: Uint8Array): InferRequest | undefined {
    if (this.#len + data.length > MAXINPUT) throw new Error(`infer: input larger than ${MAXINPUT} bytes`);
    if (this.#len + data.length > this.#buf.length) {
      const b = new Uint8Array(Math.max(this.#len + data.length, this.#buf.length * 2, 256));
      b.set(this.#bytes());
      this.#buf = b;
    }
    this.#buf.set(data, this.#len);
    this.#len += data.length;
    const b = this.#bytes();
    const i = firstNonSpace(b);
    if (i === b.length) return undefined;
    return b[i] === 0x7b ? this.#json(b) : this.#raw(b, i);
  }

  /** Why the request so far is not whole (for a read that comes too early). */
  incomplete(): string {
    const b = this.#bytes();
    const i = firstNonSpace(b);
    if (b[i] === 0x7b) return `infer: incomplete JSON input (${b.length} bytes, not closed)`;
    try { this.#raw(b, i, true); } catch (e) { return (e as Error).message; }
    return 'infer: incomplete input';
  }

  #json(b: Uint8Array): InferRequest | undefined {
    const text = utf8in.decode(b);
    const start = text.indexOf('{');
    const end = jsonEnd(text, start);
    if (end < 0) return undefined;
    if (text.slice(end).trim() !== '') throw new Error('infer: bytes after the JSON object');
    let v: unknown;
    try { v = JSON.parse(text.slice(start, end)); } catch (e) { throw new Error(`infer: bad JSON: ${(e as Error).message}`); }
    const o = v as Record<string, unknown>;
    const ins = this.#inputs;
    if ('shape' in o || 'data' in o) {
      if (ins.length !== 1) throw new Error(`infer: the model has ${ins.length} inputs (${ins.map((s) => s.name).join(' ')}): send an object keyed by input name`);
      return { encoding: 'json', named: false, tensors: [jsonTensor(ins[0]!, o)] };
    }
    for (const k of Object.keys(o)) if (!ins.some((s) => s.name === k)) throw new Error(`infer: unknown input '${k}' (inputs: ${ins.map((s) => s.name).join(' ')})`);
    const tensors = ins.map((s) => {
      if (!(s.name in o)) throw new Error(`infer: missing input '${s.name}'`);
      return jsonTensor(s, o[s.name]);
    });
    return { encoding: 'json', named: true, tensors };
  }

  /** Parse headers and bodies in order; with explain, throw why the input is short instead of waiting. */
  #raw(b: Uint8Array, start: number, explain = false): InferRequest | undefined {
    const tensors: HostTensor[] = [];
    let named = false;
    let off = start;
    const ins = this.#inputs;
    while (tensors.length < ins.length) {
      const nl = b.indexOf(0x0a, off);
      if (nl < 0) {
        if (b.length - off > MAXHEADER) throw new Error(`infer: raw header longer than ${MAXHEADER} bytes (want TYPE DIM...\\n)`);
        if (explain) throw new Error(off === b.length ? `infer: raw input ends before tensor ${ins[tensors.length]!.name}` : 'infer: raw header not ended by a newline');
        return undefined;
      }
      const line = utf8in.decode(b.subarray(off, nl)).trim();
      const words = line.split(/\s+/);
      let spec = ins[tensors.length]!;
      if (words[0] !== undefined && typeName(words[0]) === undefined && words.length >= 1) {
        const s = ins.find((x) => x.name === words[0]);
        if (!s) throw new Error(`infer: bad raw header '${line}' (want [NAME] TYPE DIM..., TYPE one of ${Object.keys(SHORT).join(' ')}; inputs: ${ins.map((x) => x.name).join(' ')})`);
        if (tensors.some((t) => t.name === s.name)) throw new Error(`infer: input '${s.name}' given twice`);
        spec = s;
        named = true;
        words.shift();
      }
      const type = typeName(words[0] ?? '');
      const dims = words.slice(1).map(Number);
      if (type === undefined || !goodDims(dims)) throw new Error(`infer: bad raw header '${line}' (want [NAME] TYPE DIM..., TYPE one of ${Object.keys(SHORT).join(' ')})`);
      checkSpec(spec, type, dims);
      const size = count(dims) * SIZE[type]!;
      const body = nl + 1;
      if (b.length - body < size) {
        if (explain) throw new Error(`infer: truncated raw tensor ${spec.name}: want ${size} bytes after the header, got ${b.length - body}`);
        return undefined;
      }
      tensors.push(rawTensor(spec.name, type, dims, b.subarray(body, body + size)));
      off = body + size;
    }
    const rest = firstNonSpace(b, off);
    if (rest !== b.length) throw new Error(`infer: ${b.length - off} bytes past the last tensor`);
    // The model's order, whatever order named headers came in.
    tensors.sort((x, y) => ins.findIndex((s) => s.name === x.name) - ins.findIndex((s) => s.name === y.name));
    return { encoding: 'raw', named, tensors };
  }
}

function rawTensor(name: string, type: string, dims: number[], bytes: Uint8Array): HostTensor {
  const n = count(dims);
  const data = alloc(type, n);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) {
    switch (type) {
      case 'float32': (data as Float32Array)[i] = dv.getFloat32(i * 4, true); break;
      case 'float64': (data as Float64Array)[i] = dv.getFloat64(i * 8, true); break;
      case 'int32': (data as Int32Array)[i] = dv.getInt32(i * 4, true); break;
      case 'int64': (data as BigInt64Array)[i] = dv.getBigInt64(i * 8, true); break;
      case 'int8': (data as Int8Array)[i] = dv.getInt8(i); break;
      default: (data as Uint8Array)[i] = dv.getUint8(i);
    }
  }
  return { name, type, dims, data };
}

// ---- replies ----

/** The shortest decimal that reads back as the same float32 (what a float32 printer shows). */
function f32Text(v: number): string {
  if (!Number.isFinite(v)) return 'null';
  // Enough digits is monotone in the digit count, and 9 always suffice: search 1..9.
  let lo = 1, hi = 9;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Math.fround(Number(v.toPrecision(mid))) === v) hi = mid; else lo = mid + 1;
  }
  return String(Number(v.toPrecision(lo)));
}

function valuesJson(t: OutTensor): string {
  const d = t.data as ArrayLike<number | bigint | boolean>;
  const out: string[] = new Array<string>(d.length);
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    out[i] = typeof v === 'bigint' ? v.toString() : typeof v === 'boolean' ? (v ? '1' : '0') : t.type === 'float32' ? f32Text(v) : Number.isFinite(v) ? String(v) : 'null';
  }
  return `[${out.join(',')}]`;
}

function tensorJson(t: OutTensor): string {
  if (SIZE[t.type] === undefined) throw new Error(`infer: output ${t.name} has type ${t.type}, which infer cannot send`);
  return `{"shape":[${t.dims.join(',')}],${t.type === 'float32' ? '' : `"type":"${t.type}",`}"data":${valuesJson(t)}}`;
}

function tensorRaw(t: OutTensor, named: boolean): Uint8Array {
  const short = LONG[t.type];
  if (short === undefined) throw new Error(`infer: output ${t.name} has type ${t.type}, which infer cannot send`);
  const head = utf8.encode(`${named ? `${t.name} ` : ''}${short}${t.dims.map((d) => ` ${d}`).join('')}\n`);
  const n = count(t.dims as number[]), size = SIZE[t.type]!;
  const out = new Uint8Array(head.length + n * size);
  out.set(head);
  const dv = new DataView(out.buffer, head.length);
  const d = t.data as ArrayLike<number | bigint | boolean>;
  for (let i = 0; i < n; i++) {
    const v = d[i]!;
    switch (t.type) {
      case 'float32': dv.setFloat32(i * 4, Number(v), true); break;
      case 'float64': dv.setFloat64(i * 8, Number(v), true); break;
      case 'int32': dv.setInt32(i * 4, Number(v), true); break;
      case 'int64': dv.setBigInt64(i * 8, BigInt(v), true); break;
      case 'int8': dv.setInt8(i, Number(v)); break;
      default: dv.setUint8(i, Number(v));
    }
  }
  return out;
}

/** The reply to a request: its encoding; outputs named when it named its inputs or there are several. */
export function encodeReply(req: Pick<InferRequest, 'encoding' | 'named'>, outs: readonly OutTensor[]): Uint8Array {
  const named = req.named || outs.length !== 1;
  if (req.encoding === 'json') {
    const body = named ? `{${outs.map((t) => `${JSON.stringify(t.name)}:${tensorJson(t)}`).join(',')}}` : tensorJson(outs[0]!);
    return utf8.encode(body + '\n');
  }
  const parts = outs.map((t) => tensorRaw(t, named));
  const all = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let off = 0;
  for (const p of parts) { all.set(p, off); off += p.length; }
  return all;
}
