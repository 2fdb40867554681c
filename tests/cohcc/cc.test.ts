// cohesix cc on the host: files in, files out, exit codes (0 built, 1 bad input, 2 usage).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ccMain } from '../../bin/cc.ts';

const CORPUS = join(import.meta.dirname, '..', '..', 'cohcc', 'corpus');
const dir = mkdtempSync(join(tmpdir(), 'cohesix-cc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cohesix cc', () => {
  it('writes a valid WebAssembly module, WAT, C and optimized IR', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await ccMain(['-O2', '--time-passes', '-o', join(dir, 'sieve'), join(CORPUS, 'sieve.ir')])).toBe(0);
      expect(String(err.mock.calls.map((c) => c[0]).join(''))).toMatch(/^pass .*\nnop-removal[^]*out-of-ssa[^]*total/);
    } finally { err.mockRestore(); }
    expect(WebAssembly.validate(readFileSync(join(dir, 'sieve')))).toBe(true);
    expect(await ccMain(['--emit', 'wat', '-o', join(dir, 'fib.wat'), join(CORPUS, 'fib.ir')])).toBe(0);
    expect(readFileSync(join(dir, 'fib.wat'), 'utf8')).toMatch(/^\(module\n {2}\(type/);
    expect(await ccMain(['-O1', '--emit=c', join(CORPUS, 'gcd.json'), '-o', join(dir, 'gcd.c')])).toBe(0);
    expect(readFileSync(join(dir, 'gcd.c'), 'utf8')).toContain('int main(int argc, char **argv)');
    expect(await ccMain(['-O2', '--emit', 'ir', '-o', join(dir, 'sort.ir'), join(CORPUS, 'sort.ir')])).toBe(0);
    expect(readFileSync(join(dir, 'sort.ir'), 'utf8')).toContain(' = phi ');
  });

  it('fails with the position on bad input (1) and with usage on bad options (2)', async () => {
    const lines: string[] = [];
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { lines.push(String(s)); return true; });
    try {
      writeFileSync(join(dir, 'bad.ir'), 'func @main() {\nentry:\n  %x = frob i32 1\n}\n');
      expect(await ccMain(['-o', join(dir, 'bad'), join(dir, 'bad.ir')])).toBe(1);
      expect(lines.join('')).toBe(`cohesix cc: ${join(dir, 'bad.ir')}:3:8: unknown opcode 'frob'\n`);
      expect(await ccMain(['-O9', 'x.ir'])).toBe(2);
      expect(await ccMain(['--emit', 'elf', 'x.ir'])).toBe(2);
    } finally { err.mockRestore(); }
  });
});
