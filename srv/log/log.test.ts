// The /log service: append-only logs, rotation by size and age at line boundaries, ctl.

import { afterEach, describe, expect, it } from 'vitest';
import { Client, Fsys } from '../../fs/client/index.ts';
import { Server } from '../../fs/server/server.ts';
import { linkPair } from '../../fs/transport/pair.ts';
import { LogService } from './log.ts';

const open: Client[] = [];
afterEach(() => { for (const c of open.splice(0)) c.close(); });

async function mount(s: LogService, uname = 'glenda'): Promise<Fsys> {
  const [a, b] = linkPair();
  new Server(s).serve(b);
  const c = await Client.connect(a, { uname });
  open.push(c);
  return new Fsys(c);
}

const names = async (fs: Fsys): Promise<string[]> => (await fs.readdir('/')).map((d) => d.name).sort();

describe('log(4)', () => {
  it('appends whatever the offset, and lists logs in ctl', async () => {
    const s = new LogService();
    const fs = await mount(s);
    await fs.writeFile('/app.log', 'one\n');
    const f = await fs.open('/app.log', 1);
    await f.pwrite(Buffer.from('two\n'), 0);
    await f.clunk();
    expect(await fs.readFile('/app.log').then((b) => b.toString())).toBe('one\ntwo\n');
    expect(await fs.readFile('/ctl').then((b) => b.toString())).toBe('app.log size=8 limit=1048576 age=0 keep=4 generations=0\n');
    expect(await names(fs)).toEqual(['app.log', 'ctl']);
  });

  it('rotates by size at line boundaries, keeps N generations, and a writer goes on into the live log', async () => {
    const s = new LogService({ defaults: { limit: 10, keep: 2 } });
    const fs = await mount(s);
    const w = await fs.create('/a.log', 0o666, 1);
    await w.pwrite(Buffer.from('half a '), 0); // 7 bytes, no newline
    await w.pwrite(Buffer.from('line...'), 0); // 14 > 10 but mid-line: no rotation yet
    expect(await names(fs)).toEqual(['a.log', 'ctl']);
    await w.pwrite(Buffer.from('\n'), 0); // line complete: rotate
    expect(await names(fs)).toEqual(['a.log', 'a.log.1', 'ctl']);
    expect((await fs.readFile('/a.log.1')).toString()).toBe('half a line...\n');
    await w.pwrite(Buffer.from('second generation\n'), 0);
    await w.pwrite(Buffer.from('third\n'), 0);
    await w.pwrite(Buffer.from('fourth generation\n'), 0);
    await w.clunk();
    expect(await names(fs)).toEqual(['a.log', 'a.log.1', 'a.log.2', 'ctl']);
    expect((await fs.readFile('/a.log.2')).toString()).toBe('second generation\n');
    expect((await fs.readFile('/a.log.1')).toString()).toBe('third\nfourth generation\n');
    expect((await fs.readFile('/a.log')).toString()).toBe('');
  });

  it('rotates by age, and on demand; ctl errors name what was wrong', async () => {
    let now = 1_000_000;
    const s = new LogService({ now: () => now });
    const fs = await mount(s);
    await fs.writeFile('/ctl', 'age old.log 60\n');
    s.append('old.log', 'first\n');
    now += 61_000;
    s.append('old.log', 'late\n');
    expect((await fs.readFile('/old.log.1')).toString()).toBe('first\nlate\n');
    s.append('old.log', 'fresh\n');
    await fs.writeFile('/ctl', 'rotate old.log\n');
    expect((await fs.readFile('/old.log.2')).toString()).toBe('first\nlate\n');
    expect((await fs.readFile('/old.log.1')).toString()).toBe('fresh\n');
    await expect(fs.writeFile('/ctl', 'keep old.log many\n')).rejects.toThrow("bad control message: keep wants a whole number up to 100, not 'many'");
    await expect(fs.writeFile('/ctl', 'shred old.log\n')).rejects.toThrow(/bad control message: 'shred old.log' \(want rotate NAME/);
    await expect(fs.writeFile('/ctl', 'rotate nosuch.log\n')).rejects.toThrow('file does not exist');
    await expect(fs.remove('/ctl')).rejects.toThrow('permission denied');
  });

  it('OTRUNC on a log opens without truncating (open(5), append-only): > appends', async () => {
    const s = new LogService();
    s.append('queen.log', 'boot\n');
    const fs = await mount(s);
    await fs.writeFile('/a.log', 'one\n');
    await fs.writeFile('/a.log', 'three\n'); // Topen OTRUNC on the existing log
    expect((await fs.readFile('/a.log')).toString()).toBe('one\nthree\n');
    await fs.writeFile('/queen.log', 'x\n');
    expect((await fs.readFile('/queen.log')).toString()).toBe('boot\nx\n');
    await expect(fs.wstat('/a.log', { length: 0 })).rejects.toThrow('permission denied');
    expect((await fs.readFile('/a.log')).toString()).toBe('one\nthree\n');
  });

  it("only a log's owner removes or renames it or its generations", async () => {
    const s = new LogService({ defaults: { keep: 2 } });
    s.append('queen.log', 'boot\n');
    s.rotate('queen.log');
    const fs = await mount(s, 'glenda');
    await expect(fs.remove('/queen.log')).rejects.toThrow('permission denied');
    await expect(fs.remove('/queen.log.1')).rejects.toThrow('permission denied');
    await expect(fs.wstat('/queen.log', { name: 'gone.log' })).rejects.toThrow('permission denied');
    await expect(fs.open('/queen.log', 1 | 0x40)).rejects.toThrow('permission denied'); // ORCLOSE
    expect(await names(fs)).toEqual(['ctl', 'queen.log', 'queen.log.1']);
    await fs.writeFile('/mine.log', 'x\n');
    await fs.remove('/mine.log');
    await fs.writeFile('/notes', 'x');
    await fs.remove('/notes');
    const sys = await mount(s, 'sys');
    await sys.remove('/queen.log.1');
    expect(await names(fs)).toEqual(['ctl', 'queen.log']);
  });

  it('rotate through ctl waits for the line being written to end', async () => {
    const s = new LogService();
    const fs = await mount(s);
    await fs.writeFile('/t.log', 'first\n');
    const w = await fs.open('/t.log', 1);
    await w.pwrite(Buffer.from('part'), 0);
    await fs.writeFile('/ctl', 'rotate t.log\n');
    expect(await names(fs)).toEqual(['ctl', 't.log']);
    await w.pwrite(Buffer.from(' rest'), 0);
    expect(await names(fs)).toEqual(['ctl', 't.log']);
    await w.pwrite(Buffer.from('\nnext\n'), 0);
    await w.clunk();
    expect((await fs.readFile('/t.log.1')).toString()).toBe('first\npart rest\nnext\n');
    expect((await fs.readFile('/t.log')).toString()).toBe('');
    await fs.writeFile('/ctl', 'rotate t.log\n'); // an empty log: rotated at once
    expect(await names(fs)).toEqual(['ctl', 't.log', 't.log.1', 't.log.2']);
  });
});
