// The state an awk program runs in: variables (global cells, and the frames of function
// calls), the current record and its fields, and the places assignments write to. Fields are
// split lazily, with the FS in force when the record was read; assigning a field or NF
// rebuilds $0 with OFS, assigning $0 splits again.

import type { Cmd } from '../io.ts';
import type { IndexRef, VarRef } from './ast.ts';
import { RegexCache } from './regex.ts';
import { splitFields } from './record.ts';
import { Streams } from './streams.ts';
import { numToStr, strnum, toNum, toStr, UNINIT } from './value.ts';
import type { Value } from './value.ts';

/** A run-time error: the message becomes awk's complaint and its exit status. */
export class AwkError extends Error {
  constructor(msg: string) { super(msg); this.name = 'AwkError'; }
}

/** A variable: a scalar, or an array; ref is the caller's untyped variable a parameter stands for. */
export class Cell {
  v: Value = UNINIT;
  arr: Map<string, Value> | undefined;
  ref: Cell | undefined;
}

/** Where an assignment goes, with subscripts and field numbers already evaluated. */
export type Place =
  | { k: 'cell'; cell: Cell; name: string }
  | { k: 'nf' }
  | { k: 'elem'; arr: Map<string, Value>; key: string }
  | { k: 'field'; i: number };

export class Runtime {
  readonly c: Cmd;
  readonly regs = new RegexCache();
  readonly streams: Streams;
  readonly globals = new Map<string, Cell>();
  /** The locals of the running function. */
  frame: Cell[] = [];
  // The special variables read by the machinery.
  readonly FS: Cell; readonly OFS: Cell; readonly ORS: Cell; readonly RS: Cell; readonly SUBSEP: Cell;
  readonly CONVFMT: Cell; readonly OFMT: Cell; readonly NR: Cell; readonly FNR: Cell;
  readonly RSTART: Cell; readonly RLENGTH: Cell; readonly FILENAME: Cell;
  #record = '';
  #recordValue: Value | undefined;
  #fields: Value[] | undefined;
  /** The FS (and paragraph mode) to split the current record with. */
  #splitFS = ' ';
  #paragraph = false;

  constructor(c: Cmd) {
    this.c = c;
    this.streams = new Streams(c);
    const init = (name: string, v: Value): Cell => { const cell = this.global(name); cell.v = v; return cell; };
    this.FS = init('FS', ' '); this.OFS = init('OFS', ' '); this.ORS = init('ORS', '\n'); this.RS = init('RS', '\n');
    this.SUBSEP = init('SUBSEP', '\x1c'); this.CONVFMT = init('CONVFMT', '%.6g'); this.OFMT = init('OFMT', '%.6g');
    this.NR = init('NR', 0); this.FNR = init('FNR', 0); this.RSTART = init('RSTART', 0); this.RLENGTH = init('RLENGTH', -1);
    this.FILENAME = init('FILENAME', '');
  }

  global(name: string): Cell {
    let cell = this.globals.get(name);
    if (!cell) { cell = new Cell(); this.globals.set(name, cell); }
    return cell;
  }

  cell(r: VarRef): Cell { return r.local >= 0 ? this.frame[r.local]! : this.global(r.name); }

