// Running rc source the way rc reads it: one top-level line at a time, each run before the
// next is parsed, so commands before a syntax error have run and the error names its line.

import { RcSyntaxError, ScriptParser } from './parse.ts';
import type { Shell } from './shell.ts';
import { RcExit } from './shell.ts';
import { printScript } from './print.ts';

/** Run a script's text in sh; a syntax error is reported and ends the script (status 'syntax error'). */
export async function runScript(sh: Shell, text: string, name: string): Promise<void> {
  const sp = new ScriptParser(text);
  const lines = sh.flags.has('v') ? text.split('\n') : [];
  let echoed = 0;
  // rc -v: each line on fd 2 as it is read (a command is read whole before it runs).
  const echo = async (upTo: number): Promise<void> => {
    if (!lines.length || upTo <= echoed) return;
    const part = lines.slice(echoed, upTo);
    echoed = upTo;
    const s = part.join('\n');
    if (s !== '' || upTo < lines.length) await sh.err(s);
  };
  for (;;) {
    let c;
    try { c = sp.next(); } catch (e) {
      if (!(e instanceof RcSyntaxError)) throw e;
      await echo(sp.lineNo);
      await sh.err(`rc: ${name}:${e.message.replace(/^rc:/, '')}`);
      sh.status = 'syntax error';
      throw new RcExit('syntax error');
    }
    await echo(c === undefined ? lines.length : sp.lineNo - 1);
    if (c === undefined) return;
    if (c !== null && sh.flags.has('r')) await sh.err(printScript(c)); // rc -r: the commands as parsed
    await sh.run(c);
  }
}
