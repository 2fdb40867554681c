// kill name ... / slay name ...: as Plan 9's, print rc commands that end every process of
// that name owned by the caller, each commented with its ps line; pipe them to rc to act:
//
//   % kill sleep
//   echo kill>/proc/7/note # glenda            7    0:00   0:00        0K Running  sleep
//   % kill sleep | rc
//
// kill writes the note file (a note the process sees, and kill cannot be caught), slay the
// ctl file (the process is killed without a note to it).
//
// For convenience kill also takes process ids, Unix-style, and acts at once: `kill 7`,
// `kill -9 7`, `kill -s interrupt 7`. It writes the note to /proc/PID/note, which is what the
// printed commands do; without /proc in the namespace it asks the kernel (postnote), which
// allows notes to one's own descendants, or anyone's with proc g.

import { OWRITE } from '../../fs/9p/constants.ts';
import { Enoent } from '../../fs/9p/errors.ts';
import { Enoproc } from '../../kernel/errors.ts';
import { parseFlags, UsageError } from '../flags.ts';
import { command, errmsg } from '../io.ts';
import type { Cmd } from '../io.ts';
import { psLine, readProcs } from './proclist.ts';

/** Unix signal names and numbers, as the notes that mean the same here. */
const SIGNALS: Record<string, string> = {
  KILL: 'kill', '9': 'kill', TERM: 'kill', '15': 'kill', HUP: 'kill', '1': 'kill',
  INT: 'interrupt', '2': 'interrupt', kill: 'kill', interrupt: 'interrupt',
};

/** The note a -s value or -N stands for: a known signal, else the word itself (Plan 9 notes are strings). */
function noteOf(s: string): string {
  const k = s.replace(/^SIG/, '');
  const n = SIGNALS[k] ?? SIGNALS[k.toUpperCase()];
  if (n) return n;
  if (/^[0-9]+$/.test(s) || !/^[A-Za-z][A-Za-z0-9_:-]*$/.test(s)) throw new Error(`${s}: unknown signal`);
  return s;
}

/** The rc lines that end the caller's processes called name (written to `file` of each). */
async function commandsFor(c: Cmd, names: string[], file: 'note' | 'ctl'): Promise<void> {
  const procs = await readProcs(c.sys);
  const me = c.sys.user;
  for (const name of names) {
    for (const p of procs) {
      if (p.name === name && p.user === me) await c.out.text(`echo kill>/proc/${p.pid}/${file} # ${psLine(p)}\n`);
    }
  }
}

/** Post note to pid: through /proc/PID/note when there is a /proc, else the postnote call. */
async function postTo(c: Cmd, pid: number, note: string): Promise<void> {
  let fd: number | undefined;
  try {
    fd = await c.sys.open(`/proc/${pid}/note`, OWRITE);
  } catch (e) {
    if (errmsg(e) !== Enoent) throw e;
    // Either no such process, or no /proc here: the kernel tells which.
    let proc = true;
    try { await c.sys.stat('/proc'); } catch { proc = false; }
    if (proc) throw new Error(Enoproc);
    await c.sys.postnote(pid, note);
    return;
  }
  try { await c.sys.write(fd, note); } finally { await c.sys.close(fd); }
}

export const kill = command('kill', '[-l] [-s note | -NOTE | -N] pid ... | name ...', async (c) => {
  const argv = [...c.sys.args];
  // -KILL, -INT, -kill: a signal's name, which parseFlags would read as letters.
  if (argv[1] !== undefined && /^-[A-Za-z]{2,}$/.test(argv[1])) argv.splice(1, 1, '-s', argv[1].slice(1));
  const f = parseFlags(argv, { bools: 'l', values: 's', numeric: 's' });
  if (f.has('l')) {
    if (f.args.length) throw new UsageError();
    await c.out.text('kill interrupt\n');
    return;
  }
  if (f.args.length === 0) throw new UsageError();
  const signalled = f.has('s');
  let note = 'kill';
  if (signalled) {
    try { note = noteOf(f.value('s')!); } catch (e) { await c.warn(errmsg(e)); return 'usage'; }
  }
  const names: string[] = [];
  for (const a of f.args) {
    if (/^[0-9]+$/.test(a)) {
      try { await postTo(c, Number(a), note); } catch (e) { await c.fail(a, e); }
    } else if (signalled) {
      // With a signal the operands are process ids: a name here is a mistake, not a pattern.
      await c.fail(a, 'not a process id');
    } else names.push(a);
  }
  if (names.length) await commandsFor(c, names, 'note');
});

export const slay = command('slay', 'name ...', async (c) => {
  const f = parseFlags(c.sys.args, {});
  if (f.args.length === 0) throw new UsageError();
  await commandsFor(c, f.args, 'ctl');
});
