import { describe, expect, it } from 'vitest';
import { registerDevices, ConsDevice, EnvDevice, PipeDevice, BinDevice, SrvDevice } from './index.ts';
import { Ramfs } from '../../fs/server/ramfs.ts';
import { Kernel } from '../kernel.ts';
import { MCREATE, OREAD } from '../sys.ts';
import { boot, str } from './testing.ts';

describe('registerDevices', () => {
  it('adds #c #e #| #b #s #r #d #adm and returns the objects behind them', () => {
    const k = new Kernel();
    const d = registerDevices(k);
    expect([...k.devices.keys()].sort()).toEqual(['#adm', '#b', '#c', '#d', '#e', '#r', '#s', '#|']);
    expect(d.cons).toBeInstanceOf(ConsDevice);
    expect(d.env).toBeInstanceOf(EnvDevice);
    expect(d.pipe).toBeInstanceOf(PipeDevice);
    expect(d.bin).toBeInstanceOf(BinDevice);
    expect(d.srv).toBeInstanceOf(SrvDevice);
    expect(d.tmp).toBeInstanceOf(Ramfs);
    expect(k.device('#c').fs).toBe(d.cons.fs);
    expect(() => registerDevices(k)).toThrow(/already registered/);
  });

  it('builds a usable node namespace: /dev /env /bin /srv /tmp', async () => {
    const { k, sys } = boot();
    for (const [dev, at] of [['#c', '/dev'], ['#e', '/env'], ['#b', '/bin'], ['#s', '/srv'], ['#r', '/tmp']] as const) await sys.bind(dev, at, MCREATE);
    expect((await sys.dirread('/')).map((d) => d.name)).toEqual(['bin', 'dev', 'env', 'srv', 'tmp']);
    await sys.writeFile('/tmp/scratch', 'temporary');
    expect(str(await sys.readFile('/tmp/scratch'))).toBe('temporary');
    await sys.mkdir('/tmp/dir');
    expect((await sys.dirread('/tmp')).map((d) => d.name).sort()).toEqual(['dir', 'scratch']);
    const fd = await sys.open('/dev/random', OREAD);
    expect((await sys.read(fd, 32)).length).toBe(32);
    await sys.close(fd);
    await k.shutdown();
  });

  it('two kernels in one process have separate devices', async () => {
    const a = boot('glenda', { cons: { console: { echo: false } } });
    const b = boot('glenda', { cons: { console: { echo: false } } });
    await a.sys.bind('#c', '/dev');
    await b.sys.bind('#c', '/dev');
    const seen: string[] = [];
    a.dev.cons.console().onOutput((x) => seen.push(`a:${str(x)}`));
    b.dev.cons.console().onOutput((x) => seen.push(`b:${str(x)}`));
    await a.sys.writeFile('/dev/cons', '1');
    await b.sys.writeFile('/dev/cons', '2');
    expect(seen).toEqual(['a:1', 'b:2']);
  });
});
