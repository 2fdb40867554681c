// rc on a console, as a terminal drives it: raw-mode line editing, history, ^C during a
// running command, ^D. The terminal side is the node's Console (the same object cohesix
// boot's tty and the web console drive).

import { afterEach, describe, expect, it } from 'vitest';
import { boot } from '../kernel/boot.ts';
import type { BootResult } from '../kernel/boot.ts';
import { startSession } from '../bin/session.ts';
import type { Session } from '../bin/session.ts';
import { userland } from '../bin/userland.ts';

const nodes: BootResult[] = [];
afterEach(async () => { for (const n of nodes.splice(0)) await n.kernel.shutdown(); });

/** A terminal on a session: everything shown, and a way to wait for text to appear. */
async function term(role = 'QueenPrimary'): Promise<{ node: BootResult; s: Session; screen: () => string; type: (t: string) => void; until: (re: RegExp, ms?: number) => Promise<void> }> {
  const node = await boot({ role, programs: userland() });
  nodes.push(node);
  let shown = '';
  const s = await startSession(node);
  s.console.onOutput((b) => { shown += Buffer.from(b).toString('utf8'); });
  const until = async (re: RegExp, ms = 5000): Promise<void> => {
    const t0 = Date.now();
    while (!re.test(shown)) {
      if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${re} in ${JSON.stringify(shown)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { node, s, screen: () => shown, type: (t) => s.console.input(t), until };
}

describe('rc on a console', () => {
  it('prompts with the node name and runs what is typed', async () => {
    const t = await term();
    await t.until(/cohesix% $/);
    t.type('cat /srv/cohrole\r');
    await t.until(/\nQueenPrimarycohesix% $/); // /srv/cohrole has no newline, as Plan 9 files of one value
    t.type('bind -a /tmp /n; ns | grep -c /n\r');
    await t.until(/\n[1-9]\d*\ncohesix% $/);
  });

  it('edits the line: arrows, ^A ^E, ^U, ^W, backspace', async () => {
    const t = await term();
    await t.until(/% $/);
    // "echo hllo" -> left 3, insert e -> "echo hello"; ^A then "x" then ^E... then fix with backspace
    t.type('echo hllo\x1b[D\x1b[D\x1b[De\r');
    await t.until(/\nhello\n/);
    t.type('junk words\x17\x17echo \x01\x05ok\r'); // ^W ^W removes both words; ^A ^E move
    await t.until(/\nok\n/);
    t.type('echo zzz\x15echo cleared\r'); // ^U kills the line
    await t.until(/\ncleared\n/);
    t.type('echo abcd\x7f\x7f\r');
    await t.until(/\nab\n/);
  });

  it('recalls history with up and down', async () => {
    const t = await term();
    await t.until(/% $/);
    t.type('echo first\r');
    await t.until(/\nfirst\n/);
    t.type('echo second\r');
    await t.until(/\nsecond\n/);
    t.type('\x1b[A\x1b[A\r'); // up twice: echo first
    await t.until(/\nsecond\n[^]*\nfirst\ncohesix% $/);
  });

  it('^C interrupts a running sleep and not the shell; the rest of the line is dropped', async () => {
    const t = await term();
    await t.until(/% $/);
    t.type('sleep 10; echo not-after\r');
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    t.type('\x03');
    await t.until(/% $/);
    expect(Date.now() - t0).toBeLessThan(3000);
    t.type('echo alive\r');
    await t.until(/\nalive\n/);
    expect(t.screen()).not.toMatch(/\nnot-after\n/);
  });

  it('fn sigint catches the interrupt: it runs, and the rest of the line goes on', async () => {
    const t = await term();
    await t.until(/% $/);
    t.type('fn sigint {echo caught}\r');
    await t.until(/% $/);
    t.type('sleep 10; echo went-on\r');
    await new Promise((r) => setTimeout(r, 100));
    t.type('\x03');
    await t.until(/\ncaught\nwent-on\n[^]*% $/);
  });

  it('^C at the prompt abandons the line; a syntax error does not kill the shell', async () => {
    const t = await term();
    await t.until(/% $/);
    t.type('echo half\x03');
    await t.until(/\^C/);
    t.type('echo (\r');
    await t.until(/syntax error/);
    t.type('if(true)\r');
    await t.until(/\t$/); // continuation prompt
    t.type('echo continued\r');
    await t.until(/\ncontinued\n/);
  });

  it('^D at an empty line ends the session', async () => {
    const t = await term();
    await t.until(/% $/);
    t.type('\x04');
    expect(await t.s.done).toBe('');
  });

  it('a role with a command list refuses other programs, and says why', async () => {
    const t = await term('KioskInteractive');
    await t.until(/% $/);
    t.type('cat /srv/cohrole\r');
    await t.until(/\nKioskInteractivecohesix% $/);
    t.type('grep x /srv/cohrole\r');
    await t.until(/grep: command not allowed in role KioskInteractive\n/);
  });

  it('a console session is a login: /adm/who and finger while it lasts, last and /adm/wtmp after', async () => {
    const t = await term();
    await t.until(/% $/);
    t.type('cat /adm/who; finger; last\r');
    await t.until(/\nconsole glenda \d+ tty \d+\n[^]*Login +Session[^]*\nglenda +console +[^]*tty\n[^]*glenda +console +tty +\w{3} \w{3} \d\d \d\d:\d\d +still logged in\n[^]*% $/);
    t.type('\x04');
    await t.s.done;
    const wtmp = (await t.node.sys.readFile('/adm/wtmp')).toString();
    expect(wtmp).toMatch(/^login console glenda \d+ tty\nlogout console glenda \d+\n$/);
    expect((await t.node.sys.readFile('/adm/who')).toString()).toBe('');
  });
});

