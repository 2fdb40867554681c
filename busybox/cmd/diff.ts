// diff [-bwiq] [-e | -u | -U n] file1 file2: the lines that differ between two files. The
// default output is the normal format Plan 9 and GNU share (2c2, `< old`, `---`, `> new`);
// -u is GNU's unified format with 3 lines of context (-U n: n lines), -e an ed script, -q
// only says whether they differ. -b ignores changes in the amount of blank space, -w all
// blanks, -i ASCII case. A directory operand stands for the file of the other's name in it;
// '-' is standard input. The edit script is GNU's (myers.ts), so hunks come out as theirs.
// Status: '' when the files are the same, 'some' when they differ, 'error' on trouble.

import { DMDIR } from '../../fs/9p/constants.ts';
import { Eisdir } from '../../fs/9p/errors.ts';
import { parseFlags, UsageError } from '../flags.ts';
import { command, errmsg, readAll } from '../io.ts';
import type { Cmd } from '../io.ts';
import { editScript } from './myers.ts';
import type { Change } from './myers.ts';

interface Input {
  name: string;
  lines: string[];
  /** The last line has no newline. */
  partial: boolean;
  mtime: number;
}

const NONL = '\\ No newline at end of file\n';

async function load(c: Cmd, path: string, other: string): Promise<Input> {
  let name = path;
  if (path !== '-' && ((await c.sys.stat(path)).mode & DMDIR)) {
    if (other === '-' || ((await c.sys.stat(other)).mode & DMDIR)) throw new Error(Eisdir);
    name = `${path.replace(/\/+$/, '')}/${other.split('/').filter(Boolean).pop() ?? other}`;
  }
  const fd = name === '-' ? 0 : await c.sys.open(name, 0);
  try {
    const text = await readAll(c.sys, fd);
    const mtime = name === '-' ? Math.floor(Date.now() / 1000) : (await c.sys.fstat(fd)).mtime;
    const partial = text.length > 0 && !text.endsWith('\n');
    const lines = text === '' ? [] : (partial ? text : text.slice(0, -1)).split('\n');
    return { name, lines, partial, mtime };
  } finally { if (fd !== 0) await c.sys.close(fd); }
}

/** Lines as class numbers: equal (as the flags see them) lines get equal numbers. */
function classes(inputs: Input[], key: (s: string) => string): number[][] {
  const ids = new Map<string, number>();
  return inputs.map((f) => f.lines.map((l, i) => {
    // A last line without a newline differs from the same text with one, as in GNU diff.
    const k = key(l) + (f.partial && i === f.lines.length - 1 ? '\0nonl' : '');
    let id = ids.get(k);
    if (id === undefined) { id = ids.size; ids.set(k, id); }
    return id;
  }));
}

const range = (a: number, b: number): string => (a === b ? `${a}` : `${a},${b}`);

class Printer {
  readonly c: Cmd;
  readonly a: Input;
  readonly b: Input;
  constructor(c: Cmd, a: Input, b: Input) { this.c = c; this.a = a; this.b = b; }

  async line(f: Input, i: number, prefix: string): Promise<void> {
    await this.c.out.bytes(`${prefix}${f.lines[i]}\n`);
    if (f.partial && i === f.lines.length - 1) await this.c.out.bytes(NONL);
  }

  async normal(script: Change[]): Promise<void> {
    for (const ch of script) {
      const ra = range(ch.line0 + 1, ch.line0 + ch.deleted), rb = range(ch.line1 + 1, ch.line1 + ch.inserted);
      const head = !ch.inserted ? `${ra}d${ch.line1}` : !ch.deleted ? `${ch.line0}a${rb}` : `${ra}c${rb}`;
      await this.c.out.text(head + '\n');
      for (let i = 0; i < ch.deleted; i++) await this.line(this.a, ch.line0 + i, '< ');
      if (ch.deleted && ch.inserted) await this.c.out.text('---\n');
      for (let i = 0; i < ch.inserted; i++) await this.line(this.b, ch.line1 + i, '> ');
    }
  }

