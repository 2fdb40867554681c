// Running rc source the way rc reads it: one top-level line at a time, each run before the
// next is parsed, so commands before a syntax error have run and the error names its line.

import { RcSyntaxError, ScriptParser } from './parse.ts';
import type { Shell } from './shell.ts';
import { RcExit } from './shell.ts';

/** Run a script's text in sh; a syntax error is reported and ends the script (status 'syntax error'). */
export async function runScript(sh: Shell, text: string, name: string): Promise<void> {
  const sp = new ScriptParser(text);
  for (;;) {
    let c;
    try { c = sp.next(); } catch (e) {
      if (!(e instanceof RcSyntaxError)) throw e;
      await sh.err(`rc: ${name}:${e.message.replace(/^rc:/, '')}`);
      sh.status = 'syntax error';
      throw new RcExit('syntax error');
    }
    if (c === undefined) return;
    await sh.run(c);
  }
}
