// srv [-abcq] dialstring [srvname [mountpoint]]: Plan 9's srv(4). Dial a 9P server, post the
// session in /srv as srvname (default: the dial string, a '/' in it turned to '_'), and with
// a mount point also mount it there (-a -b -c as mount's). When /srv/srvname is already
// there and a mount point is given, that session is mounted instead of dialing again; without
// one it is an error. srv says `post...` on its standard error before posting, unless -q.
//
// The kernel hands the capability to mount a posted session (srv:NAME) to the poster, this
// command: the mount it makes itself works, while a later `mount /srv/NAME` by the shell
// needs that capability too (see the man page).

import { parseFlags, UsageError } from '../flags.ts';
import { command, errmsg } from '../io.ts';
import { mountFlags } from './bind.ts';

/** Plan 9 names the post after the dial string; a '/' cannot be in a file name. */
export function srvName(dial: string): string {
  return dial.replace(/\/+/g, '_');
}

export const srv = command('srv', '[-abcq] dialstring [srvname [mountpoint]]', async (c) => {
  const f = parseFlags(c.sys.args, { bools: 'abcq' });
  if (f.args.length < 1 || f.args.length > 3) throw new UsageError();
  const [dial, given, mtpt] = f.args as [string, string | undefined, string | undefined];
  const flags = mountFlags(f);
  const name = given ?? srvName(dial);
  if (name === '' || name.includes('/') || name === '.' || name === '..') { await c.warn(`bad srvname '${name}'`); return 'usage'; }
  const path = `/srv/${name}`;
  let exists = true;
  try { await c.sys.stat(path); } catch { exists = false; }
  if (exists && mtpt === undefined) throw new Error(`${path} already exists`);
  if (!exists) {
    if (!f.has('q')) await c.sys.write(2, 'post...\n');
    try { await c.sys.srv(name, dial); } catch (e) { throw new Error(`${dial}: ${errmsg(e)}`); }
  }
  if (mtpt === undefined) return;
  try { await c.sys.mount(path, mtpt, flags, ''); } catch (e) { throw new Error(`mount ${path} ${mtpt}: ${errmsg(e)}`); }
});
