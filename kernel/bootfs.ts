// #boot: the small read-only tree boot binds into a role's namespace: /srv/cohrole (the
// role's name) and an empty directory for every mount point a role's namespace lines need
// that no other device provides (/srv/cuda beside the posted channels of #s, /dev/hw beside
// #c, /worker/<id>, /sim/data). Boot unions the right directory of it where one is missing,
// with ordinary bind lines, so `ns` shows them.

import { Tree, dir, text } from '../fs/server/tree.ts';
import type { TreeDir } from '../fs/server/tree.ts';
import { elems } from './cleanname.ts';

export interface BootTreeOptions {
  /** The role's name, read at every open of /srv/cohrole. */
  cohrole: () => string;
  /** Clean absolute paths that must exist as directories (mount points). */
  mountPoints: Iterable<string>;
}

export function bootTree(opts: BootTreeOptions): Tree {
  const root = dir('/');
  const mkdirs = (path: string): TreeDir => {
    let d = root;
    for (const name of elems(path)) {
      let c = d.get(name);
      if (!c) { c = dir(name); d.add(c); }
      if (!c.isDir) throw new Error(`#boot: ${path}: ${name} is a file`);
      d = c as TreeDir;
    }
    return d;
  };
  mkdirs('/srv').add(text('cohrole', () => opts.cohrole()));
  for (const p of opts.mountPoints) if (p !== '/srv/cohrole' && p !== '/') mkdirs(p);
  return new Tree(root, { owner: 'sys' });
}
