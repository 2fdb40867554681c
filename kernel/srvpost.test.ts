// Remote 9P through the kernel: mount a dial string, post a session in /srv with srv, mount
// the posted channel, and the capability srv:NAME that gates it. Real TCP on 127.0.0.1.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ramfs } from '../fs/server/ramfs.ts';
import { Server } from '../fs/server/server.ts';
import { listen } from '../fs/transport/net.ts';
import type { Listener } from '../fs/transport/net.ts';
import { boot, errOf, str } from './dev/testing.ts';
import { MCREATE } from './sys.ts';
import type { Program } from './kernel.ts';
import { Tree, text } from '../fs/server/tree.ts';

let l: Listener;
const server = new Server(new Ramfs());
beforeAll(async () => { l = await listen('tcp!127.0.0.1!0', (link) => server.serve(link)); });
afterAll(async () => { server.closeAll(); await l.close(); });

describe('remote 9P in the namespace', () => {
  it('mounts a dial string, and posts one in /srv for mount by name', async () => {
    const { k, sys } = boot();
    await sys.bind('#s', '/srv', MCREATE);
    await sys.mount(l.address, '/tmp', MCREATE);
    await sys.writeFile('/tmp/hello', 'over tcp');
    expect(str(await sys.readFile('/tmp/hello'))).toBe('over tcp');

    await sys.srv('remote', l.address);
    expect((await sys.dirread('/srv')).map((d) => d.name)).toContain('remote');
    await sys.unmount(undefined, '/tmp');
    await sys.mount('/srv/remote', '/tmp');
    expect(str(await sys.readFile('/tmp/hello'))).toBe('over tcp');
    expect(await errOf(() => sys.srv('remote', l.address))).toBe('file exists');
    await k.shutdown();
  });

  it('mounting a posted channel needs its capability, or #s and the poster\'s user', async () => {
    const { k, sys } = boot();
    await sys.bind('#s', '/srv', MCREATE);
    await sys.srv('secret', l.address);
    // /bin with one program that tries to mount the posted channel
    k.addDevice('#tb', new Tree([text('try', '#!builtin try\n', { mode: 0o555 })]) as never);
    k.grant(sys.proc, 'dev:#tb', 0o777);
    await sys.bind('#tb', '/bin');
    const attempt: Program = async (s) => { await s.mount('/srv/secret', '/tmp'); };
    k.programs.set('try', attempt);
    const without = await sys.spawn('/bin/try', ['try'], { caps: (o, r) => (o === 'srv:secret' || o === 'dev:#s' ? undefined : r) });
    const w1 = await sys.await();
    expect(w1).toMatchObject({ pid: without, status: `try ${without}: permission denied: mount needs a capability for srv:secret` });
    // The poster's user, reaching #s, may mount what it posted (as Plan 9's /srv/NAME is a file of its owner's).
    const sameUser = await sys.spawn('/bin/try', ['try'], { caps: (o, r) => (o === 'srv:secret' ? undefined : r) });
    const w0 = await sys.await();
    expect(w0).toMatchObject({ pid: sameUser, status: '' });
    const withCap = await sys.spawn('/bin/try', ['try']);
    const w2 = await sys.await();
    expect(w2).toMatchObject({ pid: withCap, status: '' });
    await k.shutdown();
  });
});
