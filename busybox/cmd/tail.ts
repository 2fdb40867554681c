// tail [-fqrv] [-n [+-]lines | -lines | +lines] [-c [+-]bytes] [file ...]: the last 10 lines
// (or lines or bytes) of each file; a '+' count starts that far from the beginning instead.
// The old forms -5, +5, -5f, +2c, -3b, -2r are accepted. -r prints the lines in reverse order
// (Plan 9; the whole input unless a count is given). -f keeps reading each file for data
// appended to it (a pipe is not followed): the length is polled every POLL ms; a file that
// shrank was truncated and is read again from its start, and a name that leads to a new
// file (a rotated log) is opened again. A note ends -f with status 'interrupted', as ^C
// ends `tail -f /log/queen.log`.

import { parseFlags, UsageError } from '../flags.ts';
import { OREAD } from '../../fs/9p/constants.ts';
import { command, errmsg, LineReader, Out } from '../io.ts';
import type { Cmd } from '../io.ts';
import { displayName, Headers, openInput, parseCount } from './textutil.ts';
import type { Count } from './textutil.ts';

const POLL = 200;

/** The old argument forms: [+-]N[lbc][fr] as the first argument becomes flags. */
function oldStyle(argv: string[]): string[] {
  const a = argv[1];
  const m = a === undefined ? null : /^([+-])(\d*)([lbc]?)([fr]*)$/.exec(a);
  if (!m || (m[2] === '' && m[1] === '-') || a === '--') return argv;
  // Units: l lines, c bytes, b 512-byte blocks.
  const n = (m[1] === '+' ? '+' : '') + (m[2] || (m[1] === '+' ? '1' : '10')) + (m[3] === 'b' ? 'b' : '');
  const flags = [m[3] === 'c' || m[3] === 'b' ? '-c' : '-n', n];
  for (const ch of m[4]!) flags.push(`-${ch}`);
  return [argv[0]!, ...flags, ...argv.slice(2)];
}

/** Write the requested end of the input; the fd is left at its end, for -f. */
async function tailOf(c: Cmd, fd: number, count: Count, bytes: boolean, reverse: boolean): Promise<void> {
  if (bytes) {
    if (count.sign === '+') {
      let skip = Math.max(0, count.n - 1);
      for (;;) {
        const d = await c.sys.read(fd, Out.CHUNK);
        if (d.length === 0) break;
        if (skip >= d.length) { skip -= d.length; continue; }
        await c.out.raw(d.subarray(skip));
        skip = 0;
      }
      return;
    }
    let keep = Buffer.alloc(0);
    for (;;) {
      const d = await c.sys.read(fd, Out.CHUNK);
      if (d.length === 0) break;
      keep = Buffer.concat([keep, d]);
      if (keep.length > count.n) keep = keep.subarray(keep.length - count.n);
    }
    await c.out.raw(count.n === 0 ? Buffer.alloc(0) : keep);
    return;
  }
  const r = new LineReader(c.sys, fd, () => c.out.flush());
  const line = (l: { text: string; nl: boolean }): string => (l.nl || reverse ? `${l.text}\n` : l.text);
  if (count.sign === '+' && !reverse) {
    let n = 1;
    for (let l = await r.next(); l; l = await r.next()) if (n++ >= count.n) await c.out.bytes(line(l));
    return;
  }
  // A ring of the last lines.
  const ring: string[] = [];
  let n = 1;
  const limit = count.sign === '+' ? Infinity : count.n;
  for (let l = await r.next(); l; l = await r.next()) {
    if (count.sign === '+' && n++ < count.n) continue;
    ring.push(line(l));
    if (ring.length > limit) ring.shift();
  }
  if (reverse) ring.reverse();
  for (const s of ring) await c.out.bytes(s);
}

interface Followed {
  fd: number;
  name: string;
  /** The path to watch for a replaced file (a rotated log); none for standard input. */
  path: string | undefined;
  offset: number;
}