  // Conversions under the current CONVFMT and OFMT.
  str(v: Value): string { return typeof v === 'string' ? v : toStr(v, this.convfmt()); }
  outStr(v: Value): string { return typeof v === 'number' ? numToStr(v, this.#fmt(this.OFMT)) : this.str(v); }
  convfmt(): string { return this.#fmt(this.CONVFMT); }
  #fmt(c: Cell): string { return typeof c.v === 'string' ? c.v : toStr(c.v, '%.6g'); }

  /** An array subscript: integers as integers, other numbers by CONVFMT. */
  subscript(v: Value): string {
    return typeof v === 'number' && Number.isInteger(v) ? numToStr(v, '%d') : this.str(v);
  }

  /** The array of a variable, made on first use (for a parameter, in the caller's variable). */
  arrayOf(cell: Cell, name: string): Map<string, Value> {
    if (cell.arr) return cell.arr;
    if (cell.ref) return (cell.arr = this.arrayOf(cell.ref, name));
    if (cell.v !== UNINIT) throw new AwkError(`can't use scalar ${name} as array`);
    return (cell.arr = new Map());
  }

  /** Whether a variable is an array, or a parameter standing for one. */
  isArray(cell: Cell): boolean { return cell.arr !== undefined || (cell.ref !== undefined && this.isArray(cell.ref)); }

  array(r: VarRef): Map<string, Value> { return this.arrayOf(this.cell(r), r.name); }

  readVar(r: VarRef): Value {
    if (r.local < 0 && r.name === 'NF') return this.nf();
    const cell = this.cell(r);
    if (cell.arr) throw new AwkError(`can't use array ${r.name} in scalar context`);
    return cell.v;
  }

  // The record.
  /** A new $0, to be split by the FS in force now (a later change of FS waits for the next record). */
  setRecord(s: string): void {
    this.#record = s;
    this.#recordValue = undefined;
    this.#fields = undefined;
    this.#splitFS = this.str(this.FS.v);
    this.#paragraph = this.str(this.RS.v) === '';
  }

  get record(): string { return this.#record; }

  #split(): Value[] {
    if (!this.#fields) this.#fields = splitFields(this.#record, this.#splitFS, this.regs, this.#paragraph).map(strnum);
    return this.#fields;
  }

  field(i: number): Value {
    if (i === 0) return (this.#recordValue ??= strnum(this.#record));
    const f = this.#split();
    return i <= f.length ? f[i - 1]! : UNINIT;
  }

  nf(): number { return this.#split().length; }

  #rebuild(): void {
    const ofs = this.str(this.OFS.v);
    this.#record = this.#fields!.map((v) => this.str(v)).join(ofs);
    this.#recordValue = undefined;
  }

  setField(i: number, v: Value): void {
    if (i === 0) { this.setRecord(this.str(v)); return; }
    const f = this.#split();
    while (f.length < i) f.push(UNINIT);
    f[i - 1] = v;
    this.#rebuild();
  }

  setNF(n: number): void {
    if (n < 0) throw new AwkError(`NF set to negative value ${n}`);
    const f = this.#split();
    while (f.length < n) f.push(UNINIT);
    f.length = n;
    this.#rebuild();
  }

  /** The field number an expression gives. */
  fieldIndex(v: Value): number {
    const n = Math.trunc(toNum(v));
    if (n < 0 || Number.isNaN(n)) throw new AwkError(`trying to access out of range field ${n}`);
    return n;
  }

  // Places.
  placeOfVar(r: VarRef): Place {
    if (r.local < 0 && r.name === 'NF') return { k: 'nf' };
    return { k: 'cell', cell: this.cell(r), name: r.name };
  }

  placeOfElem(r: IndexRef, key: string): Place { return { k: 'elem', arr: this.array(r.arr), key }; }

  get(p: Place): Value {
    switch (p.k) {
      case 'cell':
        if (p.cell.arr) throw new AwkError(`can't use array ${p.name} in scalar context`);
        return p.cell.v;
      case 'nf': return this.nf();
      case 'elem': {
        const v = p.arr.get(p.key);
        if (v === undefined) { p.arr.set(p.key, UNINIT); return UNINIT; }
        return v;
      }
      case 'field': return this.field(p.i);
    }
  }

  set(p: Place, v: Value): void {
    switch (p.k) {
      case 'cell':
        if (p.cell.arr) throw new AwkError(`can't assign to ${p.name}; it's an array name.`);
        p.cell.v = v;
        return;
      case 'nf': this.setNF(Math.trunc(toNum(v))); return;
      case 'elem': p.arr.set(p.key, v); return;
      case 'field': this.setField(p.i, v); return;
    }
  }
}

