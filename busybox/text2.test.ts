// The text commands in a booted node, run through rc as a user would (the browsix style):
// pipelines, $status, files in /tmp, commands awk starts, and tail -f following a file
// that grows, is truncated, and is left with a note (^C).

import { afterEach, describe, expect, it } from 'vitest';
import { OWRITE } from '../fs/9p/constants.ts';
import { runHosted, runCollected } from '../bin/hostio.ts';
import { nodeServices } from '../bin/services.ts';
import { userland } from '../bin/userland.ts';
import { boot } from '../kernel/boot.ts';
import type { BootResult } from '../kernel/boot.ts';
import { rcMain } from '../rc/main.ts';
import { TEXT_COMMANDS } from './group-text.ts';

const nodes: BootResult[] = [];
afterEach(async () => { for (const n of nodes.splice(0)) await n.kernel.shutdown(); });

async function node(): Promise<BootResult> {
  const n = await boot({ role: 'QueenPrimary', programs: new Map([...userland(), ...TEXT_COMMANDS]) });
  nodes.push(n);
  return n;
}

interface Run { out: string; err: string; status: string }

async function rc(script: string, stdin = '', n?: BootResult): Promise<Run> {
  const nd = n ?? await node();
  return runCollected(nd, rcMain, ['rc', '-c', script], { stdin });
}

