// sed [-nE] [-e script] ... [-f file] [script] [file ...]: the stream editor. The inputs are
// one stream of lines; each is read into the pattern space, the script runs over it
// (sedscript.ts), and unless -n (or a first script line of just #n) or a command deleted it
// the pattern space is printed. As GNU sed: a last line without a newline is printed without
// one, an empty match just after a match is not replaced (s/b*/x/g on abc gives xaxcx), n at
// the end quits, and so does N (printing the pattern space unless -n; POSIX and Plan 9
// print nothing). D with a newline in the pattern space deletes through it and starts the
// script again on what is left without reading a line; l shows the pattern space as GNU
// does: C escapes, other bytes as \ooo, folded with \ before the width, ended by $.
// Expressions are Plan 9's, also taking GNU BRE's \( \) \| \+ \? as operators; -E (or -r)
// makes them strict Plan 9, where \c is always the literal c. s replaces Plan 9's match, the
// leftmost and then longest (s/ab|abcd/X/ on abcd gives X), with Plan 9's submatches.

import { parseFlags, UsageError } from '../flags.ts';
import { bytestr, command } from '../io.ts';
import type { Line } from '../io.ts';
import type { Match, Plan9RegExp } from '../regexp.ts';
import { parseScript, SedError } from '../sedscript.ts';
import type { Addr, Repl, SedCmd } from '../sedscript.ts';

/** s/re/repl/: replace the nth match (and, with global, every later one); matches are Plan 9's. */
export function substitute(s: string, re: Plan9RegExp, repl: Repl, nth: number, global: boolean): string | undefined {
  let out = '';
  let copied = 0;
  let pos = 0;
  let prevEnd = -1;
  let k = 0;
  let did = false;
  while (pos <= s.length) {
    const m = re.longest(s, pos);
    if (!m) break;
    const { start, end } = m;
    if (end === start && start === prevEnd) { pos = start + 1; continue; }
    k++;
    if (k >= nth) {
      out += s.slice(copied, start);
      for (const p of repl) out += typeof p === 'string' ? p : group(s, m, p);
      copied = end;
      did = true;
      if (!global) break;
    }
    prevEnd = end;
    pos = end === start ? start + 1 : end;
  }
  return did ? out + s.slice(copied) : undefined;
}

