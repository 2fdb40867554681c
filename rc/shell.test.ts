// rc behaviour the differential corpus cannot show (it has no Cohesix kernel on the other
// side): environments of commands, /fd, namespaces, bounds, errors that keep the shell.

import { afterEach, describe, expect, it } from 'vitest';
import { runHosted } from '../bin/hostio.ts';
import { rcMain } from './main.ts';
import { RcNodes } from './testing.ts';

const nodes = new RcNodes();
afterEach(() => nodes.shutdown());

function rc(script: string, opts: { role?: string; stdin?: string; args?: string[] } = {}): ReturnType<RcNodes['rc']> {
  return nodes.rc(script, opts);
}

describe('rc in a node', () => {
  it('exports variables (lists NUL-separated) and functions to commands, locals only to their command', async () => {
    const r = await rc("x=(a b) y=local env | grep '^[xy]='; fn f {echo hi}; env | grep '^fn#f='; echo y is $#y");
    expect(r.out).toBe('x=a b\ny=local\nfn#f={echo hi}\ny is 0\n');
  });

  it('a child rc inherits functions and variables through /env', async () => {
    await (async () => {
      const r = await rc("fn greet {echo hello $1}; v=(1 2 3); rc -c 'greet world; echo $#v'");
      expect(r.out).toBe('hello world\n3\n');
    })();
  });

  it('a command not found prints `name: file does not exist` and sets $status', async () => {
    const r = await rc('nosuch a b; echo status $status; ./nothere; echo again');
    expect(r.err).toBe('nosuch: file does not exist\n./nothere: file does not exist\n');
    expect(r.out).toBe('status file does not exist\nagain\n');
  });

  it('bounds runaway recursion and reports it; the shell goes on when interactive', async () => {
    const r = await rc('fn f {f}; f; echo never');
    expect(r.err).toMatch(/rc: f: function nesting deeper than 1000/);
    expect(r.out).toBe('');
    expect(r.status).toMatch(/function nesting/);
    const i = await rc('', { args: ['-i'], stdin: 'fn f {f}\nf\necho still here\n' });
    expect(i.out).toContain('still here\n');
  });

  it('bounds an enormous list', async () => {
    const r = await rc('x=a; for(i in `{seq 25}) x=($x $x); echo never');
    expect(r.err).toMatch(/rc: list too long/);
    expect(r.out).toBe('');
  });

  it('syntax errors name the line and token; -i goes on after them', async () => {
    const r = await rc('', { args: ['-i'], stdin: 'echo one\necho )\necho two\n' });
    expect(r.err).toContain("rc:1: syntax error near ')'");
    expect(r.out).toMatch(/one\n[^]*two\n/);
  });

  it('<{cmd} and >{cmd} are /fd names of kernel pipes; /fd lists the open fds', async () => {
    const r = await rc('cat <{echo a} <{echo b}; echo <{true}; ls /fd');
    expect(r.out).toMatch(/^a\nb\n\/fd\/\d+\n0\n1\n2\n$/);
  });

  it('a here document larger than a pipe buffer arrives whole', async () => {
    const line = 'x'.repeat(99);
    const body = Array.from({ length: 2000 }, () => line).join('\n');
    const r = await rc(`wc -c <<EOF\n${body}\nEOF\n`);
    expect(r.out.trim()).toBe(String(2000 * 100));
  });

  it('rfork n gives the shell its own namespace; @{...} subshells keep theirs', async () => {
    const r = await rc('@{rfork n; bind /tmp /n; ls /n | wc -l}; ls /n | wc -l; mkdir /tmp/d; bind -a /tmp /n; ls -d /n/d');
    expect(r.out).toBe('0\n0\n/n/d\n');
  });

  it('flag e ends the script at the first failure outside a condition', async () => {
    const r = await rc('flag e +; if(false) echo no; false || echo cond-ok; false; echo never');
    expect(r.out).toBe('cond-ok\n');
    expect(r.status).toBe('false');
  });

  it('exit status of rc is its final $status; exit takes a string', async () => {
    expect((await rc('true')).status).toBe('');
    expect((await rc('false')).status).toBe('false');
    expect((await rc('exit bad news')).status).toBe('bad news');
    expect((await rc('true | true')).status).toBe('');
  });

  it('fn sigexit runs when the shell ends', async () => {
    const r = await rc('fn sigexit {echo bye}; echo hi');
    expect(r.out).toBe('hi\nbye\n');
  });

  it('whatis finds programs along $path; cd follows $cdpath', async () => {
    const r = await rc('whatis ls cd; mkdir -p /tmp/a/b; cdpath=(/tmp/a); cd b; pwd');
    expect(r.out).toBe('/bin/ls\nbuiltin cd\n/tmp/a/b\n');
  });

  it('runs a script file with $0 and $*, and -l reads $home/lib/profile', async () => {
    const r = await rc('', { args: ['-l', '-c', 'echo $greeting'] });
    expect(r.out).toBe('\n');
    const node = r.node;
    await node.sys.mkdir('/tmp/lib');
    await node.sys.writeFile('/tmp/lib/profile', 'greeting=from-profile\n');
    await node.sys.writeFile('/tmp/s.rc', 'echo $0 $#* $2\n');
    let out = '';
    await runHosted(node, rcMain, ['rc', '-l', '-c', 'echo $greeting; rc /tmp/s.rc x y z'], { env: { home: '/tmp' }, stdout: (b) => { out += Buffer.from(b).toString(); }, stderr: () => {} });
    expect(out).toBe('from-profile\n/tmp/s.rc 3 y\n');
  });

  it('a role with a command list refuses other programs from the kernel', async () => {
    const r = await rc('echo ok; grep x /srv/cohrole; wc -l /srv/cohrole; echo $status', { role: 'KioskInteractive' });
    expect(r.out).toBe('ok\ncommand not allowed in role KioskInteractive\n');
    expect(r.err).toBe('grep: command not allowed in role KioskInteractive\nwc: command not allowed in role KioskInteractive\n');
  });

  it('return leaves a function with a status; outside one it is an error', async () => {
    const r = await rc('fn f {echo in; return nope; echo out}; f; echo $status; return');
    expect(r.out).toBe('in\nnope\n');
    expect(r.err).toBe('rc: return: not in a function\n');
  });

  it('commands are found as a walk of /bin finds them: a directory bound before #b, or a file bound over one, wins', async () => {
    const r = await rc([
      "mkdir /tmp/b; echo '#!/bin/rc' > /tmp/b/cat; echo 'echo shadow cat' >> /tmp/b/cat; chmod +x /tmp/b/cat",
      'bind -a /tmp/b /bin; echo a | cat', // after #b: the builtin cat
      'bind -b /tmp/b /bin; echo b | cat', // before #b: the script
      'unmount /tmp/b /bin; echo c | cat',
      'bind /tmp/b/cat /bin/wc; echo d | wc', // a file bound over a builtin's file
      'unmount /bin/wc; echo e | wc -l',
    ].join('\n'));
    expect(r.err).toBe('');
    expect(r.out).toBe('a\nshadow cat\nc\nshadow cat\n1\n');
  });

  it('./name from / finds what is bound onto the root, and says file does not exist otherwise', async () => {
    const r = await rc([
      "mkdir /tmp/r; echo '#!/bin/rc' > /tmp/r/hi; echo 'echo hi from root' >> /tmp/r/hi; chmod +x /tmp/r/hi",
      'cd /; ./hi; echo $status',
      'bind -a /tmp/r /; ./hi; ls -d /hi',
    ].join('\n'));
    expect(r.out).toBe('file does not exist\nhi from root\n/hi\n');
    expect(r.err).toBe('./hi: file does not exist\n');
  });

  it('the flags of rc(1): -s prints failing statuses, -v echoes input, -r prints commands, -p and -d do nothing', async () => {
    const script = 'echo a\nfalse\n~ a b\necho done\n';
    const s = await rc('', { args: ['-s'], stdin: script });
    expect(s.out).toBe('a\ndone\n');
    expect(s.err).toBe("status=false\nstatus='no match'\n");
    const v = await rc('', { args: ['-v'], stdin: 'echo a\nif(true)\n  echo b\n' });
    expect(v.err).toBe('echo a\nif(true)\n  echo b\n');
    expect(v.out).toBe('a\nb\n');
    const r = await rc('', { args: ['-r'], stdin: 'x=1; echo $x\n' });
    expect(r.err).toBe('x=1\necho $x\n');
    expect((await rc('', { args: ['-p', '-d', '-c', 'echo pd'] })).out).toBe('pd\n');
    expect((await rc('', { args: ['-q', '-c', 'echo no'] })).err).toBe('rc: unknown flag -q\nusage: rc [-srdiIlxepv] [-c command] [file [arg ...]]\n');
  });

  it('leaves nothing behind: processes, environment groups, pipe capabilities return to where they were', async () => {
    const r = await rc('true');
    const k = r.node.kernel;
    const before = { procs: k.procs.size, envs: k.envs.size, pipeCaps: k.rootCap('dev:#|').derived, procCaps: k.rootCap('proc').derived };
    let out = '';
    const status = await runHosted(r.node, rcMain, ['rc', '-c', 'for(i in `{seq 100}) { echo hi | cat | wc -l >/dev/null; x=`{echo $i}; cat <{echo} >/dev/null; @{true} }'], { stdout: (b) => { out += Buffer.from(b).toString(); }, stderr: () => {} });
    expect(status).toBe('');
    expect({ procs: k.procs.size, envs: k.envs.size, pipeCaps: k.rootCap('dev:#|').derived, procCaps: k.rootCap('proc').derived }).toEqual(before);
    expect(r.node.init.children.size).toBe(0);
  });
});

