// A namespace is freed when the last process using it leaves: its mounts' fids are clunked.

import { describe, expect, it } from 'vitest';
import { boot } from './dev/testing.ts';
import type { Program } from './kernel.ts';
import { Tree, text } from '../fs/server/tree.ts';
import { Ramfs } from '../fs/server/ramfs.ts';
import type { FileServer } from '../fs/server/fileserver.ts';
import { ALL_RIGHTS } from './cap.ts';

describe('namespace lifetime', () => {
  it('rfork n copies are released at exit, leaving no fids on the device', async () => {
    const { k, sys } = boot();
    const ram = k.addDevice('#leak', new Ramfs() as FileServer<unknown>);
    k.grant(sys.proc, ram.object, ALL_RIGHTS);
    k.addDevice('#tb', new Tree([text('child', '#!builtin child\n', { mode: 0o555 })]) as FileServer<unknown>);
    k.grant(sys.proc, 'dev:#tb', ALL_RIGHTS);
    await sys.bind('#tb', '/bin');
    const child: Program = async (s) => {
      await s.rfork('n');
      await s.bind('#leak', '/x');
      await s.bind('#leak', '/y');
      await s.stat('/x');
    };
    k.programs.set('child', child);
    const fids = (): number => [...ram.server.sessions].reduce((n, x) => n + x.fids.size, 0);
    await sys.bind('#leak', '/warm'); // the device's session and root fid exist from here on
    const before = fids();
    for (let i = 0; i < 5; i++) { await sys.spawn('/bin/child', ['child']); expect((await sys.await())!.status).toBe(''); }
    expect(fids()).toBe(before);
    await k.shutdown();
  });
});
