import { describe, expect, it } from 'vitest';
import { Esrvcreate, SrvDevice, srvText } from './srv.ts';
import { Client } from '../../fs/client/index.ts';
import { Ramfs } from '../../fs/server/ramfs.ts';
import { Server } from '../../fs/server/server.ts';
import { linkPair } from '../../fs/transport/pair.ts';
import { OREAD, OWRITE } from '../../fs/9p/constants.ts';
import { nullDir } from '../../fs/9p/fcall.ts';
import { Enoent, Eperm } from '../../fs/9p/errors.ts';
import { ALL_RIGHTS, Right } from '../cap.ts';
import type { Kernel } from '../kernel.ts';
import { MCREATE, MREPL } from '../sys.ts';
import { boot, errOf, req, str } from './testing.ts';

/** A client of a fresh ramfs, as the srv command would post. */
async function ramClient(): Promise<Client> {
  const [a, b] = linkPair();
  new Server(new Ramfs({ owner: 'glenda' })).serve(a);
  return Client.connect(b, { uname: 'glenda' });
}

const MDEV = { type: 0x4d, dev: 0 };

function device(): { srv: SrvDevice; posted: Kernel['posted'] } {
  const posted: Kernel['posted'] = new Map();
  return { srv: new SrvDevice({ posted, bootTime: Date.now(), unpost: (n) => { posted.delete(n); } }), posted };
}

describe('#s directly', () => {
  it('lists posted names; each file is a line with owner and rights', async () => {
    const { srv, posted } = device();
    const c = await ramClient();
    posted.set('cuda', { client: c, rights: ALL_RIGHTS & ~Right.grant, owner: 'glenda', devid: MDEV });
    posted.set('alpha', { client: c, rights: Right.read | Right.walk, owner: 'bob', devid: MDEV });
    const root = srv.attach('glenda', '', req()).node;
    srv.open(root, OREAD, req());
    const ds = srv.readdir(root, req());
    expect(ds.map((d) => `${d.name} ${d.uid}`)).toEqual(['alpha bob', 'cuda glenda']);
    const f = srv.walk(root, 'alpha', req()).node;
    srv.open(f, OREAD, req());
    expect(str(srv.read(f, 0, 100, req()))).toBe('owner bob rights r-l------\n');
    expect(srvText('glenda', ALL_RIGHTS & ~Right.grant)).toBe('owner glenda rights rwlcdmxs-\n');
    expect(srv.stat(f, req()).length).toBe('owner bob rights r-l------\n'.length);
    c.close();
  });

  it('remove unposts, by the owner only; create is refused with a hint', async () => {
    const { srv, posted } = device();
    const c = await ramClient();
    posted.set('x', { client: c, rights: ALL_RIGHTS, owner: 'glenda', devid: MDEV });
    const root = srv.attach('glenda', '', req()).node;
    const x = srv.walk(root, 'x', req()).node;
    expect(() => srv.remove(x, req('bob'))).toThrow(Eperm);
    srv.remove(x, req('glenda'));
    expect(posted.has('x')).toBe(false);
    expect(c.isClosed).toBe(false); // mounts of it may live on
    expect(() => srv.read(x, 0, 10, req())).toThrow(Enoent);
    expect(() => srv.walk(root, 'x', req())).toThrow(Enoent);
    expect(() => srv.create(root, 'y', 0o644, OWRITE, req())).toThrow(Esrvcreate);
    expect(() => srv.wstat(root, { ...nullDir(), name: 'z' }, req())).toThrow(Eperm);
    c.close();
  });
});

describe('#s through the kernel', () => {
  it('kernel.post shows in /srv; mount /srv/name works; the owner removes it', async () => {
    const { k, sys, p } = boot();
    await sys.bind('#s', '/srv', MCREATE);
    const c = await ramClient();
    k.post(p, 'ram', c);
    expect((await sys.dirread('/srv')).map((d) => d.name)).toEqual(['ram']);
    expect(str(await sys.readFile('/srv/ram'))).toBe('owner glenda rights rwlcdmxs-\n');
    await sys.mount('/srv/ram', '/mnt', MCREATE);
    await sys.writeFile('/mnt/note', 'posted and mounted');
    expect(str(await sys.readFile('/mnt/note'))).toBe('posted and mounted');
    expect(await errOf(() => sys.create('/srv/new', OWRITE, 0o644))).toBe(Esrvcreate);
    await sys.remove('/srv/ram');
    expect(await sys.dirread('/srv')).toEqual([]);
    expect(str(await sys.readFile('/mnt/note'))).toBe('posted and mounted');
    c.close();
  });
});
