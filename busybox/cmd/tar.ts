// tar {c|t|x}[v][f archive] [file ...]: POSIX ustar archives (see ustar.ts) that GNU tar and
// busybox read. The key is Plan 9's and old Unix's, with or without a '-'; the archive is
// standard input or output unless f names one ('-' is them too). c writes each file and
// directory tree (entries in byte order; directories as name/, leading '/' removed), t lists
// the entries (v: busybox's long form), x extracts them, making missing directories and
// setting modes and mtimes; a name with a '..' element is refused. Names given to t and x
// select members (and what lies under them). v lists what c and x do (on fd 2 when the
// archive is standard output). Plan 9 modes beyond rwx are not kept.

import { DMDIR, OREAD, OWRITE } from '../../fs/9p/constants.ts';
import type { Dir } from '../../fs/9p/fcall.ts';
import { parseFlags, UsageError } from '../flags.ts';
import type { Cmd } from '../io.ts';
import { byteOrder, command, openOutput, Out } from '../io.ts';
import { ByteReader } from './bytereader.ts';
import { join, sameFile, statMaybe } from './copytree.ts';
import { prefixes } from './mkdir.ts';
import { timeString } from './stat.ts';
import { BLOCK, decodeHeader, entryHeaders, isZero, padded, parsePax, RECORD, unixModeString } from './ustar.ts';
import type { TarHeader, TarOverrides } from './ustar.ts';

interface Writer {
  out: Out;
  /** The archive's own stat, so it is not put inside itself. */
  self: Dir | undefined;
  written: number;
  /** Where v lines go. */
  log: (s: string) => Promise<void>;
  verbose: boolean;
}

async function put(w: Writer, blocks: Buffer[]): Promise<void> {
  for (const b of blocks) { await w.out.raw(b); w.written += b.length; }
}

async function addTree(c: Cmd, w: Writer, path: string, name: string, d: Dir): Promise<void> {
  if (w.self && sameFile(d, w.self)) { await c.warn(`${path}: file is the archive; not dumped`); return; }
  const isDir = (d.mode & DMDIR) !== 0;
  const h: TarHeader = {
    name: isDir ? `${name.replace(/\/+$/, '')}/` : name, mode: d.mode & 0o777, uid: 0, gid: 0, size: 0,
    mtime: d.mtime, typeflag: isDir ? '5' : '0', linkname: '', uname: d.uid, gname: d.gid,
  };
  if (!isDir) {
    let data: Buffer;
    try { data = await c.sys.readFile(path); } catch (e) { await c.fail(path, e); return; }
    h.size = data.length;
    await put(w, [...entryHeaders(h), padded(data)]);
    if (w.verbose) await w.log(`${h.name}\n`);
    return;
  }
  await put(w, entryHeaders(h));
  if (w.verbose) await w.log(`${h.name}\n`);
  let entries: Dir[];
  try { entries = await c.sys.dirread(path); } catch (e) { await c.fail(path, e); return; }
  for (const e of entries.sort((a, b) => byteOrder(a.name, b.name))) await addTree(c, w, join(path, e.name), `${h.name}${e.name}`, e);
}

async function create(c: Cmd, archive: string, files: string[], verbose: boolean): Promise<void> {
  const fd = archive === '-' ? 1 : await openOutput(c.sys, archive);
  const toStdout = fd === 1;
  const w: Writer = {
    out: toStdout ? c.out : new Out(c.sys, fd),
    self: toStdout ? undefined : await c.sys.fstat(fd).catch(() => undefined),
    written: 0,
    log: toStdout ? async (s: string): Promise<void> => { await c.out.flush(); await c.sys.write(2, s); } : async (s: string): Promise<void> => { await c.out.text(s); },
    verbose,
  };
  let warned = false;
  try {
    for (const path of files) {
      let d: Dir;
      try { d = await c.sys.stat(path); } catch (e) { await c.fail(path, e); continue; }
      let name = path.replace(/^\/+/, '');
      if (name !== path && !warned) { warned = true; await c.warn("removing leading '/' from member names"); }
      if (name === '') name = '.';
      await addTree(c, w, path, name, d);
    }
    // Two zero blocks end the archive; GNU tar pads it to a whole record.
    const end = 2 * BLOCK + ((RECORD - ((w.written + 2 * BLOCK) % RECORD)) % RECORD);
    await put(w, [Buffer.alloc(end)]);
    await w.out.flush();
  } finally {
    if (!toStdout) await c.sys.close(fd);
  }
}

/** A member's name made safe to extract: relative, no '..'; undefined when refused. */
export function safeName(name: string): string | undefined {
  const n = name.replace(/^\/+/, '').replace(/\/+$/, '');
  if (n === '' || n.split('/').includes('..')) return undefined;
  return n;
}

/** mkdir -p, quietly content when the directories are there. */
async function makeDirs(c: Cmd, path: string): Promise<void> {
  for (const p of prefixes(path)) {
    const d = await statMaybe(c, p);
    if (!d) await c.sys.mkdir(p, 0o775);
  }
}

const EOF = 'unexpected end of archive';

/** Bytes of padding after n bytes of data. */
const padOf = (n: number): number => (BLOCK - (n % BLOCK)) % BLOCK;

/** Skip n bytes of data, and the padding after it. */
async function skipData(r: ByteReader, n: number): Promise<void> {
  for (let left = n + padOf(n); left > 0;) {
    const d = await r.read(Math.min(left, Out.CHUNK));
    if (d.length === 0) throw new Error(EOF);
    left -= d.length;
  }
}

