// Coh_CC inside Cohesix, end to end: rc runs cohcc on an IR file in the namespace, and the
// WebAssembly it wrote runs as a process (a worker thread whose syscalls go through Sys):
// from /bin, with arguments, reading and writing files of the namespace; notes end it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCollected } from '../../bin/hostio.ts';
import { userland } from '../../bin/userland.ts';
import { boot } from '../../kernel/boot.ts';
import type { BootResult } from '../../kernel/boot.ts';
import { ServiceRegistry } from '../../kernel/services.ts';
import { LogService } from '../../srv/log/log.ts';
import { rcMain } from '../../rc/main.ts';

const CORPUS = join(import.meta.dirname, '..', '..', 'cohcc', 'corpus');

const HELLO = `data @hi = "hello from wasm\\n"
data @buf = zero 256
func @main() -> i32 {
entry:
  %w = call i32 @write(1, @hi, 16)
  %n = call i32 @argc()
  %i = alloca i32
  store i32 1, %i
  br loop
loop:
  %k = load i32 %i
  %more = lt i32 %k, %n
  condbr %more, one, done
one:
  %len = call i32 @argv(%k, @buf, 255)
  %nl = offset @buf, %len
  store8 10, %nl
  %len1 = add i32 %len, 1
  %w2 = call i32 @write(1, @buf, %len1)
  %k1 = add i32 %k, 1
  store i32 %k1, %i
  br loop
done:
  %code = sub i32 %n, 1
  ret i32 %code
}
`;

const nodes: BootResult[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.kernel.shutdown();
});

/** QueenPrimary: its caps include exec on its ramfs (#r), so a directory of /tmp can be bound on /bin. */
async function queenWithExecTmp(): Promise<BootResult> {
  // Of the node's services only /log, where cohcc records its builds.
  const services = new ServiceRegistry().register('log', { path: '/log', description: 'logs', start: () => new LogService() });
  const node = await boot({ role: 'QueenPrimary', programs: userland(), services, env: {} });
  nodes.push(node);
  return node;
}

async function put(node: BootResult, path: string, text: string): Promise<void> {
  await node.sys.writeFile(path, text);
}

describe('cohcc in rc', () => {
  it('compiles a program that then runs from /bin like any command, with arguments and a status', async () => {
    const node = await queenWithExecTmp();
    await put(node, '/tmp/hello.ir', HELLO);
    const r = await runCollected(node, rcMain, ['rc', '-c', [
      'mkdir /tmp/bin',
      'cohcc -O2 -o /tmp/bin/hello /tmp/hello.ir',
      'bind -a /tmp/bin /bin',
      'hello one two three',
      'echo status $status',
      'hello',
      'echo status $status',
    ].join('\n')]);
    expect(r.err).toBe('');
    expect(r.out).toBe('hello from wasm\none\ntwo\nthree\nstatus 3\nhello from wasm\nstatus \n');
  });

  it('logs every build with its sha256 in /log/cohcc_builds.log', async () => {
    const node = await queenWithExecTmp();
    await put(node, '/tmp/hello.ir', HELLO);
    const r = await runCollected(node, rcMain, ['rc', '-c', 'cohcc -O0 -o /tmp/a /tmp/hello.ir; cohcc --emit c -o /tmp/a.c /tmp/hello.ir; sha256sum /tmp/a /tmp/a.c; cat /log/cohcc_builds.log']);
    const [sumA, sumC, ...log] = r.out.trim().split('\n');
    const entries = log.map((l) => JSON.parse(l) as { sha256: string; output: string; emit: string });
    expect(entries.map((e) => [e.output, e.emit, e.sha256])).toEqual([
      ['/tmp/a', 'wasm', sumA!.split(' ')[0]], ['/tmp/a.c', 'c', sumC!.split(' ')[0]],
    ]);
  });

  it('runs a corpus program that reads a file of the namespace (wc), and run runs a module from any readable file', async () => {
    const node = await queenWithExecTmp();
    await put(node, '/tmp/wc.ir', readFileSync(join(CORPUS, 'wc.ir'), 'utf8'));
    await put(node, '/tmp/text', 'a b c\nd e\n');
    const r = await runCollected(node, rcMain, ['rc', '-c', 'cohcc -O2 -o /tmp/wc.wasm /tmp/wc.ir && run /tmp/wc.wasm /tmp/text && run /tmp/wc.wasm /tmp/nope; echo $status; echo x y | run /tmp/wc.wasm']);
    expect(r.out).toBe('2\n5\n10\n1\n1\n2\n4\n');
    expect(r.err).toBe('wc: cannot open\n');
  });

  it('reports bad IR with its position and writes nothing', async () => {
    const node = await queenWithExecTmp();
    await put(node, '/tmp/bad.ir', 'func @main() -> i32 {\nentry:\n  %x = add i32 %y, 1\n  ret i32 %x\n}\n');
    const r = await runCollected(node, rcMain, ['rc', '-c', 'cohcc -o /tmp/bad /tmp/bad.ir; echo $status; ls /tmp/bad']);
    expect(r.err).toContain("cohcc: /tmp/bad.ir:3:3: func @main, block entry, '%x = add i32 %y, 1': use of undefined %y\n");
    expect(r.out).toBe('error\n');
  });

  it('a kill note ends a program stuck in a loop, and a trap is its status', async () => {
    const node = await queenWithExecTmp();
    await put(node, '/tmp/spin.ir', 'func @main() -> i32 {\nentry:\n  br l\nl:\n  br l\n}\n');
    await put(node, '/tmp/trap.ir', 'func @main() -> i32 {\nentry:\n  %z = call i32 @argc()\n  %one = sub i32 %z, 1\n  %d = div i32 7, %one\n  ret i32 %d\n}\n');
    const r = await runCollected(node, rcMain, ['rc', '-c', [
      'cohcc -O2 -o /tmp/spin /tmp/spin.ir && cohcc -o /tmp/trap /tmp/trap.ir',
      'run /tmp/trap; echo $status',
      'run /tmp/spin &',
      'sleep 0.2; kill $apid; wait; echo done',
    ].join('\n')]);
    expect(r.out).toBe('trap: divide by zero\ndone\n');
  });
});
