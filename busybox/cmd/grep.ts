// grep [-chHilnqsvxEF] [-e pattern ...] [pattern] [file ...]: print the lines that match.
// Patterns are Plan 9 regular expressions (regexp.ts): + ? | ( ) are operators. grep asks only
// whether a line matches, which the JS translation answers as Plan 9 would (which match it
// finds differs, but no line's selection), so lines are tested by the JS engine. Without -E
// GNU BRE's \( \) \| \+ \? are operators as well; -E is strict Plan 9 (\c is c); -F is literal. Several -e patterns, or
// one with newlines, match when any does. Output follows GNU grep: NAME: prefixes when more
// than one file (-h: never, -H: always), -n line numbers, -c counts, -l names.
// Status: '' when a line was selected, 'no matches' when none, 'error' when a file could
// not be read (even with matches, as GNU's 2; only -q with a match wins over that).

import { DMDIR, OREAD } from '../../fs/9p/constants.ts';
import { Eisdir } from '../../fs/9p/errors.ts';
import { parseFlags, UsageError } from '../flags.ts';
import { bytestr, command, LineReader } from '../io.ts';
import { regexp } from '../regexp.ts';

const escapeFixed = (p: string): string => p.replace(/[\\.*+?[\]()|^$]/g, '\\$&');

export const grep = command('grep', '[-chHilnqsvxEF] [-e pattern] [pattern] [file ...]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'chHilnqsvxEF', values: 'e' });
  const args = [...f.args];
  let pats = f.values('e');
  if (!f.has('e')) {
    if (args.length === 0) throw new UsageError();
    pats = [args.shift()!];
  }
  const patterns = pats.flatMap((p) => bytestr(p).split('\n')).map((p) => (f.has('F') ? escapeFixed(p) : p));
  let re: { test(s: string): boolean };
  try {
    const opts = { icase: f.has('i'), gnuEscapes: !f.has('E') && !f.has('F') };
    const each = patterns.map((p) => regexp(p, opts));
    if (each.some((r) => r.risky)) {
      // A pattern JS would backtrack on exponentially ((a*)*b): the linear matcher, one
      // pattern at a time; for -x the leftmost-longest match must be the whole line.
      const whole = f.has('x');
      re = { test: (s) => each.some((r) => { const m = r.longest(s, 0); return m !== null && (!whole || (m.start === 0 && m.end === s.length)); }) };
    } else {
      const srcs = each.map((r) => r.source);
      const one = srcs.length === 1 ? srcs[0]! : srcs.map((s) => `(?:${s})`).join('|');
      re = new RegExp(f.has('x') ? `^(?:${one})$` : one);
    }
  } catch (e) {
    await c.warn(`bad regexp: ${(e as Error).message}`);
    return 'bad regexp';
  }

  const files = args;
  const prefix = f.has('H') || (files.length > 1 && !f.has('h'));
  const invert = f.has('v');
  let matched = false;
  let errors = false;
  for (const path of files.length ? files : ['-']) {
    const name = path === '-' ? '(standard input)' : path;
    let fd: number;
    if (path === '-') fd = 0;
    else {
      try {
        fd = await c.sys.open(path, OREAD);
        if ((await c.sys.fstat(fd)).mode & DMDIR) { await c.sys.close(fd); throw new Error(Eisdir); }
      } catch (e) {
        errors = true;
        if (!f.has('s')) await c.warn(`${path}: ${(e as Error).message}`);
        continue;
      }
    }
    try {
      const r = new LineReader(c.sys, fd, () => c.out.flush());
      let n = 0;
      let count = 0;
      for (;;) {
        const got = r.next();
        const l = got instanceof Promise ? await got : got;
        if (!l) break;
        n++;
        if (re.test(l.text) === invert) continue;
        count++;
        matched = true;
        if (f.has('q')) return '';
        if (f.has('l')) break;
        if (f.has('c')) continue;
        let pre = prefix ? `${bytestr(name)}:` : '';
        if (f.has('n')) pre += `${n}:`;
        const w = c.out.bytes(`${pre}${l.text}\n`);
        if (w) await w;
      }
      if (f.has('l')) { if (count) await c.out.text(`${name}\n`); } else if (f.has('c')) await c.out.text(`${prefix ? `${name}:` : ''}${count}\n`);
    } finally { if (fd !== 0) await c.sys.close(fd); }
  }
  if (errors && !(f.has('q') && matched)) return 'error';
  return matched ? '' : 'no matches';
});
