// run file [arg ...]: run a compiled WebAssembly program (cohcc's output) from any file the
// caller can read, in this process (as exec would: a note to it ends the program), and end
// with its status. What the kiosk roles' shells use, where /bin is fixed: like rc running a
// script, it needs read access to the file, not exec.

import { wasmProgram, isWasm } from '../../kernel/wasm.ts';
import { UsageError } from '../flags.ts';
import { command } from '../io.ts';

export const run = command('run', 'file [arg ...]', async (c) => {
  const [, file, ...rest] = c.sys.args;
  if (!file) throw new UsageError();
  const bytes = await c.sys.readFile(file);
  if (!isWasm(bytes)) throw new Error(`${file}: not a WebAssembly program`);
  await c.out.flush();
  return (await wasmProgram(bytes, [file, ...rest])(c.sys)) ?? '';
});
