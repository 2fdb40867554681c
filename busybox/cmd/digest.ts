// The checksum commands (sha1sum, sha256sum) as one maker: NAME [-c] [file ...] prints
// `HASH  name` for each file ('-' or none: standard input, named '-'), in GNU's form (two
// spaces; Plan 9's sha1sum puts a tab). -c reads such lines from the files and checks them:
// `name: OK` or `name: FAILED` (`FAILED open or read` when the file cannot be read), then
// GNU's warnings on fd 2; the status fails when anything did not match or was unreadable.

import { createHash } from 'node:crypto';
import { DMDIR, OREAD } from '../../fs/9p/constants.ts';
import { Eisdir } from '../../fs/9p/errors.ts';
import type { Program } from '../../kernel/kernel.ts';
import { parseFlags } from '../flags.ts';
import type { Cmd } from '../io.ts';
import { command, errmsg, LineReader, Out, textOf } from '../io.ts';

/** The hex digest of an fd's remaining bytes (a directory is refused: its reads are stat records). */
async function digestFd(c: Cmd, algo: string, fd: number): Promise<string> {
  if (fd !== 0 && (await c.sys.fstat(fd)).mode & DMDIR) throw new Error(Eisdir);
  const h = createHash(algo);
  for (;;) {
    const d = await c.sys.read(fd, Out.CHUNK);
    if (d.length === 0) break;
    h.update(d);
  }
  return h.digest('hex');
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

async function check(c: Cmd, algo: string, hexlen: number, files: string[]): Promise<string> {
  const line = new RegExp(`^([0-9a-fA-F]{${hexlen}}) [ *](.+)$`);
  let bad = 0, unread = 0, mismatched = 0;
  for (const list of files.length ? files : ['-']) {
    const lfd = await c.open(list);
    if (lfd === undefined) continue;
    let good = 0, ill = 0;
    try {
      const r = new LineReader(c.sys, lfd, () => c.out.flush());
      for (let l = await r.next(); l; l = await r.next()) {
        const m = line.exec(l.text);
        if (!m) { ill++; continue; }
        good++;
        const name = textOf(m[2]!);
        let sum: string;
        try {
          const fd = name === '-' ? 0 : await c.sys.open(name, OREAD);
          try { sum = await digestFd(c, algo, fd); } finally { if (fd !== 0) await c.sys.close(fd); }
        } catch (e) {
          await c.warn(`${name}: ${errmsg(e)}`);
          await c.out.text(`${name}: FAILED open or read\n`);
          unread++;
          continue;
        }
        const ok = sum === m[1]!.toLowerCase();
        if (!ok) mismatched++;
        await c.out.text(`${name}: ${ok ? 'OK' : 'FAILED'}\n`);
      }
    } finally { await c.close(lfd); }
    // A list with no good line is reported as such, not line by line (GNU).
    if (good > 0) bad += ill;
    else {
      await c.warn(`${list === '-' ? "'standard input'" : list}: no properly formatted checksum lines found`);
      c.error = 'no checksums';
    }
  }
  if (bad) await c.warn(`WARNING: ${plural(bad, 'line is', 'lines are')} improperly formatted`);
  if (unread) await c.warn(`WARNING: ${plural(unread, 'listed file', 'listed files')} could not be read`);
  if (mismatched) await c.warn(`WARNING: ${plural(mismatched, 'computed checksum', 'computed checksums')} did NOT match`);
  return unread || mismatched ? 'checksum mismatch' : '';
}

/** A checksum command for one of node:crypto's algorithms. */
export function digestCommand(name: string, algo: string, hexlen: number): Program {
  return command(name, '[-c] [file ...]', async (c) => {
    const f = parseFlags(c.sys.args, { bools: 'c' });
    if (f.has('c')) return check(c, algo, hexlen, f.args);
    await c.eachInput(f.args, async (fd, path) => {
      try { await c.out.text(`${await digestFd(c, algo, fd)}  ${path}\n`); } catch (e) { await c.fail(path, e); }
    });
  });
}
