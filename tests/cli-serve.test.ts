// `cohesix serve --ramfs` as a user runs it: a separate process, real TCP, signals.

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { Fsys } from '../fs/client/index.ts';
import { dial } from '../fs/transport/net.ts';
import { CLI, startServe } from './serve-child.ts';

describe('cohesix serve', () => {
  it('serves a ramfs over TCP and stops cleanly on SIGTERM and SIGINT', async () => {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      const { child, address } = await startServe(['--ramfs', '--listen', 'tcp!127.0.0.1!0']);
      expect(address).toMatch(/^tcp!127\.0\.0\.1!\d+$/);
      const fsys = await Fsys.mount(await dial(address), { version: '9P2000.L', uname: 'glenda' });
      await fsys.writeFile('/hello', 'from the client\n');
      expect((await fsys.readFile('/hello')).toString()).toBe('from the client\n');
      const exited = once(child, 'exit');
      child.kill(sig);
      const [code] = await exited;
      expect(code).toBe(0);
      await expect(fsys.readFile('/hello')).rejects.toThrow(/connection closed/);
    }
  });

  it('prints help, and refuses bad arguments with a reason', () => {
    const help = spawnSync(process.execPath, [CLI, 'serve', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: cohesix serve --ramfs');
    const bad = spawnSync(process.execPath, [CLI, 'serve', '--ramfs', '--bogus'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown option --bogus');
    const pub = spawnSync(process.execPath, [CLI, 'serve', '--ramfs', '--listen', 'tcp!0.0.0.0!0'], { encoding: 'utf8' });
    expect(pub.status).toBe(2);
    expect(pub.stderr).toContain('without --public');
    const top = spawnSync(process.execPath, [CLI, 'nonsense'], { encoding: 'utf8' });
    expect(top.status).toBe(2);
    expect(top.stderr).toContain("unknown command 'nonsense'");
  });
});