/**
 * Write a member's data to path. The data is consumed whatever happens to the file, so a
 * file that cannot be written is reported and the archive read on; only its end is fatal.
 */
async function extractFile(c: Cmd, r: ByteReader, path: string, h: TarHeader): Promise<void> {
  let fd: number | undefined;
  let err: unknown;
  try {
    const slash = path.lastIndexOf('/');
    if (slash > 0) await makeDirs(c, path.slice(0, slash));
    fd = await c.sys.create(path, OWRITE, h.mode & 0o777);
  } catch (e) { err = e; }
  try {
    for (let left = h.size; left > 0;) {
      const d = await r.read(Math.min(left, Out.CHUNK));
      if (d.length === 0) throw new Error(EOF);
      if (fd !== undefined && err === undefined) await c.sys.write(fd, d).catch((e: unknown) => { err = e; });
      left -= d.length;
    }
    await r.read(padOf(h.size));
  } finally {
    if (fd !== undefined) await c.sys.close(fd).catch(() => {});
  }
  if (err === undefined) await c.sys.wstat(path, { mtime: h.mtime }).catch((e: unknown) => { err = e; });
  if (err !== undefined) await c.fail(path, err);
}

/** Whether a member is one of the names asked for, or lies under one (no names: all). */
export function selected(name: string, wanted: string[]): string | undefined {
  const n = name.replace(/\/+$/, '');
  return wanted.find((w) => n === w || n.startsWith(`${w}/`));
}

async function readArchive(c: Cmd, archive: string, extract: boolean, verbose: boolean, names: string[]): Promise<void> {
  const wanted = names.map((n) => n.replace(/\/+$/, ''));
  const found = new Set<string>();
  const fd = archive === '-' ? 0 : await c.sys.open(archive, OREAD);
  const r = new ByteReader(c.sys, fd, () => c.out.flush());
  const dirs: Array<{ path: string; h: TarHeader }> = [];
  let next: TarOverrides = {};
  try {
    for (;;) {
      const b = await r.read(BLOCK);
      if (b.length === 0 || isZero(b)) break;
      if (b.length < BLOCK) throw new Error(EOF);
      const h: TarHeader = { ...decodeHeader(b), ...next };
      next = {};
      if (h.typeflag === 'x' || h.typeflag === 'L' || h.typeflag === 'K') {
        const data = await r.read(h.size);
        if (data.length < h.size) throw new Error(EOF);
        await r.read(padOf(h.size));
        const text = data.toString('utf8').replace(/\0+$/, '');
        next = h.typeflag === 'x' ? parsePax(data) : h.typeflag === 'L' ? { name: text } : { linkname: text };
        continue;
      }
      // Links, devices, fifos and directories carry no data whatever their size says.
      const size = '123456'.includes(h.typeflag) ? 0 : h.size;
      if (h.typeflag === 'g') { await skipData(r, size); continue; }
      if (wanted.length) {
        const w = selected(h.name, wanted);
        if (w === undefined) { await skipData(r, size); continue; }
        found.add(w);
      }
      if (!extract) {
        await c.out.text(verbose
          ? `${unixModeString(h.typeflag, h.mode)} ${h.uname || h.uid}/${h.gname || h.gid} ${String(h.size).padStart(9)} ${timeString(h.mtime)} ${h.name}${h.typeflag === '2' ? ` -> ${h.linkname}` : ''}\n`
          : `${h.name}\n`);
        await skipData(r, size);
        continue;
      }
      const path = safeName(h.name);
      if (path === undefined) { await c.warn(`${h.name}: unsafe member name; skipped`); await skipData(r, size); continue; }
      if (verbose) await c.out.text(`${h.name}\n`);
      if (h.typeflag === '0' || h.typeflag === '7') { await extractFile(c, r, path, h); continue; }
      if (h.typeflag === '5') {
        try { await makeDirs(c, path); dirs.push({ path, h }); } catch (e) { await c.fail(path, e); }
      } else await c.warn(`${h.name}: entry type '${h.typeflag}' not supported; skipped`);
      await skipData(r, size);
    }
    // Directories get their modes and times last, innermost first, so filling them changed nothing.
    for (const { path, h } of dirs.reverse()) {
      try { await c.sys.wstat(path, { mode: (DMDIR | (h.mode & 0o777)) >>> 0, mtime: h.mtime }); } catch (e) { await c.fail(path, e); }
    }
  } finally {
    if (fd !== 0) await c.sys.close(fd);
  }
  for (const w of wanted) if (!found.has(w)) await c.fail(w, new Error('not found in archive'));
}

export const tar = command('tar', '{c|t|x}[v][f archive] [file ...]', async (c) => {
  const argv = [...c.sys.args];
  // The old key form, `tar cvf a.tar`, is the flag form without its '-'.
  if (argv[1] !== undefined && !argv[1].startsWith('-')) argv[1] = `-${argv[1]}`;
  const f = parseFlags(argv, { bools: 'ctxv', values: 'f' });
  const ops = ['c', 't', 'x'].filter((k) => f.has(k));
  if (ops.length !== 1) throw new UsageError();
  const archive = f.value('f') ?? '-';
  if (ops[0] === 'c') {
    if (f.args.length === 0) throw new Error('will not create an empty archive');
    await create(c, archive, f.args, f.has('v'));
    return;
  }
  try { await readArchive(c, archive, ops[0] === 'x', f.has('v'), f.args); } catch (e) { await c.fail(archive, e); }
});
