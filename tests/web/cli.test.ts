// `cohesix web` as a user runs it: a separate process that prints the URL, serves the page
// and a console over a real socket, and stops on a signal.

import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Tab } from '../../web/testing.ts';
import { CLI } from '../serve-child.ts';

describe('cohesix web', () => {
  it('prints a URL with a random token; the page and a console work; SIGTERM stops it', async () => {
    const child = spawn(process.execPath, [CLI, 'web', '--listen', '127.0.0.1:0', '--role', 'KioskInteractive'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    const deadline = Date.now() + 20_000;
    while (!/http:\/\/\S+token=\w+/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    const url = /(http:\/\/\S+)\/\?token=(\w+)/.exec(out);
    expect(url, out).not.toBeNull();
    const [, base, token] = url!;
    expect(token!.length).toBe(48);
    expect(out).toContain('KioskInteractive');
    expect((await fetch(`${base}/?token=${token}`)).status).toBe(200);
    const t = await Tab.open(base!, { token: token! });
    await t.waitText('cohesix% ');
    // The kiosk runs only its commands: echo ls mount cat cohcc run.
    t.type('cat /srv/cohrole; echo; ps\r');
    await t.waitText(/KioskInteractive[^]*ps: command not allowed in role KioskInteractive/);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(out).toMatch(/terminate: closing 1 session/);
  }, 40_000);

  it('refuses a non-loopback address without --public, and bad options, with a reason', () => {
    const pub = spawnSync(process.execPath, [CLI, 'web', '--listen', '0.0.0.0:0'], { encoding: 'utf8' });
    expect(pub.status).toBe(2);
    expect(pub.stderr).toContain('add --public');
    const bad = spawnSync(process.execPath, [CLI, 'web', '--listen', 'nowhere'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('want HOST:PORT');
    const help = spawnSync(process.execPath, [CLI, 'web', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: cohesix web');
  });
});
