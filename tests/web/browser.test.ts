// The web console in a real browser: Debian's Chromium driven by playwright-core, the page
// bundled from web/client/ with xterm.js, talking to `startWeb` over real HTTP and WebSocket.
// The terminal's buffer (xterm's own) is what a user sees; a screenshot is kept in
// dist/test-artifacts/web-console.png.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { repoRoot } from '../../web/bundle.ts';
import { TOKEN, webRig } from '../../web/testing.ts';
import type { WebRig } from '../../web/testing.ts';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PROMPT = 'cohesix% ';

let rig: WebRig;
let ctx: BrowserContext;
let profile: string;

/** The terminal's text as xterm holds it, one line per row, trailing blanks trimmed. */
function screen(page: Page): Promise<string> {
  return page.evaluate(() => {
    const t = (window as unknown as { cohesix: { term: { buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } } } }).cohesix.term;
    const b = t.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < b.length; i++) lines.push(b.getLine(i)?.translateToString(true) ?? '');
    return lines.join('\n').replace(/\n+$/, '');
  });
}

async function waitScreen(page: Page, pred: (s: string) => boolean, what: string, ms = 10_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const s = await screen(page);
    if (pred(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen ends:\n${s.slice(-600)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const prompts = (s: string): number => s.split(PROMPT).length - 1;

/** Type a line and wait for the prompt after it; the screen. */
async function run(page: Page, line: string): Promise<string> {
  const n = prompts(await screen(page));
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  return waitScreen(page, (s) => prompts(s) > n, `prompt after ${line}`);
}

async function openTab(): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(`${rig.base}/?token=${TOKEN}`);
  await waitScreen(page, (s) => s.includes(PROMPT), 'first prompt');
  await page.locator('#term').click();
  return page;
}

const NO_CHROMIUM = !existsSync(CHROMIUM);
describe.skipIf(NO_CHROMIUM)(NO_CHROMIUM ? 'web console in Chromium: skipped, /usr/bin/chromium is not installed (apt-get install chromium)' : 'web console in Chromium', () => {
  beforeAll(async () => {
    rig = await webRig();
    profile = await mkdtemp(path.join(os.tmpdir(), 'cohesix-chromium-'));
    // An empty profile of its own (playwright passes it as --user-data-dir).
    ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: FLAGS, headless: true, viewport: { width: 1200, height: 700 } });
  }, 60_000);

  afterAll(async () => {
    await ctx?.close();
    await rig?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('opens with the token, shows node, role and session, and runs cat /srv/cohrole', async () => {
    const page = await openTab();
    expect(await page.locator('#node').textContent()).toBe('cohesix');
    expect(await page.locator('#role').textContent()).toBe('QueenPrimary');
    expect(await page.locator('#session').textContent()).toMatch(/^web\d+$/);
    const s = await run(page, 'cat /srv/cohrole; echo');
    expect(s).toMatch(/cat \/srv\/cohrole; echo\nQueenPrimary\n/);
    // The status panel: watch /srv/cuda/status, read in this session's namespace.
    await page.locator('#watch-path').fill('/srv/cuda/status');
    await page.locator('#watch button[type=submit]').click();
    await page.waitForFunction(() => /queued/.test(document.getElementById('watch-text')?.textContent ?? ''), undefined, { timeout: 10_000 });
    await page.locator('#term').click(); // typing goes to the terminal again
    await run(page, 'ls /srv; cat /proc/boot');
    const dir = path.join(repoRoot(), 'dist', 'test-artifacts');
    await mkdir(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, 'web-console.png') });
    expect(existsSync(path.join(dir, 'web-console.png'))).toBe(true);
    await page.close();
  });

  it('^C interrupts sleep 100 and the shell goes on', async () => {
    const page = await openTab();
    const n = prompts(await screen(page));
    const t0 = Date.now();
    await page.keyboard.type('sleep 100');
    await page.keyboard.press('Enter');
    await new Promise((r) => setTimeout(r, 300));
    await page.keyboard.press('Control+C');
    await waitScreen(page, (s) => prompts(s) > n, 'prompt after ^C');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(await run(page, 'echo alive')).toMatch(/\nalive\n/);
    await page.close();
  });

  it('a paste larger than the frame limit goes out in pieces: the session survives it', async () => {
    const page = await openTab();
    // 1.2 MiB as one comment line: more than one frame may carry (a frame over 1 MiB would end
    // the session); rc reads it whole and does nothing with it.
    await page.evaluate(() => {
      const w = window as unknown as { cohesix: { term: { paste(s: string): void } } };
      w.cohesix.term.paste('# ' + 'z'.repeat(1_200_000) + '\n');
    });
    await waitScreen(page, (s) => /\ncohesix%\s*$/.test(s), 'prompt after the paste', 30_000);
    expect(await run(page, 'echo survived')).toMatch(/\nsurvived\n/);
    expect(await page.locator('#link').textContent()).toBe('connected');
    await page.close();
  }, 60_000);

  it('resizing the window changes the size /dev/consctl reports', async () => {
    const page = await openTab();
    const size = async (): Promise<string> => [...(await run(page, 'cat /dev/consctl')).matchAll(/size (\d+x\d+)/g)].pop()?.[1] ?? '';
    const before = await size();
    await page.setViewportSize({ width: 700, height: 400 });
    const cols = (): Promise<number> => page.evaluate(() => (window as unknown as { cohesix: { term: { cols: number } } }).cohesix.term.cols);
    const end = Date.now() + 5000;
    while (String(await cols()) === before.split('x')[0] && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    const after = await size();
    expect(after).not.toBe(before);
    expect(after.split('x')[0]).toBe(String(await cols()));
    await page.close();
  });

  it('a second tab has its own namespace: a bind in one is invisible in the other', async () => {
    const a = await openTab(), b = await openTab();
    await run(a, 'bind /srv/cohrole /dev/null');
    expect(await run(a, 'cat /dev/null; echo; echo END')).toMatch(/\nQueenPrimary\nEND\n/);
    expect(await run(b, 'cat /dev/null; echo; echo END')).toMatch(/null; echo; echo END\n\nEND\n/);
    const sa = await a.locator('#session').textContent(), sb = await b.locator('#session').textContent();
    expect(sa).not.toBe(sb);
    await a.close();
    await b.close();
  });

  it('closing a tab mid-command ends its session and its processes', async () => {
    const k = rig.node.kernel;
    await new Promise((r) => setTimeout(r, 200));
    const baseline = k.procs.size;
    const page = await openTab();
    await page.keyboard.type('sleep 100');
    await page.keyboard.press('Enter');
    await new Promise((r) => setTimeout(r, 300));
    expect(k.procs.size).toBeGreaterThan(baseline);
    await page.close({ runBeforeUnload: true });
    const end = Date.now() + 10_000;
    while (k.procs.size > baseline && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(k.procs.size).toBe(baseline);
  });
  // Last: its three failures lock this address out for 90 s.
  it('a wrong or missing token gets 401, from the page and the socket', async () => {
    const page = await ctx.newPage();
    expect((await page.goto(`${rig.base}/?token=wrong`))!.status()).toBe(401);
    await page.close();
    await ctx.clearCookies(); // as a browser that never had the token
    const p2 = await ctx.newPage();
    expect((await p2.goto(`${rig.base}/`))!.status()).toBe(401);
    // A page on our origin without the cookie cannot open the socket either.
    await p2.goto(`${rig.base}/console.css`);
    const code = await p2.evaluate((u) => new Promise<number>((res) => { const w = new WebSocket(u); w.onopen = () => res(0); w.onclose = (e) => res(e.code); }), `${rig.base.replace('http', 'ws')}/ws`);
    expect(code).toBe(1006); // the upgrade was refused (401) before any WebSocket existed
    await p2.close();
  });
});
