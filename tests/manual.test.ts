// The manual covers the node: every program in /bin, every kernel device and every service
// a node can start has a page (by file name, or listed on a page's NAME line).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeServices } from '../bin/services.ts';
import { userland } from '../bin/userland.ts';
import { boot } from '../kernel/boot.ts';
import { builtinServices } from '../kernel/services.ts';

const MAN = join(import.meta.dirname, '..', 'man');

/** section -> names documented there (files and NAME-line names). */
function index(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const sec of readdirSync(MAN)) {
    const names = new Set<string>();
    for (const f of readdirSync(join(MAN, sec))) {
      names.add(f);
      const text = readFileSync(join(MAN, sec, f), 'utf8');
      const m = /^NAME\n([^]*?)\s+-\s/m.exec(text);
      if (m) for (const n of m[1]!.split(/[,\s]+/)) if (n) names.add(n);
    }
    out.set(sec, names);
  }
  return out;
}

describe('the manual', () => {
  const idx = index();
  const has = (sec: string, name: string): boolean => idx.get(sec)?.has(name) ?? false;

  it('has a section 1 page for every program in /bin', () => {
    const missing = [...userland().keys()].filter((n) => !has('1', n));
    expect(missing).toEqual([]);
  });

  it('has a section 3 page for every kernel device, and section 4 for every service', async () => {
    const node = await boot({ role: 'QueenPrimary', programs: userland(), services: nodeServices(), env: {} });
    try {
      const services = new Set([...builtinServices().names(), ...nodeServices().names()]);
      const devices = [...node.kernel.devices.keys()].map((d) => d.slice(1)).filter((d) => !services.has(d));
      // A device's page is named for what it is (#| is pipe, #c cons, ...).
      const pageOf: Record<string, string> = { '|': 'pipe', c: 'cons', e: 'env', b: 'bin', s: 'srv', r: 'ramfs', d: 'dup', p: 'proc' };
      expect(devices.map((d) => pageOf[d] ?? d).filter((n) => !has('3', n))).toEqual([]);
      expect([...services].filter((n) => !has('4', n))).toEqual([]);
    } finally { await node.kernel.shutdown(); }
  });

  it('documents every ctl file a role can reach: some page names its path', async () => {
    const pages = readdirSync(MAN).flatMap((sec) => readdirSync(join(MAN, sec)).map((f) => readFileSync(join(MAN, sec, f), 'utf8')));
    const undocumented = new Set<string>();
    let seen = 0;
    for (const role of readdirSync(join(import.meta.dirname, '..', 'kernel', 'roles')).map((f) => f.replace(/\.role$/, ''))) {
      const node = await boot({ role, programs: userland(), services: nodeServices(), env: {} });
      try {
        const walk = async (dir: string, depth: number): Promise<void> => {
          let ents;
          try { ents = await node.sys.dirread(dir); } catch { return; }
          for (const d of ents) {
            const full = dir === '/' ? `/${d.name}` : `${dir}/${d.name}`;
            if (/^\/proc\/\d+$/.test(full) && d.name !== String(node.init.pid)) continue; // one process stands for all
            if (d.mode & 0x80000000) { if (depth < 5) await walk(full, depth + 1); continue; }
            if (!d.name.endsWith('ctl')) continue;
            seen++;
            const path = full.replace(/^\/proc\/\d+\//, '/proc/n/');
            if (!pages.some((t) => t.includes(path))) undocumented.add(path);
          }
        };
        await walk('/', 0);
      } finally { await node.kernel.shutdown(); }
    }
    expect(seen).toBeGreaterThan(9);
    expect([...undocumented]).toEqual([]);
  });
});
