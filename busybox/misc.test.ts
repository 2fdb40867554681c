// env, pwd, sleep, true, false and the registry.

import { afterEach, describe, expect, it } from 'vitest';
import { TestKernels } from '../kernel/testkit.ts';
import { settled } from '../kernel/dev/testing.ts';
import { envValue } from './cmd/env.ts';
import { BUSYBOX_NAMES, busyboxPrograms } from './index.ts';
import { Busybox } from './testing.ts';

const kernels = new TestKernels();
afterEach(() => kernels.shutdown());

describe('env', () => {
  it('rc lists (NUL-separated) print with blanks', () => {
    expect(envValue('a\0b c\0')).toBe('a b c');
    expect(envValue('plain')).toBe('plain');
    expect(envValue('')).toBe('');
  });

  it('prints /env sorted by name', async () => {
    const bb = await Busybox.boot(kernels);
    await bb.write('/env/path', '.\0/bin\0');
    await bb.write('/env/HOME', '/usr/glenda');
    await bb.write('/env/empty', '');
    expect(await bb.run(['env'])).toEqual({ out: 'HOME=/usr/glenda\nempty=\npath=. /bin\n', err: '', status: '' });
  });

  it('runs a command in a changed copy of the environment; the caller\'s is untouched', async () => {
    const bb = await Busybox.boot(kernels);
    await bb.write('/env/KEEP', 'k');
    await bb.write('/env/DROP', 'd');
    expect((await bb.run(['env', '-u', 'DROP', 'NEW=n', 'env'])).out).toBe('KEEP=k\nNEW=n\n');
    expect((await bb.run(['env', '-i', 'ONLY=1', 'env'])).out).toBe('ONLY=1\n');
    expect((await bb.run(['env'])).out).toBe('DROP=d\nKEEP=k\n');
  });

  it('the command\'s status is env\'s; a missing command is an error', async () => {
    const bb = await Busybox.boot(kernels);
    expect((await bb.run(['env', 'false'])).status).toBe('false');
    expect(await bb.run(['env', 'X=1', 'nosuchcmd'])).toMatchObject({ err: 'env: nosuchcmd: file does not exist\n', status: 'file does not exist' });
  });
});

describe('pwd', () => {
  it('prints the current directory', async () => {
    const bb = await Busybox.boot(kernels);
    await bb.sys.mkdir('/tmp/sub');
    expect((await bb.run(['pwd'])).out).toBe('/tmp\n');
    expect((await bb.run(['pwd'], '', { cwd: '/tmp/sub' })).out).toBe('/tmp/sub\n');
    expect((await bb.run(['pwd', 'x'])).status).toBe('usage');
  });
});

describe('sleep', () => {
  it('sleeps about as long as asked, summing its arguments', async () => {
    const bb = await Busybox.boot(kernels);
    const t0 = Date.now();
    expect((await bb.run(['sleep', '0.05', '.05s'])).status).toBe('');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
  });

  it('an interrupt note ends it with status interrupted', async () => {
    const bb = await Busybox.boot(kernels);
    const { sys } = bb;
    const pid = await sys.spawn('sleep', ['sleep', '60']);
    const done = sys.waitpid(pid);
    expect(await settled(done)).toBe(false);
    await sys.postnote(pid, 'interrupt');
    expect(await done).toBe('interrupted');
  });

  it('bad intervals and no arguments', async () => {
    const bb = await Busybox.boot(kernels);
    expect(await bb.run(['sleep', 'soon'])).toEqual({ out: '', err: "sleep: invalid time interval 'soon'\n", status: 'usage' });
    expect((await bb.run(['sleep'])).status).toBe('usage');
  });
});

describe('true and false', () => {
  it("'' and 'false', whatever the arguments", async () => {
    const bb = await Busybox.boot(kernels);
    expect(await bb.run(['true', '-x'])).toEqual({ out: '', err: '', status: '' });
    expect(await bb.run(['false'])).toEqual({ out: '', err: '', status: 'false' });
  });
});

describe('registry', () => {
  it('names every command once; [ is test; each call gives a fresh map', () => {
    expect([...BUSYBOX_NAMES]).toEqual([...busyboxPrograms().keys()]);
    expect(new Set(BUSYBOX_NAMES).size).toBe(BUSYBOX_NAMES.length);
    for (const n of ['echo', 'cat', 'seq', 'wc', 'sort', 'uniq', 'tr', 'grep', 'sed', 'basename', 'test', '[', 'mkdir', 'rm', 'touch', 'ls', 'env', 'true', 'false', 'pwd', 'sleep']) {
      expect(BUSYBOX_NAMES).toContain(n);
    }
    const a = busyboxPrograms();
    a.delete('echo');
    expect(busyboxPrograms().has('echo')).toBe(true);
  });

  it('every command answers a bad flag with its usage line', async () => {
    const bb = await Busybox.boot(kernels);
    for (const n of BUSYBOX_NAMES) {
      if (['echo', 'true', 'false', 'test', '[', 'basename', 'cat', 'sleep', 'lookman', 'run'].includes(n)) continue; // no flags, as Plan 9's (run passes every argument to its program)
      const r = await bb.run([n, '-Z']);
      expect(r.status, n).toBe('usage');
      expect(r.err, n).toMatch(new RegExp(`^usage: ${n}( .*)?\n$`));
    }
  });
});