  async ed(script: Change[]): Promise<void> {
    for (const ch of [...script].reverse()) {
      const ra = range(ch.line0 + 1, ch.line0 + ch.deleted);
      await this.c.out.text(!ch.inserted ? `${ra}d\n` : !ch.deleted ? `${ch.line0}a\n` : `${ra}c\n`);
      if (!ch.inserted) continue;
      for (let i = 0; i < ch.inserted; i++) await this.c.out.bytes(`${this.b.lines[ch.line1 + i]}\n`);
      await this.c.out.text('.\n');
    }
  }

  async unified(script: Change[], context: number): Promise<void> {
    const stamp = (t: number): string => new Date(t * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '.000000000 +0000');
    await this.c.out.bytes(`--- ${this.a.name}\t${stamp(this.a.mtime)}\n+++ ${this.b.name}\t${stamp(this.b.mtime)}\n`);
    for (let k = 0; k < script.length;) {
      // A hunk: changes separated by at most 2*context unchanged lines.
      let last = k;
      while (last + 1 < script.length) {
        const p = script[last]!, n = script[last + 1]!;
        if (n.line0 - (p.line0 + p.deleted) >= 2 * context + 1) break;
        last++;
      }
      const first = script[k]!, end = script[last]!;
      const a0 = Math.max(0, first.line0 - context), b0 = Math.max(0, first.line1 - context);
      const a1 = Math.min(this.a.lines.length, end.line0 + end.deleted + context);
      const b1 = Math.min(this.b.lines.length, end.line1 + end.inserted + context);
      const num = (lo: number, n: number): string => (n === 1 ? `${lo + 1}` : n === 0 ? `${lo},0` : `${lo + 1},${n}`);
      await this.c.out.text(`@@ -${num(a0, a1 - a0)} +${num(b0, b1 - b0)} @@\n`);
      let i = a0;
      for (let q = k; q <= last; q++) {
        const ch = script[q]!;
        for (; i < ch.line0; i++) await this.line(this.a, i, ' ');
        for (let d = 0; d < ch.deleted; d++) await this.line(this.a, ch.line0 + d, '-');
        for (let d = 0; d < ch.inserted; d++) await this.line(this.b, ch.line1 + d, '+');
        i = ch.line0 + ch.deleted;
      }
      for (; i < a1; i++) await this.line(this.a, i, ' ');
      k = last + 1;
    }
  }
}

export const diff = command('diff', '[-bwiq] [-e | -u | -U n] file1 file2', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'bwiqeu', values: 'U' });
  if (f.args.length !== 2) throw new UsageError();
  const context = f.has('U') ? Number(f.value('U')) : 3;
  if (!Number.isInteger(context) || context < 0) throw new UsageError(`invalid context length ${f.value('U')}`);
  const [p1, p2] = f.args as [string, string];
  const inputs: Input[] = [];
  for (const [path, other] of [[p1, p2], [p2, p1]] as const) {
    try { inputs.push(await load(c, path, other)); } catch (e) {
      await c.warn(`${path}: ${errmsg(e)}`);
      return 'error';
    }
  }
  const [a, b] = inputs as [Input, Input];
  const key = (s: string): string => {
    if (f.has('w')) s = s.replace(/[ \t\v\f\r]+/g, '');
    else if (f.has('b')) s = s.replace(/[ \t\v\f\r]+/g, ' ').replace(/ $/, '');
    if (f.has('i')) s = s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
    return s;
  };
  const [ca, cb] = classes([a, b], key) as [number[], number[]];
  const unified = f.has('u') || f.has('U');
  const script = editScript(ca, cb, unified ? context : 0);
  if (script.length === 0) return '';
  const p = new Printer(c, a, b);
  if (f.has('q')) await c.out.bytes(`Files ${a.name} and ${b.name} differ\n`);
  else if (a.lines.concat(b.lines).some((l) => l.includes('\0'))) await c.out.bytes(`Binary files ${a.name} and ${b.name} differ\n`);
  else if (f.has('e')) await p.ed(script);
  else if (unified) await p.unified(script, context);
  else await p.normal(script);
  return 'some';
});
