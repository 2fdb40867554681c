import { describe, expect, it } from 'vitest';
import { NoteSignal } from './interrupt.ts';

describe('NoteSignal', () => {
  it('runs each listener once at abort, not the removed ones, and keeps the reason', () => {
    const s = new NoteSignal();
    const seen: string[] = [];
    const a = (): void => { seen.push('a'); };
    const b = (): void => { seen.push('b'); };
    s.addEventListener('abort', a);
    s.addEventListener('abort', b);
    s.removeEventListener('abort', a);
    expect(s.listeners).toBe(1);
    const why = new Error('interrupted');
    s.abort(why);
    s.abort(new Error('again'));
    expect(seen).toEqual(['b']);
    expect(s.aborted).toBe(true);
    expect(s.reason).toBe(why);
    s.addEventListener('abort', a); // too late: an aborted signal keeps no listeners
    expect(s.listeners).toBe(0);
  });
});
