// One-line text form of an Fcall, in the shape of Plan 9's fcallfmt, for traces and tests.

import type { Dir, Fcall, Qid } from './fcall.ts';
import { DMDIR, DMAPPEND, DMEXCL, DMSYMLINK, QTDIR, QTAPPEND, QTEXCL, QTAUTH, QTSYMLINK, QTTMP } from './constants.ts';

export function qidText(q: Qid): string {
  let t = '';
  if (q.type & QTDIR) t += 'd';
  if (q.type & QTAPPEND) t += 'a';
  if (q.type & QTEXCL) t += 'l';
  if (q.type & QTAUTH) t += 'A';
  if (q.type & QTTMP) t += 't';
  if (q.type & QTSYMLINK) t += 'L';
  return `(${q.path.toString(16).padStart(16, '0')} ${q.version} ${t})`;
}

export function modeText(m: number): string {
  let s = '';
  if (m & DMDIR) s += 'd';
  if (m & DMAPPEND) s += 'a';
  if (m & DMEXCL) s += 'l';
  if (m & DMSYMLINK) s += 'L';
  return s + (m & 0o777).toString(8).padStart(3, '0');
}

export function dirText(d: Dir): string {
  return `'${d.name}' '${d.uid}' '${d.gid}' '${d.muid}' q ${qidText(d.qid)} m ${modeText(d.mode)} at ${d.atime} mt ${d.mtime} l ${d.length} t ${d.type} d ${d.dev}`;
}

function dataText(d: Uint8Array): string {
  const n = Math.min(d.length, 32);
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = d[i]!;
    s += c >= 0x20 && c < 0x7f && c !== 0x27 ? String.fromCharCode(c) : c === 0x0a ? '\\n' : '.';
  }
  return `count ${d.length} '${s}${d.length > n ? '...' : ''}'`;
}

function valueText(k: string, v: unknown): string {
  if (v === undefined) return '';
  if (k === 'data') return dataText(v as Uint8Array);
  if (k === 'wname') { const a = v as string[]; return `nwname ${a.length}` + a.map((s, i) => ` ${i}:${s}`).join(''); }
  if (k === 'wqid') { const a = v as Qid[]; return `nwqid ${a.length}` + a.map((q, i) => ` ${i}:${qidText(q)}`).join(''); }
  if (k === 'qid' || k === 'aqid') return `${k} ${qidText(v as Qid)}`;
  if (k === 'stat') return `stat ${dirText(v as Dir)}`;
  if (k === 'perm' || (k === 'mode' && typeof v === 'number' && v > 0xff)) return `${k} ${modeText(v as number)}`;
  if (typeof v === 'string') return `${k} '${v}'`;
  if (typeof v === 'bigint') return `${k} ${v}`;
  if (typeof v === 'object' && v !== null) {
    return `${k} {` + Object.entries(v).map(([a, b]) => (a === 'qid' ? `qid ${qidText(b as Qid)}` : `${a} ${String(b)}`)).join(' ') + '}';
  }
  return `${k} ${String(v)}`;
}

/** e.g. `Twalk tag 3 fid 0 newfid 1 nwname 2 0:srv 1:cuda` */
export function fcallText(f: Fcall): string {
  let s = `${f.type} tag ${f.tag}`;
  for (const [k, v] of Object.entries(f)) {
    if (k === 'type' || k === 'tag') continue;
    const t = valueText(k, v);
    if (t) s += ' ' + t;
  }
  return s;
}
