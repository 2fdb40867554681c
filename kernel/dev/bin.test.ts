import { describe, expect, it } from 'vitest';
import { BinDevice, builtinText } from './bin.ts';
import type { Program } from '../kernel.ts';
import { OEXEC, OREAD, ORDWR, OTRUNC, OWRITE } from '../../fs/9p/constants.ts';
import { nullDir } from '../../fs/9p/fcall.ts';
import { Enoent, Eperm } from '../../fs/9p/errors.ts';
import { boot, errOf, req, str } from './testing.ts';

const nop: Program = () => '';

function device(): { bin: BinDevice; programs: Map<string, Program> } {
  const programs = new Map<string, Program>([['ls', nop], ['cat', nop]]);
  return { bin: new BinDevice({ programs, bootTime: Date.now() }), programs };
}

describe('#b directly', () => {
  it('lists the programs, sorted, each mode 0555 with the length of its content', () => {
    const { bin } = device();
    const root = bin.attach('glenda', '', req()).node;
    const ds = bin.readdir(root, req());
    expect(ds.map((d) => d.name)).toEqual(['cat', 'ls']);
    for (const d of ds) {
      expect(d.mode).toBe(0o555);
      expect(d.length).toBe(builtinText(d.name).length);
    }
  });

  it('a file holds "#!builtin NAME\\n"', () => {
    const { bin } = device();
    const ls = bin.walk(bin.attach('glenda', '', req()).node, 'ls', req()).node;
    bin.open(ls, OEXEC, req());
    expect(str(bin.read(ls, 0, 100, req()))).toBe('#!builtin ls\n');
    expect(str(bin.read(ls, 2, 7, req()))).toBe('builtin');
    expect(bin.read(ls, 100, 10, req()).length).toBe(0);
  });

  it('the listing is live: programs added later appear, removed ones go', () => {
    const { bin, programs } = device();
    const root = bin.attach('glenda', '', req()).node;
    expect(() => bin.walk(root, 'rc', req())).toThrow(Enoent);
    programs.set('rc', nop);
    expect(bin.walk(root, 'rc', req()).node.name).toBe('rc');
    expect(bin.readdir(root, req()).map((d) => d.name)).toEqual(['cat', 'ls', 'rc']);
    const rc = bin.walk(root, 'rc', req()).node;
    programs.delete('rc');
    expect(() => bin.stat(rc, req())).toThrow(Enoent);
    expect(bin.readdir(root, req()).map((d) => d.name)).toEqual(['cat', 'ls']);
  });

  it('is read-only and qids are stable per name', () => {
    const { bin } = device();
    const root = bin.attach('glenda', '', req()).node;
    const ls = bin.walk(root, 'ls', req());
    expect(bin.walk(root, 'ls', req()).qid.path).toBe(ls.qid.path);
    expect(bin.walk(root, 'cat', req()).qid.path).not.toBe(ls.qid.path);
    expect(() => bin.create(root, 'x', 0o755, OWRITE, req())).toThrow(Eperm);
    expect(() => bin.write(ls.node, 0, new Uint8Array(1), req())).toThrow(Eperm);
    expect(() => bin.remove(ls.node, req())).toThrow(Eperm);
    expect(() => bin.open(ls.node, OREAD | OTRUNC, req())).toThrow(Eperm);
    expect(() => bin.wstat(ls.node, { ...nullDir(), mode: 0o777 }, req())).toThrow(Eperm);
    bin.wstat(ls.node, nullDir(), req());
  });
});

describe('#b through the kernel', () => {
  it('bound at /bin, spawn finds the programs (kernel.resolveProgram reads the file)', async () => {
    const { k, sys } = boot();
    await sys.bind('#b', '/bin');
    k.programs.set('hello', (s) => (s.args[1] === 'world' ? '' : 'bad args'));
    expect((await sys.dirread('/bin')).map((d) => d.name)).toEqual(['hello']);
    expect(str(await sys.readFile('/bin/hello'))).toBe('#!builtin hello\n');
    expect(await sys.waitpid(await sys.spawn('hello', ['hello', 'world']))).toBe('');
    expect(await sys.waitpid(await sys.spawn('/bin/hello', ['hello', 'x']))).toContain('bad args');
    expect(await errOf(() => sys.spawn('nothere', ['nothere']))).toBe(Enoent);
    expect(await errOf(() => sys.open('/bin/hello', ORDWR))).toBe(Eperm);
  });
});
