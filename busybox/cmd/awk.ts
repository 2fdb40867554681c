// awk [-F fs] [-v var=value ...] [-f progfile ... | 'program'] [file or var=value ...]: the
// pattern-scanning language. The language lives in busybox/awk/ (lexer, parser, interpreter);
// this is its command line. -F sets FS ('t' means a tab, escapes are done); -v assigns before
// BEGIN; -f reads the program from files (several are joined). See man/1/awk for the subset.

import { parseFlags, UsageError } from '../flags.ts';
import { bytestr, command } from '../io.ts';
import { AwkSyntaxError } from '../awk/lexer.ts';
import { parse } from '../awk/parser.ts';
import { run } from '../awk/run.ts';
import type { Program } from '../awk/ast.ts';

export const awk = command('awk', "[-F fs] [-v var=value] [-f progfile | 'program'] [file ...]", async (c) => {
  const f = parseFlags(c.sys.args, { values: 'Fvf' });
  const operands = f.args.map(bytestr);
  let src: string;
  if (f.has('f')) {
    const parts: string[] = [];
    for (const p of f.values('f')) {
      try { parts.push((await c.sys.readFile(p)).toString('latin1')); } catch (e) {
        await c.fail(p, e);
        return 'error';
      }
    }
    src = parts.join('\n');
  } else {
    if (operands.length === 0) throw new UsageError();
    src = operands.shift()!;
  }
  let prog: Program;
  try { prog = parse(src); } catch (e) {
    if (!(e instanceof AwkSyntaxError)) throw e;
    await c.warn(e.message);
    return 'syntax error';
  }
  const assigns = f.values('v').map(bytestr);
  if (f.has('F')) {
    const fs = bytestr(f.value('F')!);
    assigns.unshift(`FS=${fs === 't' ? '\\t' : fs}`);
  }
  return run(c, prog, { assigns, operands });
});
