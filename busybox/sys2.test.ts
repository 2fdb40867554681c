// The system commands (busybox/group-sys.ts) in a booted QueenPrimary node, run through rc:
// ps, kill and slay against real background processes, date, uptime, sysname, whoami, who,
// and srv and import against real 9P servers on 127.0.0.1 (a ramfs, and a node's export).

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { boot } from '../kernel/boot.ts';
import type { BootResult } from '../kernel/boot.ts';
import { ExportFs } from '../kernel/export.ts';
import { Ramfs } from '../fs/server/ramfs.ts';
import { Server } from '../fs/server/server.ts';
import { listen } from '../fs/transport/net.ts';
import type { Listener } from '../fs/transport/net.ts';
import { runCollected } from '../bin/hostio.ts';
import { userland } from '../bin/userland.ts';
import { rcMain } from '../rc/main.ts';
import { SYS_COMMANDS } from './group-sys.ts';
import { parseStatus } from './cmd/proclist.ts';
import { asctime, tm } from './cmd/ctime.ts';
import { importAddr } from './cmd/import.ts';

const nodes: BootResult[] = [];
afterEach(async () => { for (const n of nodes.splice(0)) await n.kernel.shutdown(); });

async function node(): Promise<BootResult> {
  const n = await boot({ role: 'QueenPrimary', programs: new Map([...userland(), ...SYS_COMMANDS]) });
  nodes.push(n);
  return n;
}

async function rc(script: string, on?: BootResult): Promise<{ out: string; err: string; status: string; node: BootResult }> {
  const n = on ?? await node();
  return { ...await runCollected(n, rcMain, ['rc', '-c', script]), node: n };
}

/** Plan 9 ps's line: user, pid, two times, memory, state padded to 8, name. */
const PSLINE = /^(\S+) +(\d+) +\d+:\d\d +\d+:\d\d +\d+K (\S+) +(.*)$/;

describe('ps', () => {
  it('lists the processes by pid in Plan 9 columns, the shell and itself among them', async () => {
    const r = await rc('ps');
    expect(r.status).toBe('');
    const lines = r.out.trimEnd().split('\n');
    for (const l of lines) expect(l).toMatch(PSLINE);
    const rows = lines.map((l) => PSLINE.exec(l)!);
    const pids = rows.map((m) => Number(m[2]));
    expect(pids).toEqual([...pids].sort((a, b) => a - b));
    expect(rows.every((m) => m[1] === 'glenda')).toBe(true);
    const rcRow = rows.find((m) => m[4] === 'rc')!;
    const psRow = rows.find((m) => m[4] === 'ps')!;
    expect(rcRow).toBeDefined();
    expect(psRow).toBeDefined();
    expect(Number(psRow[2])).toBeGreaterThan(Number(rcRow[2]));
    // user padded to 10, pid right-aligned in 8, state in 8 then a blank, as ps.c prints
    expect(lines.find((l) => l.endsWith(' ps'))).toMatch(/^glenda {5}[ 0-9]{8} {4}0:00 {3}0:00 +0K Running  ps$/);
  });

  it('-a shows the arguments, -p the priorities, -r the real time', async () => {
    const r = await rc("ps -a | grep ' ps -a$'; ps -p | grep ' ps$'; ps -r | grep ' ps$'");
    const [a, p, real] = r.out.trimEnd().split('\n');
    expect(a).toMatch(/ Running  ps -a$/);
    expect(p).toMatch(/ 0:00 10 10 +0K Running  ps$/);
    expect(real).toMatch(/^glenda +\d+ +0:\d\d +0:00 +0:00 +0K Running  ps$/);
    const rcArgs = await rc("ps -a | grep ' rc -c'");
    expect(rcArgs.out).toContain("Running  rc -c 'ps -a | grep '' rc -c'''\n"); // args as /proc/N/args quotes them
  });

  it('refuses operands and unknown flags with its usage', async () => {
    const r = await rc('ps -z; echo $status; ps 1; echo $status');
    expect(r.err).toBe('usage: ps [-apr]\nusage: ps [-apr]\n');
    expect(r.out).toBe('usage\nusage\n');
  });

  it('parses status files by column (a name may hold a blank)', () => {
    const pad = (s: string, w: number): string => s.padEnd(w);
    const num = (n: number): string => String(n).padStart(11) + ' ';
    const text = pad('my prog', 28) + pad('glenda', 28) + pad('Sleep', 12) + [3000, 1000, 65000, 0, 0, 0, 12, 10, 13].map(num).join('') + '\n';
    expect(parseStatus(9, text)).toEqual({ pid: 9, name: 'my prog', user: 'glenda', state: 'Sleep', utime: 3, stime: 1, rtime: 65, size: 12, basepri: 10, pri: 13 });
    expect(parseStatus(9, 'short')).toBeUndefined();
  });
});

