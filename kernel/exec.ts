// exec's half of spawn: what program a path names in a process's namespace. A builtin's file
// (#b, `#!builtin NAME`), a #! script run by its interpreter, or a WebAssembly module
// (Coh_CC's output, run in a worker); anything else is refused.

import { OEXEC } from '../fs/9p/constants.ts';
import * as E from '../fs/9p/errors.ts';
import { Right } from './cap.ts';
import { absPath, baseOf } from './cleanname.ts';
import { BinDevice } from './dev/bin.ts';
import { Enoexec } from './errors.ts';
import type { Kernel, Program } from './kernel.ts';
import type { Proc } from './proc.ts';
import { isWasm, wasmProgram } from './wasm.ts';

/** A program found: what runs, the arguments an interpreter puts first, and its name. */
export interface Resolved { prog: Program; argv0: string[]; name: string }

/** Find the program for path in p's namespace: builtin marker, #! script, or refuse. */
export async function resolveProgram(k: Kernel, p: Proc, path: string): Promise<Resolved> {
  const full = path.includes('/') ? absPath(p.cwd, path) : `/bin/${path}`;
  const quick = builtinAt(k, p, full);
  if (quick !== undefined) return { prog: k.programs.get(quick)!, argv0: [], name: quick };
  const c = await p.ns.walk(full, p.ctx);
  let head: Buffer;
  try {
    c.check(Right.exec, `exec ${full}`);
    if (c.isDir) throw new Error(E.Eisdir);
    // A builtin's file in #b never changes (mode 0555, `#!builtin NAME`): no need to open and read it.
    const bin = c.cap.object === 'dev:#b' ? k.devices.get('#b')?.fs : undefined;
    const known = bin instanceof BinDevice ? bin.programAt(c.qid.path) : undefined;
    if (known !== undefined) return { prog: k.programs.get(known)!, argv0: [], name: known };
    await c.open(OEXEC);
    head = Buffer.from(await c.fid.pread(256, 0));
    // A WebAssembly module (Coh_CC's output) runs in a worker: kernel/wasm.ts.
    if (isWasm(head)) return { prog: wasmProgram(await c.fid.readAll()), argv0: [], name: baseOf(full) };
  } finally { await p.ns.drop(c); }
  const line = head.toString('latin1').split('\n')[0]!;
  const b = /^#!builtin (\S+)/.exec(line);
  if (b) {
    const prog = k.programs.get(b[1]!);
    if (!prog) throw new Error(`${Enoexec}: no builtin ${b[1]}`);
    return { prog, argv0: [], name: b[1]! };
  }
  if (line.startsWith('#!')) {
    const [interp, ...iargs] = line.slice(2).trim().split(/\s+/);
    if (!interp) throw new Error(Enoexec);
    const r = await resolveProgram(k, p, interp);
    return { prog: r.prog, argv0: [interp, ...iargs, full], name: r.name };
  }
  throw new Error(`${Enoexec}: ${full}`);
}

/**
 * The builtin program at full when the walk is certain to end in #b: full is /DIR/NAME,
 * nothing is bound at full itself, and the first member at /DIR is #b's directory (first
 * member wins in a union; #b's files never change). Answers what the walk would, with the
 * same capability checks, without two in-process 9P exchanges (Twalk and Tclunk) per spawn.
 */
function builtinAt(k: Kernel, p: Proc, full: string): string | undefined {
  const slash = full.lastIndexOf('/');
  if (slash <= 0 || full.indexOf('/', 1) !== slash) return undefined;
  const m = p.ns.membersAt(full.slice(0, slash))[0];
  if (!m || m.dyn || m.chan.cap.object !== 'dev:#b' || !m.chan.isDir || p.ns.membersAt(full).length) return undefined;
  const bin = k.devices.get('#b')?.fs;
  const name = bin instanceof BinDevice ? bin.programNamed(full.slice(slash + 1)) : undefined;
  if (name === undefined) return undefined;
  m.chan.check(Right.walk, 'walk');
  m.chan.check(Right.exec, `exec ${full}`);
  return name;
}
