// One error type for everything the compiler refuses: it says where (file:line:col) and in
// what (function, block, instruction), so a bad program gets one clear message, never a crash.

import type { Pos } from './ir.ts';

export interface Where { func?: string; block?: string; inst?: string }

export class CohccError extends Error {
  readonly pos: Pos;
  readonly where: Where;
  readonly reason: string;
  file = '';

  constructor(reason: string, pos: Pos, where: Where = {}) {
    super(reason);
    this.reason = reason;
    this.pos = pos;
    this.where = where;
    this.message = this.text();
  }

  /** Name the file the source came from (the driver knows it, the parser does not). */
  inFile(file: string): this {
    this.file = file;
    this.message = this.text();
    return this;
  }

  text(): string {
    const at = this.pos.line ? `${this.file || 'input'}:${this.pos.line}:${this.pos.col}: ` : this.file ? `${this.file}: ` : '';
    const w: string[] = [];
    if (this.where.func) w.push(`func @${this.where.func}`);
    if (this.where.block) w.push(`block ${this.where.block}`);
    if (this.where.inst) w.push(`'${this.where.inst}'`);
    return `${at}${w.length ? w.join(', ') + ': ' : ''}${this.reason}`;
  }
}

/** A program that went wrong at run time (every backend traps on the same conditions). */
export class Trap extends Error {
  constructor(reason: string) { super(`trap: ${reason}`); }
}
