// The POSIX ustar archive format (pax, IEEE 1003.1-2001), as tar writes and reads it: 512-byte
// headers of NUL-padded text and octal numbers, data padded to 512, two zero blocks at the
// end. A path too long for ustar's name and prefix fields goes in a pax 'x' header before
// its entry; reading also takes GNU's 'L' long names and base-256 numbers, so archives of
// GNU tar and busybox tar are read as they are.

export const BLOCK = 512;
/** GNU tar's record: archives are padded to a whole one. */
export const RECORD = 20 * BLOCK;

export interface TarHeader {
  name: string;
  /** Unix permission bits. */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  /** '0' file, '5' directory, '2' symlink, 'x' pax, 'L' GNU long name, ... */
  typeflag: string;
  linkname: string;
  uname: string;
  gname: string;
}

/** Overrides a pax 'x' header (or GNU 'L'/'K') gives the next entry. */
export type TarOverrides = Partial<Pick<TarHeader, 'name' | 'linkname' | 'size' | 'mtime' | 'uname' | 'gname'>>;

function putString(b: Buffer, off: number, len: number, s: string): void {
  Buffer.from(s, 'utf8').subarray(0, len).copy(b, off);
}

/** An octal field (len-1 digits and a NUL), or base-256 (GNU) when the value does not fit. */
function putNumber(b: Buffer, off: number, len: number, n: number): void {
  const s = Math.max(0, Math.floor(n)).toString(8);
  if (s.length < len) { putString(b, off, len, s.padStart(len - 1, '0')); return; }
  let v = BigInt(Math.floor(n));
  for (let i = len - 1; i > 0; i--) { b[off + i] = Number(v & 0xffn); v >>= 8n; }
  b[off] = 0x80;
}

function getString(b: Buffer, off: number, len: number): string {
  const f = b.subarray(off, off + len);
  const z = f.indexOf(0);
  return (z < 0 ? f : f.subarray(0, z)).toString('utf8');
}

function getNumber(b: Buffer, off: number, len: number): number {
  if (b[off]! & 0x80) {
    let v = BigInt(b[off]! & 0x7f);
    for (let i = 1; i < len; i++) v = (v << 8n) | BigInt(b[off + i]!);
    return Number(v);
  }
  const s = getString(b, off, len).trim();
  if (s !== '' && !/^[0-7]+$/.test(s)) throw new Error('bad number in tar header');
  return s === '' ? 0 : parseInt(s, 8);
}

function checksum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return sum;
}

/** Split a path into ustar's prefix and name fields, or undefined when it does not fit. */
export function splitName(path: string): [string, string] | undefined {
  const b = Buffer.from(path, 'utf8');
  if (b.length <= 100) return ['', path];
  for (let i = b.indexOf(0x2f); i >= 0; i = b.indexOf(0x2f, i + 1)) {
    if (i <= 155 && b.length - i - 1 <= 100 && b.length - i - 1 > 0) return [b.subarray(0, i).toString('utf8'), b.subarray(i + 1).toString('utf8')];
  }
  return undefined;
}

