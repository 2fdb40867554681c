// man as Plan 9's man(1): sections are numbers, and every page a title fits is printed.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { userland } from '../bin/userland.ts';
import type { Collected } from '../bin/hostio.ts';
import { manRoot } from '../kernel/dev/man.ts';
import { RcNodes } from '../rc/testing.ts';
import { MAN_COMMANDS } from './group-man.ts';

const nodes = new RcNodes({ programs: new Map([...userland(), ...MAN_COMMANDS]) });
afterEach(() => nodes.shutdown());
const page = (section: string, name: string): string => readFileSync(join(manRoot()!, section, name), 'utf8');

async function rc(script: string): Promise<Collected> {
  const { out, err, status } = await nodes.rc(script);
  return { out, err, status };
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
