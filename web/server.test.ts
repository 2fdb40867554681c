// The web console's server over real HTTP and WebSockets (a page stand-in; the browser
// itself is in tests/web/): auth, origin, lockout, sessions, bad frames, resume, leaks.

import { afterEach, describe, expect, it } from 'vitest';
import { Lockout } from './auth.ts';
import { MAX_FRAME } from './protocol.ts';
import { TOKEN, Tab, webRig } from './testing.ts';
import type { WebRig } from './testing.ts';

const PROMPT = 'cohesix% ';
let rig: WebRig | undefined;
afterEach(async () => { await rig?.close(); rig = undefined; });

/** A tab at its first prompt. */
async function ready(base: string): Promise<Tab> {
  const t = await Tab.open(base);
  await t.waitText(PROMPT);
  return t;
}

/** Run a line and wait for the next prompt; the output between. */
async function run(t: Tab, line: string): Promise<string> {
  const from = t.text.length;
  t.type(line + '\r');
  await t.waitText(new RegExp(`\\n[^]*${PROMPT}$`), from);
  const out = t.text.slice(from);
  return out.slice(out.indexOf('\n') + 1, out.lastIndexOf(PROMPT)).replace(/\r/g, '');
}

describe('cohesix web server', () => {
  it('the page needs the token: none or a wrong one is 401, the right one sets the cookie; the bundle is public', async () => {
    rig = await webRig();
    expect((await fetch(`${rig.base}/`)).status).toBe(401);
    expect((await fetch(`${rig.base}/?token=nope`)).status).toBe(401);
    const ok = await fetch(`${rig.base}/?token=${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toMatch(/^cohesix_token=.*HttpOnly; SameSite=Strict/);
    expect(await ok.text()).toContain('/console.js');
    expect((await fetch(`${rig.base}/console.js`)).status).toBe(200);
    expect((await fetch(`${rig.base}/etc/passwd`)).status).toBe(404);
  });

  it('the socket needs the token (query or cookie) and our own Origin', async () => {
    rig = await webRig();
    await expect(Tab.open(rig.base, {})).rejects.toThrow('HTTP 401');
    await expect(Tab.open(rig.base, { token: 'x' })).rejects.toThrow('HTTP 401');
    await expect(Tab.open(rig.base, { token: TOKEN }, 'http://evil.example')).rejects.toThrow('HTTP 403');
    await expect(Tab.open(rig.base, { token: TOKEN }, null)).rejects.toThrow('HTTP 403');
    const t = await ready(rig.base);
    expect(t.hello).toMatchObject({ node: 'cohesix', role: 'QueenPrimary', session: 'web1' });
    expect(await run(t, 'cat /srv/cohrole')).toBe('QueenPrimary');
  });

  it('a tab is a login: in who and /adm/who from the browser\'s address while open, in last after', async () => {
    rig = await webRig();
    const t = await ready(rig.base);
    expect(await run(t, 'cat /adm/who')).toMatch(/^web1 glenda \d+ tcp!127\.0\.0\.1!\d+ \d+\n$/);
    t.close(1000);
    let wtmp = '';
    for (let i = 0; i < 50 && !wtmp.includes('logout web1'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      wtmp = (await rig.node.sys.readFile('/adm/wtmp')).toString();
    }
    expect(wtmp).toMatch(/login web1 glenda \d+ tcp!127\.0\.0\.1!\d+\n[^]*logout web1 glenda \d+\n/);
  });

  it('three failures within the window lock the address out, right token or not', async () => {
    let now = 0;
    rig = await webRig({ lockout: new Lockout({ now: () => now }) });
    for (let i = 0; i < 3; i++) expect((await fetch(`${rig.base}/?token=bad${i}`)).status).toBe(401);
    const locked = await fetch(`${rig.base}/?token=${TOKEN}`);
    expect(locked.status).toBe(429);
    expect(await locked.text()).toMatch(/locked for 90 s/);
    await expect(Tab.open(rig.base)).rejects.toThrow('HTTP 429');
    now += 90_001;
    expect((await fetch(`${rig.base}/?token=${TOKEN}`)).status).toBe(200);
  });

  it('each tab is its own session and namespace: a bind in one is invisible in the other', async () => {
    rig = await webRig();
    const a = await ready(rig.base), b = await ready(rig.base);
    expect(a.hello!.session).not.toBe(b.hello!.session);
    await run(a, 'bind /srv/cohrole /dev/null');
    expect(await run(a, 'cat /dev/null')).toBe('QueenPrimary');
    expect(await run(b, 'cat /dev/null')).toBe('');
  });

  it('resize sets the size consctl reports; ^C interrupts sleep and not the shell', async () => {
    rig = await webRig();
    const t = await ready(rig.base);
    t.send({ t: 'resize', cols: 123, rows: 45 });
    expect(await run(t, 'cat /dev/consctl')).toContain('size 123x45');
    const from = t.text.length;
    const t0 = Date.now();
    t.type('sleep 100; echo after\r');
    await new Promise((r) => setTimeout(r, 300));
    t.type('\x03');
    await t.waitText(PROMPT, from);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(await run(t, 'echo alive')).toBe('alive\n');
  });

  it('a tab spinning in a loop does not starve the node: the other tab answers, ^C ends each loop', async () => {
    rig = await webRig();
    const a = await ready(rig.base), b = await ready(rig.base);
    for (let i = 0; i < 4; i++) {
      for (const loop of ['while(){ x=1 }', 'while(){ x=`{echo $x} }', 'while(){ true }', 'for(i in `{seq 1 1000000}) x=$i']) {
        const from = a.text.length;
        a.type(loop + '\r');
        await new Promise((r) => setTimeout(r, 150));
        expect(await run(b, 'echo other')).toBe('other\n');
        a.type('\x03');
        await a.waitText(PROMPT, from + loop.length, 5000);
      }
    }
    expect(await run(a, 'echo done')).toBe('done\n');
  }, 120_000);

  it('the status panel reads the watched file in the session namespace, and says what is wrong', async () => {
    rig = await webRig();
    const t = await ready(rig.base);
    await run(t, 'echo watched >/tmp/panel');
    t.send({ t: 'watch', path: '/tmp/panel', ms: 250 });
    await t.until(() => t.msgs.some((m) => m.t === 'status' && m.text === 'watched\n'), 'status text');
    t.send({ t: 'watch', path: '/nonexistent', ms: 250 });
    await t.until(() => t.msgs.some((m) => m.t === 'status' && /does not exist/.test(m.error ?? '')), 'status error');
  });

  it.each([
    ['a frame that is not JSON', 'not json', /not JSON/],
    ['an unknown message', JSON.stringify({ t: 'format-disk' }), /unknown message type "format-disk"/],
    ['a bad resize', JSON.stringify({ t: 'resize', cols: -1, rows: 2 }), /resize/],
  ])('%s ends that session (processes killed); the other session goes on', async (_n, frame, why) => {
    rig = await webRig();
    const a = await ready(rig.base), b = await ready(rig.base);
    a.type('sleep 100\r');
    await new Promise((r) => setTimeout(r, 200));
    const before = rig.node.kernel.procs.size;
    a.send(frame);
    await a.until(() => a.closed !== undefined, 'close');
    expect(a.msgs.find((m) => m.t === 'bye')).toMatchObject({ why: expect.stringMatching(why) });
    await b.until(() => rig!.node.kernel.procs.size <= before - 3, 'processes gone'); // leader, rc, sleep
    expect(await run(b, 'echo still here')).toBe('still here\n');
  });

  it('binary garbage and a frame over the limit end the session', async () => {
    rig = await webRig();
    const a = await ready(rig.base);
    a.ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0, 1, 2]));
    await a.until(() => a.closed !== undefined, 'close');
    expect(a.msgs.find((m) => m.t === 'bye')).toMatchObject({ why: expect.stringMatching(/binary frame/) });
    const b = await ready(rig.base);
    b.type('x'.repeat(MAX_FRAME + 10));
    await b.until(() => b.closed !== undefined, 'close');
    expect(b.closed!.code).toBe(1009);
    await b.until(() => rig!.web.sessions.size === 0, 'session ended');
    expect(await ready(rig.base)).toBeDefined(); // the server goes on
  });

  it('a big paste within the limit arrives whole', async () => {
    rig = await webRig();
    const t = await ready(rig.base);
    const word = 'y'.repeat(100_000);
    const from = t.text.length;
    t.type(`echo ${word} | wc -c\r`);
    await t.waitText(/100001\s/, from, 20_000);
  });

  it('a paste of a command and its input, typed ahead of the shell, reaches the command whole', async () => {
    rig = await webRig();
    const t = await ready(rig.base);
    const paste = 'cat >/tmp/pasted\r' + 'z'.repeat(300_000) + '\rsecond line\r\x04';
    for (let i = 0; i < paste.length; i += 65536) t.type(paste.slice(i, i + 65536)); // as the page sends it
    await t.waitText(/second line\n[^]*cohesix% $/, 0, 20_000);
    expect(await run(t, 'wc -lc /tmp/pasted')).toMatch(/^\s*2\s+300013 \/tmp\/pasted\n$/);
  });

  it('a dropped socket resumes within the grace period: same shell, output kept while away', async () => {
    rig = await webRig({ graceMs: 5000 });
    const a = await ready(rig.base);
    await run(a, 'x=remembered');
    a.type('sleep 0.3; echo written while away\r');
    a.ws.terminate(); // a network drop: no close frame
    await new Promise((r) => setTimeout(r, 600));
    expect(rig.web.sessions.size).toBe(1);
    const b = await Tab.open(rig.base, { token: TOKEN, resume: a.hello!.resume });
    await b.waitText('written while away');
    await b.waitText(PROMPT);
    expect(b.hello!.session).toBe(a.hello!.session);
    expect(await run(b, 'echo $x')).toBe('remembered\n');
    await expect(Tab.open(rig.base, { token: TOKEN, resume: 'made-up' })).rejects.toThrow('HTTP 410');
  });

  it('the grace period and the idle time end sessions; the limit on sessions holds', async () => {
    rig = await webRig({ graceMs: 200, idleMs: 60_000, maxSessions: 2 });
    const a = await ready(rig.base);
    const b = await ready(rig.base);
    await expect(Tab.open(rig.base)).rejects.toThrow('HTTP 503');
    a.ws.terminate();
    await b.until(() => rig!.web.sessions.size === 1, 'grace ended session', 5000);
    await ready(rig.base); // a slot is free again
    await rig.close();
    rig = await webRig({ idleMs: 300 });
    const c = await ready(rig.base);
    await c.until(() => c.closed !== undefined, 'idle close', 5000);
    expect(c.msgs.find((m) => m.t === 'bye')).toMatchObject({ why: 'idle for 0 s' });
  });

  it('200 sessions opened and closed leave the process count where it was', async () => {
    rig = await webRig({ maxSessions: 200 });
    const k = rig.node.kernel;
    const baseline = k.procs.size;
    for (let round = 0; round < 10; round++) {
      const tabs = await Promise.all(Array.from({ length: 20 }, () => ready(rig!.base)));
      tabs[0]!.type('sleep 100\r'); // one mid-command
      for (const t of tabs) t.close(round % 2 ? 1001 : 1000);
      await tabs[0]!.until(() => rig!.web.sessions.size === 0, 'sessions ended');
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(k.procs.size).toBe(baseline);
    expect(rig.node.cons).toBeDefined();
  }, 120_000);
});
