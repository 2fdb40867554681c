// Run a compiled module in this Node process against a SyncHost (tests, the benchmark):
// instantiate with the syscall glue as imports, call main, map exits and traps to a status.

import { syscallGlue } from '../abi.ts';
import type { RunStatus } from '../interp.ts';
import type { SyncHost } from '../syscalls.ts';
import { Exit } from '../syscalls.ts';

export function runWasm(bytes: Uint8Array, host: SyncHost): RunStatus {
  const mod = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  let mem: WebAssembly.Memory | undefined;
  const glue = syscallGlue(() => new Uint8Array(mem!.buffer), host, (code) => { throw new Exit(code); });
  const inst = new WebAssembly.Instance(mod, { cohesix: glue as unknown as WebAssembly.ModuleImports });
  mem = inst.exports['memory'] as WebAssembly.Memory;
  const main = inst.exports['main'] as (() => number | undefined) | undefined;
  if (!main) return { trap: 'no function @main' };
  try {
    const r = main();
    return { code: typeof r === 'number' ? r : 0 };
  } catch (e) {
    if (e instanceof Exit) return { code: e.code };
    if (e instanceof WebAssembly.RuntimeError || e instanceof RangeError) return { trap: wasmTrap(e.message) };
    if (e instanceof Error && e.message.startsWith('trap: ')) return { trap: e.message.slice(6) };
    throw e;
  }
}

/** V8's trap messages in the interpreter's words. */
export function wasmTrap(msg: string): string {
  if (/divide by zero/.test(msg)) return 'integer divide by zero';
  if (/divide result unrepresentable|overflow/.test(msg)) return 'integer overflow';
  if (/out of bounds/.test(msg)) return 'out of bounds memory access';
  if (/call stack/.test(msg)) return 'call stack exhausted';
  if (/unreachable/.test(msg)) return 'stack overflow';
  return msg;
}