/** Wait until cond holds (polling), failing after a while. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('head', () => {
  it('takes the first lines or bytes, with headers for several files', async () => {
    expect((await rc('seq 100 | head -3')).out).toBe('1\n2\n3\n');
    expect((await rc('seq 10 | head -n 2; seq 5 | head -c 4')).out).toBe('1\n2\n1\n2\n');
    expect((await rc('seq 3 > /tmp/a; seq 7 9 > /tmp/b; head -n 1 /tmp/a /tmp/b')).out).toBe('==> /tmp/a <==\n1\n\n==> /tmp/b <==\n7\n');
    expect((await rc('seq 5 | head -n -3')).out).toBe('1\n2\n');
  });

  it('stops reading once it has enough: an endless writer ends quietly', async () => {
    const r = await rc("awk 'BEGIN { while (1) print \"y\" }' | head -2; echo done");
    expect(r.out).toBe('y\ny\ndone\n');
    expect(r.err).toBe('');
  });

  it('reports a missing file and fails, going on with the rest', async () => {
    const r = await rc('seq 2 > /tmp/a; head /tmp/nosuch /tmp/a; echo $status');
    expect(r.out).toBe('==> /tmp/a <==\n1\n2\nfile does not exist\n');
    expect(r.err).toContain('head: /tmp/nosuch: file does not exist');
  });
});

describe('tail', () => {
  it('takes the last lines or bytes, or from a line on; -r reverses', async () => {
    expect((await rc('seq 10 | tail -2')).out).toBe('9\n10\n');
    expect((await rc('seq 5 | tail +4')).out).toBe('4\n5\n');
    expect((await rc('seq 5 | tail -n +4')).out).toBe('4\n5\n');
    expect((await rc('seq 5 | tail -c 4')).out).toBe('4\n5\n');
    expect((await rc('seq 3 | tail -r')).out).toBe('3\n2\n1\n');
    expect((await rc('seq 5 | tail -2r')).out).toBe('5\n4\n');
  });

  it('-f prints appended data, restarts after truncation, and ends with a note', async () => {
    const n = await node();
    await n.sys.writeFile('/tmp/log', 'one\ntwo\n');
    let out = '', err = '';
    const done = runHosted(n, rcMain, ['rc', '-c', 'tail -f /tmp/log'], {
      stdout: (b) => { out += Buffer.from(b).toString(); }, stderr: (b) => { err += Buffer.from(b).toString(); },
    });
    await until(() => out === 'one\ntwo\n', 'the existing lines');
    const fd = await n.sys.open('/tmp/log', OWRITE);
    await n.sys.seek(fd, 0, 2);
    await n.sys.write(fd, 'three\n');
    await until(() => out === 'one\ntwo\nthree\n', 'an appended line');
    await n.sys.write(fd, 'four\nfive\n');
    await n.sys.close(fd);
    await until(() => out.endsWith('four\nfive\n'), 'two more lines');
    // Truncated and rewritten shorter (a rotated log): read again from the start.
    await n.sys.writeFile('/tmp/log', 'new\n');
    await until(() => out.endsWith('five\nnew\n'), 'the rewritten file');
    expect(err).toBe('tail: /tmp/log: file truncated\n');
    const proc = [...n.kernel.procs.values()].find((p) => p.name === 'tail' && !p.exited);
    expect(proc).toBeDefined();
    await n.sys.postnote(proc!.pid, 'interrupt');
    expect(await done).toBe('interrupted');
    expect(out).toBe('one\ntwo\nthree\nfour\nfive\nnew\n');
  });

  it('-f follows a rotated log of /log to its new file', async () => {
    const n = await boot({ role: 'QueenPrimary', programs: new Map([...userland(), ...TEXT_COMMANDS]), services: nodeServices() });
    nodes.push(n);
    await n.sys.writeFile('/log/app.log', 'old 1\n');
    let out = '', err = '';
    const done = runHosted(n, rcMain, ['rc', '-c', 'tail -f /log/app.log'], {
      stdout: (b) => { out += Buffer.from(b).toString(); }, stderr: (b) => { err += Buffer.from(b).toString(); },
    });
    await until(() => out === 'old 1\n', 'the log so far');
    const append = async (s: string): Promise<void> => {
      const fd = await n.sys.open('/log/app.log', OWRITE);
      await n.sys.write(fd, s);
      await n.sys.close(fd);
    };
    await append('old 2\n');
    await n.sys.writeFile('/log/ctl', 'rotate app.log');
    await append('new 1\n');
    await until(() => out === 'old 1\nold 2\nnew 1\n', 'the line after rotation');
    expect(err).toBe('tail: /log/app.log: file truncated\n');
    await n.sys.postnote([...n.kernel.procs.values()].find((p) => p.name === 'tail' && !p.exited)!.pid, 'interrupt');
    expect(await done).toBe('interrupted');
  });

  it('-f on a pipe ends with its input', async () => {
    expect(await rc('seq 3 | tail -f -n 1')).toEqual({ out: '3\n', err: '', status: '' });
  });
});

describe('cut', () => {
  it('selects fields, characters and ranges', async () => {
    expect((await rc("echo 'a:b:c:d' | cut -d: -f2,4")).out).toBe('b:d\n');
    expect((await rc("echo 'a:b:c:d' | cut -d: -f 3-")).out).toBe('c:d\n');
    expect((await rc("echo abcdefg | cut -c 1-3,6")).out).toBe('abcf\n');
    expect((await rc("{echo 'x:y'; echo plain} | cut -d: -s -f1")).out).toBe('x\n');
  });

  it('rejects a bad list with a usage line', async () => {
    const r = await rc('cut -f 3-1; echo $status');
    expect(r.out).toBe('usage\n');
    expect(r.err).toMatch(/^usage: cut/);
  });
});

describe('tee', () => {
  it('copies to standard output and files; -a appends', async () => {
    const r = await rc("echo hi | tee /tmp/t1 /tmp/t2 | wc -c; echo more | tee -a /tmp/t1 > /dev/null; cat /tmp/t1 /tmp/t2");
    expect(r.out.replace(/ +/g, '')).toBe('3\nhi\nmore\nhi\n');
  });

  it('a file it cannot create is reported; the copy goes on', async () => {
    const r = await rc('echo x | tee /nonexistent/dir/f; echo $status');
    expect(r.out).toMatch(/^x\n.+\n$/);
    expect(r.err).toContain('tee: /nonexistent/dir/f:');
  });
});

describe('fmt', () => {
  it('fills paragraphs to the width, keeping indents and blank lines', async () => {
    const text = 'a b c d e f g h i j k l m n o p\n\n  x y z\n';
    const r = await rc('fmt -w 10', text);
    expect(r.out).toBe('a b c d e\nf g h i j\nk l m n o\np\n\n  x y z\n');
  });

  it('two spaces after a sentence, one after Mr.', async () => {
    expect((await rc("echo 'It ended. Mr. Smith left' | fmt")).out).toBe('It ended.  Mr. Smith left\n');
  });
});

describe('diff', () => {
  it("normal output; status 'some' when the files differ, '' when not", async () => {
    const r = await rc("{echo a; echo b; echo c} > /tmp/x; {echo a; echo B; echo c} > /tmp/y; diff /tmp/x /tmp/y; echo $status; diff /tmp/x /tmp/x; echo same $status");
    expect(r.out).toBe('2c2\n< b\n---\n> B\nsome\nsame \n');
  });

  it('-u is the unified format; trouble is status error', async () => {
    const r = await rc("{echo a; echo b} > /tmp/x; {echo a; echo c} > /tmp/y; diff -u /tmp/x /tmp/y | sed 1,2d; diff /tmp/x /tmp/nosuch; echo $status");
    expect(r.out).toBe('@@ -1,2 +1,2 @@\n a\n-b\n+c\nerror\n');
    expect(r.err).toContain('diff: /tmp/nosuch: file does not exist');
  });

  it('a directory operand stands for the file of the same name in it', async () => {
    const r = await rc('mkdir /tmp/d; echo 1 > /tmp/d/f; echo 2 > /tmp/f; diff /tmp/f /tmp/d');
    expect(r.out).toBe('1c1\n< 2\n---\n> 1\n');
  });
});

describe('read', () => {
  it('takes one line and leaves the rest of the input', async () => {
    const r = await rc("{read; echo --; cat}", 'first\nsecond\nthird\n');
    expect(r.out).toBe('first\n--\nsecond\nthird\n');
  });

  it('-n takes several; status eof at the end of input', async () => {
    const r = await rc("x=`{read -n 2}; echo $x; read; echo $status; read; echo $status", 'a\nb\nc\n');
    expect(r.out).toBe('a b\nc\n\neof\n');
  });
});

describe('awk', () => {
  it('fields, arrays and END over a pipeline', async () => {
    const r = await rc("{echo 'a 1'; echo 'b 2'; echo 'a 3'} | awk '{ s[$1] += $2 } END { print s[\"a\"], s[\"b\"], NR }'");
    expect(r.out).toBe('4 2 3\n');
  });

  it('prints to a command and reads from one; close() waits for it', async () => {
    const r = await rc(`awk 'BEGIN { print "b" | "sort"; print "a" | "sort"; close("sort"); "echo hello" | getline x; print x; print system("exit 3") }'`);
    expect(r.out).toBe('a\nb\nhello\n3\n');
  });

  it('system() runs after what awk printed so far', async () => {
    expect((await rc(`awk 'BEGIN { print "first"; system("echo second"); print "third" }'`)).out).toBe('first\nsecond\nthird\n');
  });

  it('writes files with > and >>, and reads them back with getline', async () => {
    const r = await rc(`awk 'BEGIN { print "x" > "/tmp/o"; print "y" > "/tmp/o"; close("/tmp/o"); print "z" >> "/tmp/o"; close("/tmp/o"); while ((getline l < "/tmp/o") > 0) print "got", l }'`);
    expect(r.out).toBe('got x\ngot y\ngot z\n');
  });

  it('ENVIRON holds the environment; -f reads the program from a file', async () => {
    const r = await rc(`greeting=hello; echo 'BEGIN { print ENVIRON["greeting"] }' > /tmp/p.awk; awk -f /tmp/p.awk`);
    expect(r.out).toBe('hello\n');
  });

  it('answers each line as it comes: output is flushed before reading', async () => {
    const n = await node();
    const lines: string[] = [];
    let feed!: (s: string) => void;
    const chunks: string[] = [];
    const stdin = (async function* () {
      for (;;) {
        const s = await new Promise<string>((r) => { feed = r; });
        if (s === '') return;
        chunks.push(s);
        yield Buffer.from(s);
      }
    })();
    let out = '';
    const done = runHosted(n, rcMain, ['rc', '-c', "awk '{ print NR \": \" $0 }'"], {
      stdin, stdout: (b) => { out += Buffer.from(b).toString(); lines.push(out); }, stderr: () => {},
    });
    await until(() => feed !== undefined, 'awk to start reading');
    feed('one\n');
    await until(() => out === '1: one\n', 'the first answer');
    feed('two\n');
    await until(() => out === '1: one\n2: two\n', 'the second answer');
    feed('');
    expect(await done).toBe('');
  });

  it('exit status: exit n, division by zero, syntax errors', async () => {
    expect((await rc(`awk 'BEGIN { exit 3 }'; echo $status`)).out).toBe('3\n');
    const z = await rc(`awk 'BEGIN { print 1 / 0 }'; echo $status`);
    expect(z.out).toBe('division by zero\n');
    expect(z.err).toBe('awk: division by zero\n');
    const s = await rc(`awk 'BEGIN { print ( }'; echo $status`);
    expect(s.out).toBe('syntax error\n');
    expect(s.err).toMatch(/^awk: syntax error at source line 1/);
  });

  it('uninitialized parameters become arrays in the caller; recursion works', async () => {
    const r = await rc(`awk 'function fill(a, n) { if (n == 0) return; a[n] = n * n; fill(a, n - 1) } BEGIN { fill(sq, 5); for (i = 1; i <= 5; i++) printf "%d ", sq[i]; print "" }'`);
    expect(r.out).toBe('1 4 9 16 25 \n');
  });
});