/** One 512-byte header. */
export function encodeHeader(h: TarHeader): Buffer {
  const b = Buffer.alloc(BLOCK);
  const [prefix, name] = splitName(h.name) ?? ['', h.name];
  putString(b, 0, 100, name);
  putNumber(b, 100, 8, h.mode);
  putNumber(b, 108, 8, h.uid);
  putNumber(b, 116, 8, h.gid);
  putNumber(b, 124, 12, h.size);
  putNumber(b, 136, 12, h.mtime);
  b.write(h.typeflag, 156, 'latin1');
  putString(b, 157, 100, h.linkname);
  b.write('ustar\x0000', 257, 'latin1');
  putString(b, 265, 32, h.uname);
  putString(b, 297, 32, h.gname);
  putString(b, 345, 155, prefix);
  b.write(checksum(b).toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return b;
}

/** A pax record, `LEN key=value\n`, whose LEN counts itself. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const blen = Buffer.byteLength(body, 'utf8');
  let n = blen + 1;
  while (String(n).length + blen !== n) n = String(n).length + blen;
  return `${n}${body}`;
}

/** Data padded to whole blocks. */
export function padded(data: Buffer): Buffer {
  const extra = (BLOCK - (data.length % BLOCK)) % BLOCK;
  return extra ? Buffer.concat([data, Buffer.alloc(extra)]) : data;
}

/** The blocks announcing an entry: a pax header first if its path needs one, then its own. */
export function entryHeaders(h: TarHeader): Buffer[] {
  if (splitName(h.name)) return [encodeHeader(h)];
  const records = Buffer.from(paxRecord('path', h.name), 'utf8');
  const base = h.name.replace(/\/+$/, '').split('/').at(-1) ?? 'x';
  const pax = encodeHeader({ ...h, name: `PaxHeaders/${base}`.slice(0, 100), typeflag: 'x', size: records.length, linkname: '' });
  return [pax, padded(records), encodeHeader({ ...h, name: h.name.slice(0, 100) })];
}

/** Whether a block is all zeros (the end of an archive). */
export function isZero(b: Buffer): boolean {
  for (const x of b) if (x !== 0) return false;
  return true;
}

/** Decode a header block (not a zero block); a bad checksum is an error. */
export function decodeHeader(b: Buffer): TarHeader {
  let want = -1;
  try { want = getNumber(b, 148, 8); } catch { /* not a number: not a header */ }
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) signed += i >= 148 && i < 156 ? 32 : (b[i]! << 24) >> 24;
  if (want !== checksum(b) && want !== signed) throw new Error('bad tar header checksum');
  const magic = b.subarray(257, 262).toString('latin1');
  const prefix = magic === 'ustar' ? getString(b, 345, 155) : '';
  const name = getString(b, 0, 100);
  return {
    name: prefix ? `${prefix}/${name}` : name,
    mode: getNumber(b, 100, 8) & 0o7777,
    uid: getNumber(b, 108, 8),
    gid: getNumber(b, 116, 8),
    size: getNumber(b, 124, 12),
    mtime: getNumber(b, 136, 12),
    typeflag: b[156] === 0 ? '0' : String.fromCharCode(b[156]!),
    linkname: getString(b, 157, 100),
    uname: getString(b, 265, 32),
    gname: getString(b, 297, 32),
  };
}

/** The overrides in a pax extended header's data. */
export function parsePax(data: Buffer): TarOverrides {
  const o: TarOverrides = {};
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp < 0) break;
    const len = Number(data.subarray(i, sp).toString('latin1'));
    if (!Number.isSafeInteger(len) || len <= 0) break;
    const rec = data.subarray(sp + 1, i + len - 1).toString('utf8');
    i += len;
    const eq = rec.indexOf('=');
    if (eq < 0) continue;
    const k = rec.slice(0, eq), v = rec.slice(eq + 1);
    if (k === 'path') o.name = v;
    else if (k === 'linkpath') o.linkname = v;
    else if (k === 'size') o.size = Number(v);
    else if (k === 'mtime') o.mtime = Math.floor(Number(v));
    else if (k === 'uname') o.uname = v;
    else if (k === 'gname') o.gname = v;
  }
  return o;
}

/** A Unix mode string as tar tv prints it: type letter and rwx, with setuid, setgid, sticky. */
export function unixModeString(typeflag: string, mode: number): string {
  let s = ({ '5': 'd', '2': 'l', '3': 'c', '4': 'b', '6': 'p' } as Record<string, string>)[typeflag] ?? '-';
  const special = [mode & 0o4000 ? 's' : '', mode & 0o2000 ? 's' : '', mode & 0o1000 ? 't' : ''];
  for (const [i, shift] of [6, 3, 0].entries()) {
    const b = (mode >> shift) & 7;
    s += (b & 4 ? 'r' : '-') + (b & 2 ? 'w' : '-');
    const x = (b & 1) !== 0;
    s += special[i] ? (x ? special[i] : special[i]!.toUpperCase()) : x ? 'x' : '-';
  }
  return s;
}
