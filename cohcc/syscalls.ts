// The syscall ABI a compiled program sees: functions it calls by name (`call i32 @write(1,
// @msg, 6)`), the same in the interpreter, in WebAssembly (imports from module "cohesix")
// and in C (POSIX calls). Paths are NUL-terminated strings in memory; a failing call returns
// -1 (and errstr copies the last error). Open modes are Plan 9's: OREAD 0, OWRITE 1, ORDWR 2,
// OTRUNC 16.

import type { RetType, Type } from './ir.ts';

export interface SyscallSig { params: Type[]; ret: RetType }

export const SYSCALLS: Readonly<Record<string, SyscallSig>> = {
  open: { params: ['ptr', 'i32'], ret: 'i32' },
  create: { params: ['ptr', 'i32', 'i32'], ret: 'i32' },
  read: { params: ['i32', 'ptr', 'i32'], ret: 'i32' },
  write: { params: ['i32', 'ptr', 'i32'], ret: 'i32' },
  pread: { params: ['i32', 'ptr', 'i32', 'i64'], ret: 'i32' },
  pwrite: { params: ['i32', 'ptr', 'i32', 'i64'], ret: 'i32' },
  seek: { params: ['i32', 'i64', 'i32'], ret: 'i64' },
  close: { params: ['i32'], ret: 'i32' },
  remove: { params: ['ptr'], ret: 'i32' },
  /** Never returns: ends the process with status n (0 is success). */
  exits: { params: ['i32'], ret: 'void' },
  argc: { params: [], ret: 'i32' },
  /** Copy argument i (no NUL) into buf, at most n bytes; its full length, or -1 if there is no such argument. */
  argv: { params: ['i32', 'ptr', 'i32'], ret: 'i32' },
  /** Copy the last error string into buf, at most n bytes; its length. */
  errstr: { params: ['ptr', 'i32'], ret: 'i32' },
};

export const SYSCALL_NAMES: readonly string[] = Object.keys(SYSCALLS);

export const OREAD = 0, OWRITE = 1, ORDWR = 2, OTRUNC = 16;

/**
 * What runs a program's syscalls, synchronously (the interpreter and WebAssembly cannot
 * wait): the in-memory host for tests, or the worker side of the kernel runner.
 * Buffers are passed as byte arrays; results as the call's return value. The data of
 * write and pwrite is a view of the program's memory, valid only during the call: a host
 * that keeps the bytes copies them (MemHost does; the kernel's worker copies them into its
 * shared buffer).
 */
export interface SyncHost {
  open(path: string, mode: number): number;
  create(path: string, mode: number, perm: number): number;
  read(fd: number, n: number): Uint8Array | number;
  write(fd: number, data: Uint8Array): number;
  pread(fd: number, n: number, off: bigint): Uint8Array | number;
  pwrite(fd: number, data: Uint8Array, off: bigint): number;
  seek(fd: number, off: bigint, whence: number): bigint;
  close(fd: number): number;
  remove(path: string): number;
  args: string[];
  errstr(): string;
}

/** Thrown by exits(): unwinds the interpreter or the wasm instance with the status. */
export class Exit extends Error {
  readonly code: number;
  constructor(code: number) { super(`exits ${code}`); this.code = code; }
}
