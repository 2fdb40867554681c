// Files on different devices are different files (Plan 9's samefile: type, dev and qid path),
// through rc in a booted node with its services: stat, cp, mv, tar, du and ls -l see the
// device of each file, so equal qid paths on two servers are not mistaken for one file.

import { afterEach, describe, expect, it } from 'vitest';
import { nodeServices } from '../bin/services.ts';
import { RcNodes } from '../rc/testing.ts';

const nodes = new RcNodes({ services: nodeServices() });
afterEach(() => nodes.shutdown());
const rc = (script: string): ReturnType<RcNodes['rc']> => nodes.rc(script);

describe('files on different devices', () => {
  it('stat -c %t %d %i: each file\'s device letter and instance', async () => {
    const r = await rc("echo hi > /tmp/a; stat -c '%t %d %i' /tmp/a /sim/ctl /adm/wtmp /dev/cons");
    expect(r.err).toBe('');
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^r 0 \d+$/);
    expect(lines[3]).toMatch(/^c 0 \d+$/);
    const devices = lines.map((l) => l.split(' ').slice(0, 2).join(' '));
    expect(new Set(devices).size).toBe(4);
  });

  it('cp copies a file of another device whose qid path is the same', async () => {
    const r = await rc("echo hello > /tmp/a; cp /adm/wtmp /tmp/a; echo $status; cmp /adm/wtmp /tmp/a && echo same");
    expect(r.err).toBe('');
    expect(r.out).toBe('\nsame\n');
  });

  it('mv to another device copies and removes; one it may not write keeps the original', async () => {
    const r = await rc("cd /tmp; echo a > f; mv f /log/f.log; cat /log/f.log; ls /tmp; echo h > h; mv h /sim/h; echo status $status; ls /tmp; ls /sim | grep -c '^h$'");
    // /tmp is empty after the first move (nothing listed), and still holds h after the second.
    expect(r.out).toBe('a\nstatus permission denied\nh\n0\n');
    expect(r.err).toMatch(/^mv: \/sim\/h: permission denied\n$/);
  });

  it('tar c of another device is not "the archive"', async () => {
    const r = await rc('cd /tmp; tar cf s.tar /adm; tar tf s.tar');
    expect(r.err).not.toContain('file is the archive');
    expect(r.out).toContain('adm/wtmp\n');
  });

  it('du -a / counts every device\'s files', async () => {
    const r = await rc("du -a / | grep -c '^[0-9]+	/sim/ctl$'; du -a / | grep -c '	/srv/cuda/'; du -a / | grep -c '	/proc/[0-9]+/status$'");
    const [sim, cuda, proc] = r.out.trimEnd().split('\n').map(Number);
    expect(sim).toBe(1);
    expect(cuda).toBeGreaterThan(0);
    expect(proc).toBeGreaterThan(1);
  });

  it('ls -l /dev/cons: device c 0, as Plan 9 prints it', async () => {
    const r = await rc('ls -l /dev/cons');
    expect(r.out).toMatch(/^--rw-rw-rw- c 0 /);
  });
});
