// EventLog: the ring behind /sim/events.

import { describe, expect, it } from 'vitest';
import { EventLog } from './events.ts';

const never = new AbortController().signal;

describe('EventLog', () => {
  it('reads from the oldest kept event, whole lines as many as fit, a long line in pieces', async () => {
    const log = new EventLog(8);
    log.push(3, 1, 2, true);
    log.push(9, 1, 2, false);
    log.wake();
    const r = log.open();
    expect(await r.read(8192, never)).toBe('3 start 1 2\n9 stop 1 2\n');
    log.push(12, 2, 40, true);
    log.wake();
    expect(await r.read(5, never)).toBe('12 st');
    expect(await r.read(5, never)).toBe('art 2');
    expect(await r.read(100, never)).toBe(' 40\n');
    const r2 = log.open();
    expect(await r2.read(12, never)).toBe('3 start 1 2\n'); // 9 stop 1 2 would not fit
  });

  it('a blocked read wakes at wake(); abort interrupts it; end gives end of file', async () => {
    const log = new EventLog(8);
    const r = log.open();
    let got: string | undefined;
    const p = r.read(100, never).then((s) => { got = s; });
    log.push(1, 1, 2, true);
    await new Promise((res) => setTimeout(res, 5));
    expect(got).toBeUndefined(); // pushed, not yet woken: the step is not over
    log.wake();
    await p;
    expect(got).toBe('1 start 1 2\n');
    const ac = new AbortController();
    const q = r.read(100, ac.signal).then(() => 'no error', (e: Error) => e.message);
    ac.abort();
    expect(await q).toBe('interrupted');
    const z = r.read(100, never);
    log.end();
    expect(await z).toBe('');
  });

  it('a reader that falls behind skips to the oldest event kept', async () => {
    const log = new EventLog(4);
    const r = log.open();
    for (let i = 1; i <= 10; i++) log.push(i, 1, 2, i % 2 === 1);
    log.wake();
    expect(await r.read(8192, never)).toBe('7 start 1 2\n8 stop 1 2\n9 start 1 2\n10 stop 1 2\n');
  });
});
