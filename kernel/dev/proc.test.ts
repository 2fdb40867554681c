// #p: /proc/<pid>/{status,ns,note,ctl,args,fd}, /proc/boot, /proc/9p.

import { describe, expect, it } from 'vitest';
import { Server } from '../../fs/server/server.ts';
import { Ramfs } from '../../fs/server/ramfs.ts';
import { linkPair } from '../../fs/transport/pair.ts';
import { Client } from '../../fs/client/index.ts';
import { OREAD, OWRITE } from '../sys.ts';
import { ProcDevice, statusText } from './proc.ts';
import { boot, errOf, str } from './testing.ts';

async function withProc(extra: Array<[string, Server<unknown>]> = []) {
  const b = boot();
  b.k.addDevice('#p', new ProcDevice(b.k, { servers: () => extra }));
  b.k.grant(b.p, 'dev:#p', 0o777);
  await b.sys.bind('#p', '/proc');
  await b.sys.bind('#b', '/bin');
  await b.sys.bind('#c', '/dev');
  return b;
}

describe('#p proc device', () => {
  it('lists the processes, boot and 9p, and follows kernel.procs', async () => {
    const { sys, k } = await withProc();
    expect((await sys.dirread('/proc')).map((d) => d.name).sort()).toEqual(['1', '9p', 'boot']);
    k.programs.set('sleeper', async (s) => { await s.sleep(60_000); });
    const pid = await sys.spawn('/bin/sleeper', ['sleeper', 'a b', "it's"]);
    expect((await sys.dirread('/proc')).map((d) => d.name)).toContain(String(pid));
    expect(str(await sys.readFile(`/proc/${pid}/args`))).toBe("sleeper 'a b' 'it''s'\n");
    await sys.writeFile(`/proc/${pid}/ctl`, 'kill\n');
    expect(await sys.waitpid(pid)).toBe('killed');
    expect((await sys.dirread('/proc')).map((d) => d.name)).not.toContain(String(pid));
    expect(await errOf(() => sys.stat(`/proc/${pid}`))).toBe('file does not exist');
  });

  it('status has name, user and state in Plan 9 columns', async () => {
    const { sys, p } = await withProc();
    const s = str(await sys.readFile('/proc/1/status'));
    expect(s.slice(0, 28).trim()).toBe('init');
    expect(s.slice(28, 56).trim()).toBe('glenda');
    expect(s.slice(56, 68).trim()).toBe(p.state);
    expect(s.endsWith('\n')).toBe(true);
    expect(statusText(p).length).toBe(s.length);
  });

  it('ns is the process namespace, replayable', async () => {
    const { sys } = await withProc();
    expect(str(await sys.readFile('/proc/1/ns'))).toBe("bind '#p' /proc\nbind '#b' /bin\nbind '#c' /dev\n");
  });

  it('fd shows number, mode, offset and path of each open fd', async () => {
    const { sys } = await withProc();
    const a = await sys.open('/dev/null', OREAD);
    const b = await sys.open('/dev/null', OWRITE);
    await sys.write(b, 'xyz');
    const lines = str(await sys.readFile('/proc/1/fd')).split('\n').filter(Boolean);
    expect(lines[0]).toMatch(new RegExp(`^\\s*${a} r\\s+0 /dev/null$`));
    expect(lines[1]).toMatch(new RegExp(`^\\s*${b} w\\s+3 /dev/null$`));
    expect(lines[2]).toMatch(/^\s*2 r\s+0 \/proc\/1\/fd$/); // the read's own fd
  });

  it('note posts a note; ctl takes kill and interrupt and refuses the rest', async () => {
    const { sys, k } = await withProc();
    let seen = '';
    k.programs.set('waiter', async (s) => {
      try { await s.sleep(60_000); } catch (e) { seen = (e as Error).message; }
      return 'woke';
    });
    const pid = await sys.spawn('/bin/waiter', ['waiter']);
    const child = k.procs.get(pid)!;
    await sys.writeFile(`/proc/${pid}/note`, 'hello\n');
    expect(await sys.waitpid(pid)).toBe('woke');
    expect(seen).toBe('interrupted');
    expect(child.notes).toEqual(['hello']);
    expect(await errOf(() => sys.writeFile('/proc/1/ctl', 'explode'))).toBe('bad control message');
    expect(await errOf(() => sys.readFile('/proc/1/ctl'))).toBe('permission denied');
    const pid2 = await sys.spawn('/bin/waiter', ['waiter']);
    await sys.writeFile(`/proc/${pid2}/ctl`, 'interrupt');
    expect(await sys.waitpid(pid2)).toBe('woke');
  });

  it('boot is kernel.bootlog as lines', async () => {
    const { sys, k } = await withProc();
    k.bootlog.push('role=Test', 'absent=');
    expect(str(await sys.readFile('/proc/boot'))).toBe('role=Test\nabsent=\n');
    expect(await errOf(() => sys.open('/proc/boot', OWRITE))).toBe('permission denied');
  });

  it('9p counts sessions and outstanding requests of every device and extra server', async () => {
    const extra = new Server(new Ramfs());
    const { sys } = await withProc([['export', extra]]);
    const before = str(await sys.readFile('/proc/9p/sessions'));
    expect(before).toMatch(/^total=\d+\n/);
    expect(before).toContain('#p=1\n');
    expect(before).toContain('export=0\n');
    const [a, b] = linkPair();
    extra.serve(a);
    const c = await Client.connect(b, { uname: 'glenda' });
    const after = str(await sys.readFile('/proc/9p/sessions'));
    expect(after).toContain('export=1\n');
    const n = (s: string): number => Number(/^total=(\d+)/.exec(s)![1]);
    expect(n(after)).toBe(n(before) + 1);
    expect(str(await sys.readFile('/proc/9p/outstanding'))).toMatch(/^total=\d+\n(.+=\d+\n)+$/);
    c.close();
  });
});