/** Group n of a match; empty when the expression has no such group or it took no part. */
function group(s: string, m: Match, n: number): string {
  const a = m.caps[2 * n] ?? -1, b = m.caps[2 * n + 1] ?? -1;
  return a >= 0 && b >= a ? s.slice(a, b) : '';
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

/** The l command's text (byte string in, lines out, each but the last ending in \): width 0 never folds. */
export function listText(s: string, width = 70): string {
  let out = '';
  let col = 0;
  for (const ch of s) {
    const b = ch.charCodeAt(0);
    const e = ESCAPES[ch] ?? (b < 0x20 || b >= 0x7f ? `\\${b.toString(8).padStart(3, '0')}` : ch);
    // GNU folds before an escape that would reach the last column, so it stays whole.
    if (width > 0 && col + e.length > width - 1) { out += '\\\n'; col = 0; }
    out += e;
    col += e.length;
  }
  return out + '$';
}

export const sed = command('sed', '[-nE] [-e script] [-f file] [script] [file ...]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'nEr', values: 'ef' });
  const args = [...f.args];
  // Script pieces as byte strings: arguments are UTF-8 text, -f files are bytes already.
  const pieces = f.values('e').map(bytestr);
  for (const file of f.values('f')) pieces.push((await c.sys.readFile(file)).toString('latin1').replace(/\n$/, ''));
  if (!f.has('e') && !f.has('f')) {
    if (args.length === 0) throw new UsageError();
    pieces.push(bytestr(args.shift()!));
  }
  const script = pieces.join('\n');
  let cmds: SedCmd[];
  try { cmds = parseScript(script, f.has('E') || f.has('r')); } catch (e) {
    if (!(e instanceof SedError)) throw e;
    await c.warn(`-e expression: ${e.message}`);
    return 'bad script';
  }
  // POSIX: a script whose first line is exactly #n is run as with -n (GNU reads it so too).
  const quiet = f.has('n') || /^#n(\n|$)/.test(script);

  // The next line is read only when needed ($ and n), so sed answers a line as it comes.
  const input = c.lines(args);
  let peeked: IteratorResult<Line> | undefined;
  const fetch = async (): Promise<IteratorResult<Line>> => {
    const p = peeked ?? await input.next();
    peeked = undefined;
    return p;
  };
  const atEnd = async (): Promise<boolean> => {
    peeked ??= await input.next();
    return peeked.done === true;
  };
  let lineNo = 0;
  let pattern = '';
  let hold = '';
  let nl = true;
  let lastRe: Plan9RegExp | undefined;
  let missing = false; // the last thing written lacked its newline
  let appended: string[] = [];

  const emit = async (s: string, withNl: boolean): Promise<void> => {
    await c.out.bytes((missing ? '\n' : '') + s + (withNl ? '\n' : ''));
    missing = !withNl;
  };
  const flushAppended = async (): Promise<void> => {
    for (const t of appended) await emit(t, true);
    appended = [];
  };
  const test = (re: Plan9RegExp | undefined): boolean => {
    const r = re ?? lastRe;
    if (!r) throw new SedError('no previous regular expression');
    lastRe = r;
    // Only whether it matches: the JS translation answers that as Plan 9 would, and fast
    // (Plan9RegExp.exec takes the linear matcher where JS could backtrack exponentially).
    r.lastIndex = 0;
    return r.test(pattern);
  };
  const hit = async (a: Addr): Promise<boolean> => {
    switch (a.kind) {
      case 'line': return lineNo === a.n;
      case 'last': return atEnd();
      case 're': return test(a.re);
      case 'plus': return false;
    }
  };
  const selected = async (cmd: SedCmd): Promise<boolean> => {
    const { a1, a2 } = cmd;
    let r: boolean;
    if (!a1) r = true;
    else if (!a2) r = await hit(a1);
    else if (cmd.active) {
      r = true;
      if (a2.kind === 'line' ? lineNo >= a2.n : a2.kind === 'plus' ? lineNo >= cmd.end! : await hit(a2)) cmd.active = false;
    } else if (await hit(a1)) {
      r = true;
      cmd.active = true;
      cmd.end = lineNo + (a2.kind === 'plus' ? a2.n : 0);
      // An end already reached closes the range at once; an expression is tried from the next line.
      if ((a2.kind === 'line' && a2.n <= lineNo) || (a2.kind === 'plus' && a2.n === 0) || (a2.kind === 'last' && await atEnd())) cmd.active = false;
    } else r = false;
    return r !== cmd.negate;
  };

  let status = '';
  let quit = false;
  let tflag = false;
  let again = false; // D left a line in the pattern space: run the script on it, reading nothing
  while (!quit) {
    if (!again) {
      const got = await fetch();
      if (got.done) break;
      const cur: Line = got.value;
      lineNo++;
      pattern = cur.text;
      nl = cur.nl;
      tflag = false;
    }
    again = false;
    let deleted = false;
    for (let pc = 0; pc < cmds.length;) {
      const cmd = cmds[pc]!;
      if (!(await selected(cmd))) { pc = cmd.name === '{' ? cmd.jump! : pc + 1; continue; }
      pc++;
      switch (cmd.name) {
        case 'p': await emit(pattern, nl); break;
        case '=': await emit(String(lineNo), true); break;
        case 'd': deleted = true; pc = cmds.length; break;
        case 'D': {
          const i = pattern.indexOf('\n');
          if (i >= 0) { pattern = pattern.slice(i + 1); again = true; }
          deleted = true;
          pc = cmds.length;
          break;
        }
        case 'P': {
          const i = pattern.indexOf('\n');
          await (i < 0 ? emit(pattern, nl) : emit(pattern.slice(0, i), true));
          break;
        }
        case 'l': await emit(listText(pattern, cmd.code), true); break;
        case 'N': {
          if (await atEnd()) { quit = true; pc = cmds.length; break; }
          await flushAppended();
          const l = (await fetch()).value as Line;
          pattern += '\n' + l.text;
          nl = l.nl;
          lineNo++;
          break;
        }
        case 's': {
          const re = cmd.re ?? lastRe;
          if (!re) throw new SedError('no previous regular expression');
          lastRe = re;
          const r = substitute(pattern, re, cmd.repl!, cmd.nth!, cmd.global!);
          if (r !== undefined) {
            pattern = r;
            tflag = true;
            if (cmd.print) await emit(pattern, nl);
          }
          break;
        }
        case 'y': pattern = [...pattern].map((ch) => cmd.map!.get(ch) ?? ch).join(''); break;
        case 'q': quit = true; status = cmd.code ? String(cmd.code) : ''; pc = cmds.length; break;
        case 'Q': quit = true; deleted = true; status = cmd.code ? String(cmd.code) : ''; pc = cmds.length; break;
        case 'n': {
          if (await atEnd()) { quit = true; pc = cmds.length; break; }
          if (!quiet) await emit(pattern, nl);
          await flushAppended();
          const l = (await fetch()).value as Line;
          pattern = l.text;
          nl = l.nl;
          lineNo++;
          break;
        }
        case 'a': appended.push(cmd.text!); break;
        case 'i': await emit(cmd.text!, true); break;
        case 'c':
          if (!cmd.a2 || !cmd.active) await emit(cmd.text!, true);
          deleted = true;
          pc = cmds.length;
          break;
        case 'h': hold = pattern; break;
        case 'H': hold += '\n' + pattern; break;
        case 'g': pattern = hold; break;
        case 'G': pattern += '\n' + hold; break;
        case 'x': [pattern, hold] = [hold, pattern]; break;
        case 'b': pc = cmd.jump!; break;
        case 't': if (tflag) { tflag = false; pc = cmd.jump!; } break;
        default: break; // { } :
      }
    }
    if (!deleted && !quiet) await emit(pattern, nl);
    if (!again) await flushAppended();
  }
  return status;
});
