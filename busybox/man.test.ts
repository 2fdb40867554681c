// man, lookman and help in a booted node reading /sys/man (the #man device over the
// repository's man/), and the shape of every page in man/.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCollected } from '../bin/hostio.ts';
import { userland } from '../bin/userland.ts';
import { boot } from '../kernel/boot.ts';
import type { BootResult } from '../kernel/boot.ts';
import { Right } from '../kernel/cap.ts';
import { ManDevice, manRoot } from '../kernel/dev/man.ts';
import type { Program } from '../kernel/kernel.ts';
import { rcMain } from '../rc/main.ts';
import { help } from './cmd/help.ts';
import { nameLine } from './cmd/man.ts';
import { MAN_COMMANDS } from './group-man.ts';

const MAN = manRoot()!;
const nodes: BootResult[] = [];
afterEach(async () => { for (const n of nodes.splice(0)) await n.kernel.shutdown(); });

/** A node with the manual at /sys/man (boot does this itself once it binds #man). */
async function node(role = 'QueenPrimary'): Promise<BootResult> {
  const n = await boot({ role, programs: new Map([...userland(), ...MAN_COMMANDS]) });
  nodes.push(n);
  if (!n.kernel.devices.has('#man')) {
    n.kernel.addDevice('#man', new ManDevice({}));
    n.kernel.grant(n.init, 'dev:#man', Right.read | Right.walk | Right.mount);
    // The root is a skeleton that takes only new mount points directly under it, so /sys
    // comes first (boot makes it from #boot); mntgen has every name as a directory.
    n.kernel.grant(n.init, 'dev:#mntgen', Right.read | Right.walk | Right.mount);
    n.kernel.grant(n.init, 'ns', Right.mount);
    await n.sys.bind('#mntgen', '/sys');
    await n.sys.bind('#man', '/sys/man');
  }
  return n;
}

interface Ran { out: string; err: string; status: string }

async function run(n: BootResult, prog: Program, argv: string[]): Promise<Ran> {
  return runCollected(n, prog, argv);
}

const rc = (n: BootResult, script: string): Promise<Ran> => run(n, rcMain, ['rc', '-c', script]);
const page = (section: string, name: string): string => readFileSync(join(MAN, section, name), 'utf8');

describe('man', () => {
  it('prints a page: section 1 first, or the section asked for', async () => {
    const n = await node();
    expect(await rc(n, 'man ls')).toEqual({ out: page('1', 'ls'), err: '', status: '' });
    expect((await rc(n, 'man 3 cons')).out).toBe(page('3', 'cons'));
    expect((await rc(n, 'man cons')).out).toBe(page('3', 'cons'));
    expect((await rc(n, 'man 8 boot')).out).toBe(page('8', 'boot'));
    expect((await rc(n, 'man 3 boot')).out).toBe(page('3', 'boot'));
    expect((await rc(n, 'man echo cat')).out).toBe(page('1', 'echo') + page('1', 'cat'));
  });

  it('finds a page by a name its NAME section lists', async () => {
    const n = await node();
    expect((await rc(n, "man '['")).out).toBe(page('1', 'test'));
    expect((await rc(n, 'man whatis')).out).toBe(page('1', 'rc'));
  });

  it('-w prints where the page is', async () => {
    const n = await node();
    expect((await rc(n, 'man -w ls; man -w 3 pipe; man -w rfork')).out).toBe('/sys/man/1/ls\n/sys/man/3/pipe\n/sys/man/1/rc\n');
  });

  it('no entry: a message on stderr and status "no entry"; the others still print', async () => {
    const n = await node();
    expect(await rc(n, 'man nosuch')).toEqual({ out: '', err: 'man: no entry for nosuch\n', status: 'no entry' });
    const r = await rc(n, 'man 4 ls');
    expect(r.err).toBe('man: no entry for ls in section 4\n');
    expect(r.status).toBe('no entry');
    const both = await rc(n, 'man nosuch echo');
    expect(both.out).toBe(page('1', 'echo'));
    expect(both.status).toBe('no entry');
    expect((await rc(n, 'man ../1/ls')).status).toBe('no entry');
    expect(await rc(n, 'man')).toEqual({ out: '', err: 'usage: man [-kw] [section ...] name ...\n', status: 'usage' });
  });

  it('-k lists the pages whose NAME section mentions a word', async () => {
    const n = await node();
    const r = await rc(n, 'man -k pipe');
    expect(r.status).toBe('');
    const lines = r.out.trimEnd().split('\n');
    for (const l of lines) expect(l).toMatch(/^\S+\(\d\) - \S.*$/);
    expect(lines).toContain(`pipe(3) - ${nameLine(page('3', 'pipe'))!.description}`);
    expect(await rc(n, 'man -k zzqqxx')).toEqual({ out: '', err: 'man: nothing appropriate for zzqqxx\n', status: 'no entry' });
  });
});

