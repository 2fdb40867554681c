// `cohesix boot` fed from a pipe: input that runs dry is end of file for whoever reads next,
// not a hangup. A command still running finishes and its output is seen; a command reading
// the console gets the typed-ahead lines; a last line without a newline still runs.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI } from './serve-child.ts';

describe('cohesix boot with piped input', () => {
  it('runs every line, lets a running command finish, hands typeahead to a reader, exits 0', () => {
    const r = spawnSync(process.execPath, [CLI, 'boot'], { input: 'sleep 0.3; echo after-sleep\nx=`{read}; echo got $x\ntyped ahead\necho last', encoding: 'utf8', timeout: 30_000 });
    expect(r.stdout).toContain('after-sleep\n');
    expect(r.stdout).toContain('got typed ahead\n');
    expect(r.stdout).toContain('echo last\nlast\n');
    expect(r.status).toBe(0);
  });
});
