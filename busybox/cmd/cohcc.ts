// cohcc [-O0|-O1|-O2] [--emit ir|wat|wasm|c] [--time-passes] [-o out] file: Coh_CC inside
// Cohesix. Reads the IR (text or upstream's JSON) from the namespace, writes the output
// (a WebAssembly module is made executable: put it in a directory bound on /bin and rc runs
// it), and appends the build's sha256 to /log/cohcc_builds.log when /log exists.

import { createHash } from 'node:crypto';
import { compile } from '../../cohcc/compile.ts';
import { CohccError } from '../../cohcc/error.ts';
import { CC_USAGE, CcUsage, defaultOut, parseCcArgs } from '../../cohcc/cli.ts';
import { statsText } from '../../cohcc/passes/manager.ts';
import { OWRITE } from '../../fs/9p/constants.ts';
import type { Sys } from '../../kernel/sys.ts';
import { UsageError } from '../flags.ts';
import { command } from '../io.ts';

const BUILD_LOG = '/log/cohcc_builds.log';

async function appendLog(sys: Sys, line: string): Promise<void> {
  try { await sys.stat('/log'); } catch { return; } // no /log here: nothing to record into
  let fd: number;
  try { fd = await sys.open(BUILD_LOG, OWRITE); await sys.seek(fd, 0, 2); } catch { fd = await sys.create(BUILD_LOG, OWRITE, 0o664); }
  try { await sys.write(fd, line); } finally { await sys.close(fd); }
}

export const cohcc = command('cohcc', CC_USAGE, async (c) => {
  let a;
  try { a = parseCcArgs(c.sys.args.slice(1)); } catch (e) {
    if (e instanceof CcUsage) throw new UsageError(e.message); // the usage line says it all, as every command's does
    throw e;
  }
  const src = (await c.sys.readFile(a.input)).toString('utf8');
  let r;
  try { r = compile(src, { opt: a.opt, emit: a.emit, verify: a.verify, file: a.input }); } catch (e) {
    if (e instanceof CohccError) { await c.sys.write(2, `cohcc: ${e.message}\n`); return 'error'; }
    throw e;
  }
  const out = a.out ?? defaultOut(a.input, a.emit);
  const bytes = typeof r.output === 'string' ? Buffer.from(r.output) : r.output;
  await c.sys.writeFile(out, bytes, a.emit === 'wasm' ? 0o775 : 0o664);
  if (a.timePasses) await c.sys.write(2, statsText(r.stats));
  const sha = createHash('sha256').update(bytes).digest('hex');
  await appendLog(c.sys, JSON.stringify({ time: new Date().toISOString(), user: c.sys.user, input: a.input, output: out, opt: a.opt, emit: a.emit, bytes: bytes.length, sha256: sha }) + '\n');
});