describe('lookman', () => {
  it('lists the pages holding every word, as `man S NAME # NAME(S)`', async () => {
    const n = await node();
    const r = await rc(n, 'lookman namespace');
    expect(r.status).toBe('');
    const lines = r.out.trimEnd().split('\n');
    for (const l of lines) expect(l).toMatch(/^man (\d) (\S+) # \2\(\1\)$/);
    expect(lines).toContain('man 1 ns # ns(1)');
    expect(lines).toContain('man 1 bind # bind(1)');
    expect(lines).toContain('man 3 root # root(3)');
    const both = await rc(n, 'lookman NAMESPACE union');
    expect(both.out).toContain('man 1 bind # bind(1)');
    expect(both.out.split('\n').length).toBeLessThan(lines.length + 1);
    expect(await rc(n, 'lookman zzqqxx')).toEqual({ out: '', err: '', status: 'no match' });
  });
});

describe('help', () => {
  it('QueenPrimary: every program in /bin, each with its page\'s description', async () => {
    const n = await node();
    const r = await rc(n, 'help');
    expect(r.status).toBe('');
    const names = r.out.trimEnd().split('\n').map((l) => l.split(' - ')[0]);
    const progs = [...n.kernel.programs.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(names).toEqual(progs);
    expect(r.out).toContain(`\nls - ${nameLine(page('1', 'ls'))!.description}\n`);
    expect(r.out).toContain(`\nman - ${nameLine(page('1', 'man'))!.description}\n`);
    expect(r.out).toContain(`[ - ${nameLine(page('1', 'test'))!.description}\n`);
  });

  it('KioskInteractive: only the commands its role allows that exist (no /proc there)', async () => {
    const n = await node('KioskInteractive');
    const r = await run(n, help, ['help']);
    expect(r.status).toBe('');
    expect(r.out).toBe(['cat', 'cohcc', 'echo', 'ls', 'mount', 'run'].map((c) => `${c} - ${nameLine(page('1', c))!.description}\n`).join(''));
    // The kernel refuses what help leaves out; upstream's list leaves out help itself, so a
    // kiosk's shell is told so (help, run by the node's own tools, still knows the list).
    expect((await rc(n, 'grep x /dev/null')).err).toBe('grep: command not allowed in role KioskInteractive\n');
    expect((await rc(n, 'help')).err).toBe('help: command not allowed in role KioskInteractive\n');
  });
});

describe('the pages', () => {
  const files: Array<{ section: string; name: string; text: string }> = [];
  for (const section of readdirSync(MAN).sort()) {
    if (!statSync(join(MAN, section)).isDirectory()) continue;
    for (const name of readdirSync(join(MAN, section)).sort()) files.push({ section, name, text: page(section, name) });
  }

  it('exist for every command, device, service and admin topic this part of the manual covers', () => {
    const want: Record<string, string[]> = {
      1: ['echo', 'cat', 'seq', 'wc', 'sort', 'uniq', 'tr', 'grep', 'sed', 'basename', 'test', 'mkdir', 'rm', 'touch', 'ls',
        'env', 'true', 'false', 'pwd', 'sleep', 'bind', 'mount', 'unmount', 'ns', 'rc', 'man', 'lookman', 'help', 'cohesix'],
      3: ['cons', 'env', 'pipe', 'bin', 'srv', 'proc', 'dup', 'mntgen', 'boot', 'root'],
      4: ['input', 'telemetry', 'testlog', 'worker', 'log'],
      8: ['roles', 'boot'],
    };
    for (const [s, names] of Object.entries(want)) for (const name of names) expect(files.some((f) => f.section === s && f.name === name), `${name}(${s})`).toBe(true);
  });

  it('each has NAME, then SYNOPSIS (or, for sections 3, 4 and 8, FILES or DESCRIPTION)', () => {
    for (const f of files) {
      const heads = f.text.split('\n').filter((l) => /^[A-Z][A-Z0-9 ]*$/.test(l));
      expect(heads, `${f.name}(${f.section})`).toContain('NAME');
      const ok = heads.includes('SYNOPSIS') || (f.section !== '1' && (heads.includes('FILES') || heads.includes('DESCRIPTION')));
      expect(ok, `${f.name}(${f.section}) sections: ${heads.join(' ')}`).toBe(true);
    }
  });

  it('each NAME line reads `name[, name...] - description` and names the page itself', () => {
    for (const f of files) {
      // The NAME section's lines, joined (a long list of names may wrap).
      const lines = f.text.split('\n');
      const at = lines.indexOf('NAME');
      const end = lines.findIndex((l, i) => i > at && /^[A-Z]/.test(l));
      const body = lines.slice(at + 1, end < 0 ? undefined : end).map((l) => l.trim()).filter((l) => l !== '').join(' ');
      expect(body, `${f.name}(${f.section})`).toMatch(/^[^\s,]+(, [^\s,]+)* - \S.*$/);
      expect(nameLine(f.text)!.names, `${f.name}(${f.section})`).toContain(f.name);
    }
  });
});