/** Copy what was appended to f's file since last time; whether there was any. */
async function drain(c: Cmd, f: Followed, headers: Headers): Promise<boolean> {
  let any = false;
  for (;;) {
    const d = await c.sys.read(f.fd, Out.CHUNK);
    if (d.length === 0) return any;
    await headers.show(f.name);
    await c.out.raw(d);
    f.offset += d.length;
    any = true;
  }
}

/**
 * One look at a followed file. A file shorter than what was read was truncated: read again
 * from its start. A name that now leads to another file (a log rotated: renamed away and made
 * anew) is opened again, once the old file's last bytes are out. Both are reported as GNU
 * reports truncation.
 */
async function poll(c: Cmd, f: Followed, headers: Headers): Promise<boolean> {
  const held = await c.sys.fstat(f.fd);
  if (held.length < f.offset) {
    await c.warn(`${f.name}: file truncated`);
    f.offset = await c.sys.seek(f.fd, 0, 0);
  }
  let grew = held.length > f.offset && await drain(c, f, headers);
  if (f.path === undefined) return grew;
  let named: number;
  try { named = (await c.sys.stat(f.path)).qid.path; } catch (e) {
    if (errmsg(e) === 'interrupted') throw e;
    return grew; // gone for now: keep the file we hold
  }
  if (named === held.qid.path) return grew;
  grew = (await drain(c, f, headers)) || grew;
  let fd: number;
  try { fd = await c.sys.open(f.path, OREAD); } catch (e) {
    if (errmsg(e) === 'interrupted') throw e;
    return grew;
  }
  await c.warn(`${f.name}: file truncated`);
  await c.sys.close(f.fd);
  f.fd = fd;
  f.offset = 0;
  return (await drain(c, f, headers)) || grew;
}

/** Poll the files for growth until a note arrives. */
async function follow(c: Cmd, files: Followed[], headers: Headers): Promise<string> {
  try {
    for (;;) {
      await c.out.flush();
      let grew = false;
      for (const f of files) grew = (await poll(c, f, headers)) || grew;
      if (!grew) {
        await c.out.flush();
        await c.sys.sleep(POLL);
      }
    }
  } catch (e) {
    if (errmsg(e) === 'interrupted') return 'interrupted';
    throw e;
  } finally {
    for (const f of files) if (f.fd !== 0) await c.sys.close(f.fd).catch(() => {});
  }
}

export const tail = command('tail', '[-fqrv] [-n [+-]lines | -c [+-]bytes] [file ...]', async (c) => {
  const f = parseFlags(oldStyle(c.sys.args), { bools: 'fqrv', values: 'nc', numeric: 'n' });
  const bytes = f.has('c');
  const reverse = f.has('r');
  if (bytes && reverse) throw new UsageError('-r counts lines');
  const spec = bytes ? f.value('c')! : f.value('n') ?? (reverse ? '+1' : '10');
  const parsed = parseCount(spec);
  if (!parsed) throw new UsageError(`invalid number of ${bytes ? 'bytes' : 'lines'}: ${spec}`);
  // -n -5 is -n 5, as GNU reads it.
  const count: Count = parsed.sign === '-' ? { sign: '', n: parsed.n } : parsed;
  const files = f.args.length ? f.args : ['-'];
  const headers = new Headers(c, f.has('v') || (files.length > 1 && !f.has('q')));
  const followed: Followed[] = [];
  for (const path of files) {
    const fd = await openInput(c, path);
    if (fd === undefined) continue;
    let keep = false;
    try {
      await headers.show(displayName(path));
      await tailOf(c, fd, count, bytes, reverse);
      // A pipe has nothing more to give once it ended.
      if (f.has('f') && !c.sys.fd2path(fd).startsWith('#|')) {
        followed.push({ fd, name: displayName(path), path: path === '-' ? undefined : path, offset: await c.sys.seek(fd, 0, 1) });
        keep = true;
      }
    } finally { if (!keep) await c.close(fd); }
  }
  if (followed.length === 0) return;
  return follow(c, followed, headers);
});
