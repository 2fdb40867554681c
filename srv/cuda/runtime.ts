// The inference backend of /srv/cuda: onnxruntime-node. What it is (name, version), which
// execution providers really load on this machine, and loaded models with their input and
// output specs. Nothing here knows about files or scheduling.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';

export const BACKEND = 'onnxruntime-node';

/** A dimension of a model's input or output: a size, or a symbolic name (dynamic). */
export type Dim = number | string;

export interface TensorSpec {
  name: string;
  /** onnxruntime's type name: float32, int64, ... */
  type: string;
  shape: Dim[];
}

export function backendVersion(): string {
  return ort.env.versions.node ?? ort.env.versions.common;
}

/** A spec as info shows it: `x float32 [N 8]`. */
export function specText(s: TensorSpec): string {
  return `${s.name} ${s.type} [${s.shape.join(' ')}]`;
}

/**
 * onnxruntime-node's native add-on directory: providers that are not bundled (cuda, tensorrt)
 * need their shared library there, so without it they cannot load and are not tried (trying
 * prints onnxruntime's own error on stderr).
 */
function bindingDir(): string | undefined {
  try {
    const main = createRequire(import.meta.url).resolve('onnxruntime-node');
    return join(dirname(main), '..', 'bin', 'napi-v6', process.platform, process.arch);
  } catch { return undefined; }
}

const ext = process.platform === 'win32' ? '.dll' : process.platform === 'darwin' ? '.dylib' : '.so';

/**
 * The execution providers that really load: cpu, then every other provider onnxruntime-node
 * was built with whose session creation on probe (a model's bytes) succeeds, webgpu aside.
 * A bundled provider is tried for real; one that is not bundled only when its library is
 * installed beside the add-on.
 */
export async function probeProviders(probe: Uint8Array): Promise<string[]> {
  const found = ['cpu'];
  const dir = bindingDir();
  for (const b of ort.listSupportedBackends()) {
    // webgpu is a browser backend here: probing it only prints a Vulkan warning on the node's
    // stderr and finds no adapter on a server. Accelerators are the CUDA-family providers.
    if (b.name === 'cpu' || b.name === 'webgpu') continue;
    if (!b.bundled && !(dir && existsSync(join(dir, `libonnxruntime_providers_${b.name}${ext}`)))) continue;
    try {
      const s = await ort.InferenceSession.create(probe, { executionProviders: [b.name], logSeverityLevel: 4 });
      await s.release();
      found.push(b.name);
    } catch { /* not usable here */ }
  }
  return found;
}

function specsOf(md: readonly ort.InferenceSession.ValueMetadata[], what: string): TensorSpec[] {
  return md.map((m) => {
    if (!m.isTensor) throw new Error(`${what} ${m.name} is not a tensor (only tensors are supported)`);
    return { name: m.name, type: m.type, shape: [...m.shape] };
  });
}

/** A model loaded into onnxruntime; released once unloaded and no run is in progress. */
export class LoadedModel {
  readonly name: string;
  readonly path: string;
  readonly inputs: TensorSpec[];
  readonly outputs: TensorSpec[];
  readonly #session: ort.InferenceSession;
  #active = 0;
  #unloaded = false;
  #released: Promise<void> | undefined;

  constructor(name: string, path: string, session: ort.InferenceSession) {
    this.name = name;
    this.path = path;
    this.#session = session;
    this.inputs = specsOf(session.inputMetadata, 'input');
    this.outputs = specsOf(session.outputMetadata, 'output');
  }

  get unloaded(): boolean { return this.#unloaded; }

  /** The info file: one line per input and output, then where it came from. */
  info(): string {
    return [...this.inputs.map((s) => `input ${specText(s)}`), ...this.outputs.map((s) => `output ${specText(s)}`), `path ${this.path}`].join('\n') + '\n';
  }

  /** Run once; feeds are checked by the caller. */
  async run(feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
    if (this.#unloaded) throw new Error(`model ${this.name} unloaded`);
    this.#active++;
    try {
      return await this.#session.run(feeds);
    } finally {
      this.#active--;
      if (this.#unloaded && this.#active === 0) void this.#release();
    }
  }

  /** No more runs; the session is released when the last one in progress ends. */
  unload(): Promise<void> {
    this.#unloaded = true;
    return this.#active === 0 ? this.#release() : Promise.resolve();
  }

  #release(): Promise<void> {
    this.#released ??= this.#session.release().catch(() => undefined);
    return this.#released;
  }
}

/** Load bytes as model name; onnxruntime's own message names what is wrong with a bad file. */
export async function loadModel(name: string, path: string, bytes: Uint8Array, providers: readonly string[]): Promise<LoadedModel> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: [...providers.filter((p) => p !== 'cpu'), 'cpu'] });
  } catch (e) {
    throw new Error(`load ${name}: ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return new LoadedModel(name, path, session);
  } catch (e) {
    await session.release().catch(() => undefined);
    throw new Error(`load ${name}: ${path}: ${(e as Error).message}`);
  }
}
