// man as Plan 9's man(1): sections are numbers, and every page a title fits is printed.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCollected } from '../bin/hostio.ts';
import { userland } from '../bin/userland.ts';
import { boot } from '../kernel/boot.ts';
import type { BootResult } from '../kernel/boot.ts';
import { manRoot } from '../kernel/dev/man.ts';
import { rcMain } from '../rc/main.ts';
import { MAN_COMMANDS } from './group-man.ts';

const nodes: BootResult[] = [];
afterEach(async () => { for (const n of nodes.splice(0)) await n.kernel.shutdown(); });
const page = (section: string, name: string): string => readFileSync(join(manRoot()!, section, name), 'utf8');

async function rc(script: string): Promise<{ out: string; err: string; status: string }> {
  const n = await boot({ role: 'QueenPrimary', programs: new Map([...userland(), ...MAN_COMMANDS]), env: {} });
  nodes.push(n);
  return runCollected(n, rcMain, ['rc', '-c', script]);
}

describe('man sections and titles', () => {
  it('a number that is no section of this manual: no entry for the title in it', async () => {
    expect(await rc('man 9 ls')).toEqual({ out: '', err: 'man: no entry for ls in section 9\n', status: 'no entry' });
    expect(await rc('man 9 4 ls')).toEqual({ out: '', err: 'man: no entry for ls in section 9 4\n', status: 'no entry' });
    expect(await rc('man 9 1 ls')).toEqual({ out: page('1', 'ls'), err: '', status: '' });
    // A lone number is a title.
    expect(await rc('man 9')).toEqual({ out: '', err: 'man: no entry for 9\n', status: 'no entry' });
  });

  it('a title in several sections: every page, in section order', async () => {
    expect(await rc('man boot')).toEqual({ out: page('3', 'boot') + page('8', 'boot'), err: '', status: '' });
    expect((await rc('man -w env srv')).out).toBe('/sys/man/1/env\n/sys/man/3/env\n/sys/man/1/srv\n/sys/man/3/srv\n');
    expect((await rc('man 8 3 boot')).out).toBe(page('8', 'boot') + page('3', 'boot'));
    expect((await rc('man -w 8 boot')).out).toBe('/sys/man/8/boot\n');
  });
});
