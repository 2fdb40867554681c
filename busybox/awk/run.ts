// Running a parsed program: BEGIN actions, then each record of the input through the
// pattern-action items, then END actions. The input is the operands in ARGV, read when they
// are reached (so BEGIN may change ARGV): a name=value operand assigns, '-' is standard
// input, and with no file operand at all standard input is read. exit runs the END actions
// (unless it is in one); its value is the status.

import { OREAD } from '../../fs/9p/constants.ts';
import { errmsg } from '../io.ts';
import type { Cmd } from '../io.ts';
import { envValue } from '../cmd/env.ts';
import type { Program, Stmt } from './ast.ts';
import { EXIT, Interp, Jump, NEXT, NEXTFILE, NORMAL } from './interp.ts';
import type { MainInput } from './interp.ts';
import { unescape } from './lexer.ts';
import { RecordReader } from './record.ts';
import { strnum, toBool, toNum } from './value.ts';

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=([^]*)$/;

/** name=value, from -v or an operand: the value's escapes are done and it may be a strnum. */
export function assignment(ip: Interp, arg: string): boolean {
  const m = ASSIGNMENT.exec(arg);
  if (!m) return false;
  ip.global(m[1]!).v = strnum(unescape(m[2]!));
  return true;
}

class ArgvInput implements MainInput {
  readonly #ip: Interp;
  #next = 1;
  #reader: RecordReader | undefined;
  #usedFile = false;

  constructor(ip: Interp) { this.#ip = ip; }

  async next(): Promise<string | undefined> {
    for (;;) {
      if (!this.#reader && !(await this.#open())) return undefined;
      const r = await this.#reader!.next(this.#ip.str(this.#ip.RS.v), this.#ip.regs);
      if (r !== undefined) return r;
      await this.skipFile();
    }
  }

  async skipFile(): Promise<void> {
    if (this.#reader && this.#reader.fd !== 0) await this.#ip.c.sys.close(this.#reader.fd).catch(() => {});
    this.#reader = undefined;
  }

  async #open(): Promise<boolean> {
    const ip = this.#ip;
    const sys = ip.c.sys;
    const argv = ip.arrayOf(ip.global('ARGV'), 'ARGV');
    const flush = (): Promise<void> => ip.c.out.flush();
    while (this.#next < toNum(ip.global('ARGC').v)) {
      const v = argv.get(String(this.#next++));
      const arg = v === undefined ? '' : ip.str(v);
      if (arg === '' || assignment(ip, arg)) continue;
      this.#usedFile = true;
      let fd = 0;
      if (arg !== '-' && arg !== '/dev/stdin') {
        try { fd = await sys.open(arg, OREAD); } catch (e) {
          await ip.c.warn(`can't open file ${arg}: ${errmsg(e)}`);
          ip.c.error = 'error';
          continue;
        }
      }
      ip.FILENAME.v = arg;
      ip.FNR.v = 0;
      this.#reader = new RecordReader(sys, fd, flush);
      return true;
    }
    if (this.#usedFile) return false;
    this.#usedFile = true;
    ip.FNR.v = 0;
    this.#reader = new RecordReader(sys, 0, flush);
    return true;
  }
}

async function block(ip: Interp, body: Stmt[]): Promise<number> {
  try { return await ip.execAll(body); } catch (e) {
    if (e instanceof Jump) return e.code;
    throw e;
  }
}

/** One record through the items; NORMAL, EXIT or NEXTFILE. */
async function items(ip: Interp, prog: Program, active: boolean[]): Promise<number> {
  for (const [i, it] of prog.items.entries()) {
    let hit: boolean;
    if (it.end) {
      if (active[i]) {
        hit = true;
        if (toBool(await ip.ev(it.end))) active[i] = false;
      } else if (toBool(await ip.ev(it.pattern!))) {
        hit = true;
        active[i] = !toBool(await ip.ev(it.end));
      } else hit = false;
    } else hit = it.pattern ? toBool(await ip.ev(it.pattern)) : true;
    if (!hit) continue;
    if (!it.action) {
      await ip.c.out.bytes(ip.record + ip.str(ip.ORS.v));
      continue;
    }
    const code = await block(ip, it.action);
    if (code === NEXT) return NORMAL;
    if (code === EXIT || code === NEXTFILE) return code;
  }
  return NORMAL;
}

export interface RunOptions {
  /** -v assignments, name=value. */
  assigns: string[];
  /** The operands after the program: files and name=value. */
  operands: string[];
}

/** Run prog; its exit status ('' for 0). */
export async function run(c: Cmd, prog: Program, opts: RunOptions): Promise<string> {
  const ip = new Interp(c, prog);
  const argv = ip.arrayOf(ip.global('ARGV'), 'ARGV');
  argv.set('0', 'awk');
  opts.operands.forEach((a, i) => argv.set(String(i + 1), strnum(a)));
  ip.global('ARGC').v = opts.operands.length + 1;
  if (prog.usesEnviron) {
    const env = ip.arrayOf(ip.global('ENVIRON'), 'ENVIRON');
    try {
      for (const d of await c.sys.dirread('/env')) {
        try { env.set(d.name, strnum(envValue((await c.sys.readFile(`/env/${d.name}`)).toString('latin1')))); } catch { /* gone */ }
      }
    } catch { /* no /env */ }
  }
  for (const a of opts.assigns) if (!assignment(ip, a)) throw new Error(`improper assignment: -v ${a}`);
  const input = new ArgvInput(ip);
  ip.input = input;
  try {
    let code = NORMAL;
    for (const b of prog.begin) if ((code = await block(ip, b)) === EXIT) break;
    if (code !== EXIT && (prog.items.length || prog.end.length)) {
      const active = prog.items.map(() => false);
      for (;;) {
        const rec = await input.next();
        if (rec === undefined) break;
        ip.NR.v = toNum(ip.NR.v) + 1;
        ip.FNR.v = toNum(ip.FNR.v) + 1;
        ip.setRecord(rec);
        try { code = await items(ip, prog, active); } catch (e) {
          if (!(e instanceof Jump)) throw e;
          code = e.code === NEXT ? NORMAL : e.code;
        }
        if (code === EXIT) break;
        if (code === NEXTFILE) await input.skipFile();
      }
    }
    for (const b of prog.end) if ((await block(ip, b)) === EXIT) break;
  } finally {
    await ip.streams.closeAll();
    await input.skipFile();
  }
  return ip.exitCode ? String(ip.exitCode) : '';
}
