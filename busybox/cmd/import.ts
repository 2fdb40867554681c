// import [-abcw] [-s srvname] dialstring file [mountpoint]: Plan 9's import(4): put the remote
// node's file tree `file` at mountpoint here (default: the same name as the remote file).
//
// A Cohesix node exporting its namespace (`cohesix serve`, kernel/export.ts) serves the
// subtree named by the attach name as its root, so the import is one mount: the dial string
// with aname=file, and '..' cannot climb out of it, as with Plan 9's exportfs. For a 9P
// server that ignores attach names (a bare ramfs, u9fs) -w mounts the whole tree at
// /n/import.PID and binds its `file` at mountpoint: both stay in the namespace (ns shows the
// two lines). -s posts the session in /srv as srvname and mounts it from there. A dial
// string without a port gets cohesix serve's, 5640 (Plan 9 dials exportfs on 17007).

import { Ecapgrow } from '../../kernel/errors.ts';
import { cleanname } from '../../kernel/cleanname.ts';
import type { Sys } from '../../kernel/sys.ts';
import { MREPL } from '../../kernel/sys.ts';
import { parseFlags, UsageError } from '../flags.ts';
import { command, errmsg } from '../io.ts';
import { mountFlags } from './bind.ts';

export const IMPORT_PORT = 5640;

/** A dial string the mount call takes as one: tcp!host!port, unix!path, host:port, ws://... */
export function importAddr(s: string): string {
  if (s.startsWith('ws://') || s.startsWith('wss://') || s.startsWith('unix!')) return s;
  const parts = s.split('!');
  if (parts.length === 3) return s;
  if (parts.length === 2 && (parts[0] === 'tcp' || parts[0] === 'net')) return `tcp!${parts[1]}!${IMPORT_PORT}`;
  if (parts.length === 1 && /^[^/]+:[0-9]+$/.test(s)) return s;
  if (parts.length === 1 && s !== '' && !s.includes('/')) return `tcp!${s}!${IMPORT_PORT}`;
  throw new Error(`bad dial string '${s}'`);
}

/**
 * Mount dial string addr at old with aname. A role's net capability is `m` alone and the
 * kernel mints a dial mount's rights (rwlcdx) from it, which fails with `capability rights
 * cannot grow`; then the session goes through /srv as Plan 9's srv; mount; rm does: posted
 * under a private name, mounted from there, unposted (the mount keeps the session).
 */
async function mountDial(sys: Sys, addr: string, old: string, flags: number, aname: string): Promise<void> {
  try { await sys.mount(addr, old, flags, aname); return; } catch (e) {
    if (errmsg(e) !== Ecapgrow) throw e;
  }
  const name = `import.${sys.pid}.${old.replace(/\//g, '_')}`;
  await sys.srv(name, addr);
  try { await sys.mount(`/srv/${name}`, old, flags, aname); } finally {
    await sys.remove(`/srv/${name}`).catch(() => {}); // no /srv here: the post stays, harmless
  }
}

export const importCmd = command('import', '[-abcw] [-s srvname] dialstring file [mountpoint]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'abcw', values: 's' });
  if (f.args.length < 2 || f.args.length > 3) throw new UsageError();
  const [dial, file, mtpt = file] = f.args as [string, string, string | undefined];
  const flags = mountFlags(f);
  if (!file.startsWith('/')) { await c.warn(`${file}: the remote file must be an absolute path`); return 'usage'; }
  const remote = cleanname(file);
  let addr: string;
  try { addr = importAddr(dial); } catch (e) { await c.warn(errmsg(e)); return 'usage'; }

  const srvname = f.value('s');
  if (srvname !== undefined) {
    try { await c.sys.srv(srvname, addr); } catch (e) { throw new Error(`post /srv/${srvname}: ${errmsg(e)}`); }
  }
  // From the posted session (-s), else from the dial string.
  const mountAt = (old: string, fl: number, aname: string): Promise<void> =>
    srvname !== undefined ? c.sys.mount(`/srv/${srvname}`, old, fl, aname) : mountDial(c.sys, addr, old, fl, aname);
  if (!f.has('w')) {
    // The attach name picks the subtree: the server's '/' is the remote file.
    try { await mountAt(mtpt, flags, remote === '/' ? '' : remote); } catch (e) { throw new Error(`${dial} ${remote}: ${errmsg(e)}`); }
    return;
  }
  const tmp = `/n/import.${c.sys.pid}`;
  try { await mountAt(tmp, MREPL, ''); } catch (e) { throw new Error(`${dial}: ${errmsg(e)}`); }
  try { await c.sys.bind(tmp + (remote === '/' ? '' : remote), mtpt, flags); } catch (e) {
    await c.sys.unmount(undefined, tmp).catch(() => {});
    throw new Error(`${dial} ${remote}: ${errmsg(e)}`);
  }
});