describe('kill and slay', () => {
  it('kill NAME prints rc commands for the processes of that name; piped to rc they end it', async () => {
    const r = await rc('sleep 100 & a=$apid; sleep 0.05; kill sleep; kill sleep | rc; wait $a; echo status $status; kill sleep; echo done');
    const [line, st, done] = r.out.trimEnd().split('\n');
    expect(line).toMatch(/^echo kill>\/proc\/(\d+)\/note # glenda +\1 +0:00 +0:00 +0K \S+ +sleep$/);
    expect(st).toMatch(/^status .*kill/);
    expect(done).toBe('done'); // nothing left to kill: no lines
    expect(r.err).toBe('');
  });

  it('slay NAME prints ctl commands; piped to rc they end it', async () => {
    const r = await rc('sleep 100 & a=$apid; sleep 0.05; slay sleep; slay sleep | rc; wait $a; echo status $status');
    const [line, st] = r.out.trimEnd().split('\n');
    expect(line).toMatch(/^echo kill>\/proc\/(\d+)\/ctl # glenda +\1 .* sleep$/);
    expect(st).toMatch(/^status .*kill/);
  });

  it('kill PID and kill -9 PID act at once', async () => {
    // The pid of the sleep itself (a background command runs in a forked rc that waits for it).
    const find = "pid=`{ps | grep ' sleep$' | sed 's/^[^ ]* +//; s/ .*//'}";
    const r = await rc(`sleep 100 & a=$apid; sleep 0.05; ${find}; kill -9 $pid; wait $a; echo one $status
      sleep 100 & a=$apid; sleep 0.05; ${find}; kill $pid; wait $a; echo two $status
      sleep 100 & a=$apid; sleep 0.05; ${find}; kill -KILL $pid; wait $a; echo three $status`);
    expect(r.err).toBe('');
    const [one, two, three] = r.out.trimEnd().split('\n');
    expect(one).toMatch(/^one .*kill/);
    expect(two).toMatch(/^two .*kill/);
    expect(three).toMatch(/^three .*kill/);
  });

  it('kill -s interrupt PID posts that note', async () => {
    const find = "pid=`{ps | grep ' sleep$' | sed 's/^[^ ]* +//; s/ .*//'}";
    const r = await rc(`sleep 100 & a=$apid; sleep 0.05; ${find}; kill -s interrupt $pid; wait $a; echo st $status`);
    expect(r.out).toMatch(/^st .*interrupt/);
  });

  it('errors: no such process, a name where a pid is wanted, unknown signal, no operands, unknown flag', async () => {
    const r = await rc(`kill 99999; echo $status
      kill -9 abc; echo $status
      kill -s 77 1; echo $status
      kill; echo $status
      kill -z 1; echo $status
      slay; echo $status
      slay -x sleep; echo $status
      kill -l`);
    expect(r.out.split('\n')).toEqual([
      'process does not exist', 'not a process id', 'usage', 'usage', 'usage', 'usage', 'usage', 'kill interrupt', '',
    ]);
    expect(r.err).toContain('kill: 99999: process does not exist\n');
    expect(r.err).toContain('kill: abc: not a process id\n');
    expect(r.err).toContain('kill: 77: unknown signal\n');
    expect(r.err).toContain('usage: kill ');
    expect(r.err).toContain('usage: slay name ...\n');
  });
});

describe('date, uptime, sysname, whoami, who', () => {
  it('date -n is the time in seconds, within a second of the host clock', async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = await rc('date -n');
    const after = Math.floor(Date.now() / 1000);
    const n = Number(r.out.trim());
    expect(n).toBeGreaterThanOrEqual(before - 1);
    expect(n).toBeLessThanOrEqual(after + 1);
  });

  it('date prints ctime: -u in GMT, a given time, $TZ, ISO 8601 with -i and -t', async () => {
    const r = await rc('date -u; date -u 0; date -u 1000000000; TZ=America/New_York date 0; TZ=UTC date -t 86400; date -i -u 0; date');
    const [now, zero, billion, ny, iso, isod, local] = r.out.trimEnd().split('\n');
    expect(now).toMatch(/^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 1-3]\d \d\d:\d\d:\d\d GMT \d{4}$/);
    const secs = Date.parse(now!.replace(' GMT', '') + ' GMT');
    expect(Math.abs(secs - Date.now())).toBeLessThan(2000);
    expect(zero).toBe('Thu Jan  1 00:00:00 GMT 1970');
    expect(billion).toBe('Sun Sep  9 01:46:40 GMT 2001');
    expect(ny).toBe('Wed Dec 31 19:00:00 EST 1969');
    expect(iso).toBe('1970-01-02T00:00:00+00:00');
    expect(isod).toBe('1970-01-01');
    expect(local).toMatch(/^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \S+ \d{4}$/);
    expect(asctime(tm(0, 'UTC'))).toBe('Thu Jan  1 00:00:00 GMT 1970');
  });

  it('date errors: a bad time, an unknown zone, an unknown flag', async () => {
    const r = await rc('date xyz; echo $status; TZ=Nowhere/Land date; echo $status; date -q; echo $status; date 1 2; echo $status');
    expect(r.out).toBe('usage\n$TZ: unknown time zone \'Nowhere/Land\'\nusage\nusage\n');
    expect(r.err).toContain("date: bad time 'xyz': want seconds since the epoch\n");
    expect(r.err).toContain("date: $TZ: unknown time zone 'Nowhere/Land'\n");
    expect(r.err).toContain('usage: date [-itnu] [seconds]\n');
  });

  it('uptime reads /dev/time', async () => {
    const r = await rc('uptime; uptime -n; uptime -x; echo $status');
    const [line, n, st] = r.out.trimEnd().split('\n');
    expect(line).toMatch(/^\d\d:\d\d:\d\d up 0 days, 00:00$/);
    expect(Number(n)).toBeGreaterThanOrEqual(0);
    expect(Number(n)).toBeLessThan(5);
    expect(st).toBe('usage');
  });

  it('sysname and whoami', async () => {
    const r = await rc('sysname; whoami; sysname x; echo $status; sysname -x; echo $status; whoami -v; echo $status; whoami me; echo $status');
    expect(r.out).toBe(`${r.node.kernel.sysname}\nglenda\nusage\nusage\nusage\nusage\n`);
    expect(r.err).toBe('usage: sysname\nusage: sysname\nusage: whoami\nusage: whoami\n');
    const s = await (async () => {
      const n = await boot({ role: 'QueenPrimary', sysname: 'hive7', programs: new Map([...userland(), ...SYS_COMMANDS]) });
      nodes.push(n);
      return rc('sysname', n);
    })();
    expect(s.out).toBe('hive7\n');
  });

  it('who lists the login records, or the console session from /dev/user when there are none', async () => {
    const t = 1795567868;
    const r = await rc(`echo 'console glenda ${t} tty 5' > /tmp/who; echo 'web.2 ada ${t} 10.0.0.9 4000' >> /tmp/who; echo 'junk' >> /tmp/who
      TZ=UTC who /tmp/who
      @{rfork n; unmount /adm >[2]/dev/null; who}
      who /tmp/nothere; echo $status; who a b; echo $status; who -x; echo $status`);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe('glenda     console      Nov 25 00:51     .  (tty)');
    expect(lines[1]).toBe('ada        web.2        Nov 25 00:51 01:06  (10.0.0.9)');
    expect(lines[2]).toMatch(/^glenda +console +\w{3} [ \d]\d \d\d:\d\d +- +\(console\)$/);
    expect(lines.slice(3)).toEqual(['/tmp/nothere: file does not exist', 'usage', 'usage']);
    expect(r.err).toContain("who: /tmp/who: bad record 'junk'\n");
    expect(r.err).toContain('who: /tmp/nothere: file does not exist\n');
  });
});

