// Plan 9 cleanname(2): lexical path cleaning. Walking '..' is lexical too (Plan 9 since 4e).

/** Already clean: rooted or not, no empty, '.' or '..' elements, no trailing slash (most names a program passes). */
const CLEAN = /^\/?(?:(?!\.\.?(?:\/|$))[^/]+(?:\/|$))*$/;

export function cleanname(p: string): string {
  if (p !== '' && p !== '/' && !p.endsWith('/') && CLEAN.test(p)) return p;
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const e of p.split('/')) {
    if (e === '' || e === '.') continue;
    if (e === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(e);
  }
  const s = out.join('/');
  return rooted ? '/' + s : s || '.';
}

/** Absolute, clean path of p seen from directory cwd. */
export function absPath(cwd: string, p: string): string {
  return cleanname(p.startsWith('/') ? p : `${cwd}/${p}`);
}

/** Path elements of an absolute clean path ('/' has none). */
export function elems(abs: string): string[] {
  return abs === '/' ? [] : abs.slice(1).split('/');
}

export function parentOf(abs: string): string {
  const i = abs.lastIndexOf('/');
  return i <= 0 ? '/' : abs.slice(0, i);
}

export function baseOf(abs: string): string {
  return abs === '/' ? '/' : abs.slice(abs.lastIndexOf('/') + 1);
}
