// `cohesix web` as a user runs it: a separate process that prints the URL, serves the page
// and a console over a real socket, and stops on a signal.

import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Tab } from '../../web/testing.ts';
import { CLI } from '../serve-child.ts';

/** Start `cohesix web` with args; the URL it prints. */
async function startWeb(args: string[]): Promise<{ child: ChildProcess; url: string; out: () => string }> {
  const child = spawn(process.execPath, [CLI, 'web', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  const deadline = Date.now() + 20_000;
  while (!/http:\/\/\S+token=\w+/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  const url = /(http:\/\/\S+\/\?token=\w+)/.exec(out)?.[1];
  if (!url) { child.kill(); throw new Error(`cohesix web printed no URL:\n${out}`); }
  return { child, url, out: () => out };
}

const CHROMIUM = '/usr/bin/chromium';

describe('cohesix web', () => {
  it.skipIf(!existsSync(CHROMIUM))('the URL it prints opens a working console in Chromium', async () => {
    const { child, url } = await startWeb(['--listen', '127.0.0.1:0']);
    const profile = await mkdtemp(path.join(os.tmpdir(), 'cohesix-chromium-'));
    const ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await ctx.newPage();
      await page.goto(url);
      await page.waitForFunction(() => /cohesix% /.test(document.querySelector('.xterm-rows')?.textContent ?? ''), undefined, { timeout: 15_000 });
      await page.locator('#term').click();
      await page.keyboard.type('cat /srv/cohrole; echo');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => /QueenPrimary/.test(document.querySelector('.xterm-rows')?.textContent ?? ''), undefined, { timeout: 15_000 });
    } finally {
      await ctx.close();
      await rm(profile, { recursive: true, force: true });
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);

  it('prints a URL with a random token; the page and a console work; SIGTERM stops it', async () => {
    const { child, url: printed, out } = await startWeb(['--listen', '127.0.0.1:0', '--role', 'KioskInteractive']);
    const [, base, token] = /(http:\/\/\S+)\/\?token=(\w+)/.exec(printed)!;
    expect(token!.length).toBe(48);
    expect(out()).toContain('KioskInteractive');
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
    expect(out()).toMatch(/terminate: closing 1 session/);
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
