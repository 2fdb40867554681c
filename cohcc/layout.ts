// Where things live in a program's memory, the same in every backend: one linear memory of
// MEMORY_BYTES; address 0 up to DATA_BASE left empty (so a zero pointer is no object); the
// module's data from DATA_BASE, each 8-aligned; the stack of alloca frames growing down
// from the top. A frame below the end of the data is a stack overflow (a trap).

import type { Func, Module } from './ir.ts';
import { sizeOf } from './ir.ts';
import type { Type } from './ir.ts';

export const PAGE = 65536;
export const MEMORY_PAGES = 64;
export const MEMORY_BYTES = MEMORY_PAGES * PAGE;
export const DATA_BASE = 1024;

const align8 = (n: number): number => (n + 7) & ~7;

export interface DataLayout { addr: Map<string, number>; end: number }

export function dataLayout(m: Module): DataLayout {
  const addr = new Map<string, number>();
  let at = DATA_BASE;
  for (const d of m.data) { addr.set(d.name, at); at = align8(at + d.bytes.length); }
  if (at > MEMORY_BYTES / 2) throw new Error(`data is ${at} bytes; at most ${MEMORY_BYTES / 2} fit`);
  return { addr, end: at };
}

export interface FrameLayout { offset: Map<string, number>; size: number }

/** Offsets of a function's allocas in its frame (by destination name), and the frame size. */
export function frameLayout(f: Func): FrameLayout {
  const offset = new Map<string, number>();
  let size = 0;
  for (const b of f.blocks) for (const i of b.insts) {
    if (i.op !== 'alloca' || i.dst === undefined || offset.has(i.dst)) continue;
    offset.set(i.dst, size);
    size = align8(size + sizeOf(i.type as Type) * (i.count ?? 1));
  }
  return { offset, size };
}