describe('srv and import against real 9P servers', () => {
  const ramfs = new Server(new Ramfs());
  let ramL: Listener;
  let remote: BootResult;
  let exportSrv: Server<unknown>;
  let exportL: Listener;
  beforeAll(async () => {
    ramL = await listen('tcp!127.0.0.1!0', (link) => ramfs.serve(link));
    // A second node exporting its namespace, as `cohesix serve` does.
    remote = await boot({ role: 'QueenPrimary', sysname: 'remote' });
    exportSrv = new Server(new ExportFs(remote.sys));
    exportL = await listen('tcp!127.0.0.1!0', (link) => exportSrv.serve(link));
    await remote.sys.writeFile('/tmp/hello', 'from the remote node\n');
  });
  afterAll(async () => {
    ramfs.closeAll(); await ramL.close();
    exportSrv.closeAll(); await exportL.close();
    await remote.kernel.shutdown();
  });

  it('srv posts a dialed session in /srv and mounts it', async () => {
    const r = await rc(`srv -c ${ramL.address} ram /n/ram && echo posted; ls /srv | grep '^ram$'
      echo over tcp > /n/ram/greeting; cat /n/ram/greeting; ns | grep ' /n/ram$'`);
    expect(r.err).toBe('post...\n');
    expect(r.out).toBe('posted\nram\nover tcp\nmount -c /srv/ram /n/ram\n');
  });

  it('srv without a srvname posts under the dial string; -q is quiet; a second post of a name is refused', async () => {
    const r = await rc(`srv -q ${ramL.address}; ls /srv | grep '^tcp!'; srv -q ${ramL.address}; echo $status`);
    expect(r.out).toBe(`${ramL.address}\n/srv/${ramL.address} already exists\n`);
    expect(r.err).toBe(`srv: /srv/${ramL.address} already exists\n`);
  });

  it('srv errors: unreachable server, bad dial string, bad srvname, usage', async () => {
    const r = await rc(`srv tcp!127.0.0.1!1 dead; echo $status
      srv 'bogus!x!y' b; echo $status
      srv ${ramL.address} a/b; echo $status
      srv; echo $status; srv -z x; echo $status; srv a b c d; echo $status
      ls /srv | grep -c dead`);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^tcp!127\.0\.0\.1!1: .*(ECONNREFUSED|refused)/);
    expect(lines[1]).toMatch(/^bogus!x!y: bad dial string/);
    expect(lines.slice(2)).toEqual(['usage', 'usage', 'usage', 'usage', '0']);
    expect(r.err).toMatch(/srv: tcp!127\.0\.0\.1!1: /);
    expect(r.err).toContain("srv: bad srvname 'a/b'\n");
    expect(r.err).toContain('usage: srv [-abcq] dialstring [srvname [mountpoint]]\n');
  });

  it('import mounts a subtree of an exported node (the attach name selects it)', async () => {
    const port = exportL.address.split('!')[2];
    const r = await rc(`import -c ${exportL.address} /tmp /n/remote && cat /n/remote/hello
      echo back > /n/remote/reply; ls /n/remote; ns | grep /n/remote
      @{rfork n; import tcp!127.0.0.1!${port} /srv /n/rsrv; cat /n/rsrv/cohrole; echo}
      @{rfork n; import tcp!127.0.0.1!${port} /tmp; cat /tmp/hello}
      ls /srv | grep -c import`);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines.slice(0, 3)).toEqual(['from the remote node', 'hello', 'reply']);
    // One mount of the remote /tmp, by dial string, or by a posted session where the kernel
    // refuses a role's dial mounts (see import.ts); the post is gone either way.
    expect(lines[3]).toMatch(new RegExp(`^mount -c (${exportL.address}|/srv/import\\.\\d+\\._n_remote) /n/remote /tmp$`));
    expect(lines.slice(4)).toEqual(['QueenPrimary', 'from the remote node', '0', '']);
    expect((await remote.sys.readFile('/tmp/reply')).toString()).toBe('back\n');
  });

  it('import -w binds the subtree of a server that ignores attach names; -s posts the session', async () => {
    const r = await rc(`srv -qc ${ramL.address} r /n/r; mkdir /n/r/sub; echo deep > /n/r/sub/f
      import -w ${ramL.address} /sub /n/w; cat /n/w/f; ns | grep -c import
      import -s imp ${exportL.address} /tmp /n/x; ls /srv | grep imp; cat /n/x/hello`);
    expect(r.err).toBe('');
    expect(r.out).toBe('deep\n2\nimp\nfrom the remote node\n');
  });

  it('import errors: usage, relative remote path, bad dial string, missing remote subtree', async () => {
    const r = await rc(`import; echo $status; import -q a /b; echo $status; import a b; echo $status
      import 'x/y' /tmp /n/q; echo $status
      import ${exportL.address} /nothere /n/q; echo $status`);
    const lines = r.out.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual(['usage', 'usage', 'usage', 'usage']);
    expect(lines[4]).toBe(`${exportL.address} /nothere: file does not exist`);
    expect(r.err).toContain('usage: import [-abcw] [-s srvname] dialstring file [mountpoint]\n');
    expect(r.err).toContain('import: b: the remote file must be an absolute path\n');
    expect(r.err).toContain("import: bad dial string 'x/y'\n");
  });

  it('dial strings without a port get cohesix serve\'s', () => {
    expect(importAddr('node7')).toBe('tcp!node7!5640');
    expect(importAddr('tcp!node7')).toBe('tcp!node7!5640');
    expect(importAddr('tcp!node7!99')).toBe('tcp!node7!99');
    expect(importAddr('node7:99')).toBe('node7:99');
    expect(importAddr('unix!/tmp/s')).toBe('unix!/tmp/s');
    expect(() => importAddr('a/b')).toThrow(/bad dial string/);
  });
});
