// The interactive loop: prompt, read a line, run it. Syntax errors and runtime errors are
// reported and the shell goes on; an incomplete command reads more lines with $prompt(2).
//
// On a console (/dev/consctl opens) lines are read in raw mode through rc's line editor
// (editing keys, history); raw mode is switched off while a command runs, so the command
// sees the console's cooked mode and ^C reaches it as an interrupt note. Elsewhere lines
// are read as they come from fd 0.

import { OWRITE, ORDWR } from '../kernel/sys.ts';
import type { Sys } from '../kernel/sys.ts';
import { History } from './history.ts';
import { LineEditor, readLine } from './lineedit.ts';
import type { EditEvent } from './lineedit.ts';
import { parse } from './parse.ts';
import type { Shell } from './shell.ts';
import { RcError, RcInterrupt } from './shell.ts';

interface LineSource {
  read(prompt: string): Promise<EditEvent>;
  close(): Promise<void>;
}

/** Lines from fd 0 as they come (a pipe, a file, a cooked console). */
function plainSource(sh: Shell): LineSource {
  let buf = '';
  return {
    async read(prompt) {
      await sh.write(1, prompt);
      for (;;) {
        const nl = buf.indexOf('\n');
        if (nl >= 0) {
          const text = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (sh.flags.has('v')) await sh.err(text); // rc -v: input echoed on fd 2 as it is read
          return { kind: 'line', text };
        }
        let b: Uint8Array;
        try { b = await sh.sys.read(sh.fds[0] ?? 0, 8192); } catch (e) {
          if ((e as Error).message === 'interrupted') { buf = ''; return { kind: 'interrupt' }; }
          b = new Uint8Array(0);
        }
        if (b.length === 0) { if (buf === '') return { kind: 'eof' }; const text = buf; buf = ''; return { kind: 'line', text }; }
        buf += Buffer.from(b).toString('utf8');
      }
    },
    async close() {},
  };
}

/** Is fd a console (a cons file)? */
export function isConsole(sys: Sys, fd: number): boolean {
  try { return /(^|\/)cons$/.test(sys.fd2path(fd)); } catch { return false; }
}

/** Lines through the editor, the console in raw mode while one is typed, when standard input
 * is the console (rc -i <file reads plainly). */
async function consoleSource(sh: Shell, history: History): Promise<LineSource | undefined> {
  const sys = sh.sys;
  if (!isConsole(sys, sh.fds[0] ?? 0)) return undefined;
  let ctl: number;
  try { ctl = await sys.open('/dev/consctl', ORDWR); } catch {
    try { ctl = await sys.open('/dev/consctl', OWRITE); } catch { return undefined; }
  }
  const ed = new LineEditor({ history });
  return {
    async read(prompt) {
      try {
        const st = Buffer.from(await sys.pread(ctl, 256, 0)).toString();
        const m = /size (\d+)x(\d+)/.exec(st);
        if (m) ed.cols = Number(m[1]);
      } catch { /* keep the old width */ }
      await sys.write(ctl, 'rawon');
      try {
        return await readLine(ed, prompt, async () => {
          try { return await sys.read(sh.fds[0] ?? 0, 4096); } catch (e) {
            if ((e as Error).message === 'interrupted') return new Uint8Array([3]);
            return new Uint8Array(0);
          }
        }, (b) => sh.write(1, b));
      } finally { await sys.write(ctl, 'rawoff').catch(() => 0); }
    },
    async close() { await sys.close(ctl).catch(() => {}); },
  };
}

export async function interactiveLoop(sh: Shell): Promise<void> {
  const history = new History(500);
  const src = (await consoleSource(sh, history)) ?? plainSource(sh);
  let acc = '';
  const ifs = { ifLast: false };
  try {
    for (;;) {
      const prompt = sh.vars.get('prompt') ?? [];
      const ev = await src.read(acc === '' ? (prompt[0] ?? '') : (prompt[1] ?? '\t'));
      sh.notes.splice(0);
      if (ev.kind === 'eof') return;
      if (ev.kind === 'interrupt') { acc = ''; sh.status = 'interrupted'; continue; }
      acc += ev.text + '\n';
      const r = parse(acc, ifs);
      if (!r.ok && r.incomplete) continue;
      acc = '';
      if (!r.ok) { await sh.err(r.error.message); sh.status = 'syntax error'; continue; }
      try {
        try { await sh.run(r.tree); } catch (e) {
          // A syscall cut short by the note (a read of `{...}'s pipe, say): the note decides.
          if (!(e instanceof Error) || e.message !== 'interrupted') throw e;
          if (!sh.notes.length) await new Promise((res) => setImmediate(res)); // the handler may not have run yet
          if (sh.notes.length) await sh.checkNotes();
          else throw new RcInterrupt('interrupt');
        }
      } catch (e) {
        if (e instanceof RcInterrupt) { sh.status = 'interrupted'; await sh.write(1, '\n'); continue; }
        if (e instanceof RcError) { await sh.err(`rc: ${e.message}`); sh.status = e.message; continue; }
        throw e;
      }
    }
  } finally { await src.close(); }
}
