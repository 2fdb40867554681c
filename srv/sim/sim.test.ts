// /sim through a 9P client over an in-process pair: physics, body files, errors, world.json,
// events, concurrency and real-time running.

import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '../../fs/client/index.ts';
import { OREAD, OWRITE } from '../../fs/9p/constants.ts';
import { startSim } from './sim.ts';
import type { SimServer } from './sim.ts';
import { ctl, mountSim, readNums, readText } from './testkit.ts';

const servers: SimServer[] = [];
const clients: Client[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) s.close();
});

async function sim(opts: Parameters<typeof startSim>[0] = {}): Promise<{ s: SimServer; fs: Awaited<ReturnType<typeof mountSim>>['fs'] }> {
  const s = await startSim(opts);
  servers.push(s);
  const m = await mountSim(s);
  clients.push(m.client);
  return { s, fs: m.fs };
}

async function another(s: SimServer): Promise<Awaited<ReturnType<typeof mountSim>>['fs']> {
  const m = await mountSim(s);
  clients.push(m.client);
  return m.fs;
}

const errOf = async (p: Promise<unknown>): Promise<string> => p.then(() => 'no error', (e: Error) => e.message);

describe('sim(4) physics through files', () => {
  it('drops a ball of radius 0.5 from y=5 onto the ground: it rests at y=0.5 after 240 steps', async () => {
    const { fs } = await sim();
    await ctl(fs, 'add ground', 'add ball 0.5 0 5 0', 'dt 0.016666666666666666');
    expect((await fs.readdir('/bodies')).map((d) => d.name).sort()).toEqual(['1', '2']);
    expect((await fs.readdir('/bodies/2')).map((d) => d.name).sort()).toEqual(['ctl', 'pos', 'shape', 'vel']);
    expect(await readText(fs, '/bodies/2/shape')).toBe('ball 0.5 mass 1\n');
    expect(await readText(fs, '/bodies/1/shape')).toBe('ground\n');
    expect(await readNums(fs, '/bodies/2/pos')).toEqual([0, 5, 0, 0, 0, 0, 1]);
    await ctl(fs, 'step 240');
    const p = await readNums(fs, '/bodies/2/pos');
    expect(p).toHaveLength(7);
    expect(Math.abs(p[1]! - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(p[0]!) + Math.abs(p[2]!)).toBeLessThan(1e-6);
    const v = await readNums(fs, '/bodies/2/vel');
    expect(v).toHaveLength(6);
    expect(Math.hypot(...v)).toBeLessThan(0.01);
    expect(await readText(fs, '/ctl')).toBe('step 240\nbodies 2\ngravity 0 -9.81 0\ndt 0.016666666666666666\nrunning no 60\n');
    expect(await readText(fs, '/clock')).toBe('step 240 time 4\n');
    expect(await readText(fs, '/data/clock')).toBe('step 240 time 4\n');
    expect(await readText(fs, '/data/state')).toMatch(/^1 ground 0 0 0\n2 ball 0 0\.49\d* 0\n$/);
  });

  it('a box (half extents 0.5) dropped from y=5 rests at y=0.5, upright', async () => {
    const { fs } = await sim();
    await ctl(fs, 'add ground', 'add box 0.5 0.5 0.5 0 5 0 mass 8');
    expect(await readText(fs, '/bodies/2/shape')).toBe('box 0.5 0.5 0.5 mass 8\n');
    await ctl(fs, 'step 240');
    const p = await readNums(fs, '/bodies/2/pos');
    expect(Math.abs(p[1]! - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(p[6]!)).toBeCloseTo(1, 4); // qw: not tipped over
  });

  it('impulse changes the velocity (ctl and the body\'s own ctl); vel and pos set them', async () => {
    const { fs } = await sim();
    await ctl(fs, 'gravity 0 0 0', 'add ball 0.5 0 5 0 mass 2');
    await ctl(fs, 'impulse 1 4 0 0');
    expect((await readNums(fs, '/bodies/1/vel')).slice(0, 3)).toEqual([2, 0, 0]); // dv = J/m
    await fs.writeFile('/bodies/1/ctl', 'impulse 0 0 -2\n');
    expect((await readNums(fs, '/bodies/1/vel')).slice(0, 3)).toEqual([2, 0, -1]);
    await ctl(fs, 'step 60');
    const p = await readNums(fs, '/bodies/1/pos');
    expect(p[0]).toBeCloseTo(2, 4);
    expect(p[2]).toBeCloseTo(-1, 4);
    await fs.writeFile('/bodies/1/ctl', 'pos 10 20 30\nvel 0 1 0\n');
    expect((await readNums(fs, '/bodies/1/pos')).slice(0, 3)).toEqual([10, 20, 30]);
    expect((await readNums(fs, '/bodies/1/vel')).slice(0, 3)).toEqual([0, 1, 0]);
    await ctl(fs, 'pos 1 -1 -2 -3', 'vel 1 0 0 0');
    expect((await readNums(fs, '/bodies/1/pos')).slice(0, 3)).toEqual([-1, -2, -3]);
    expect((await readNums(fs, '/bodies/1/vel')).slice(0, 3)).toEqual([0, 0, 0]);
  });

  it('remove takes a body away (ctl or its own ctl); ids are never reused until reset', async () => {
    const { fs } = await sim();
    await ctl(fs, 'add ground', 'add ball 0.5 0 5 0', 'add ball 0.5 3 5 0', 'remove 2');
    expect((await fs.readdir('/bodies')).map((d) => d.name).sort()).toEqual(['1', '3']);
    await fs.writeFile('/bodies/3/ctl', 'remove\n');
    expect((await fs.readdir('/bodies')).map((d) => d.name)).toEqual(['1']);
    await expect(fs.readFile('/bodies/3/pos')).rejects.toThrow('file does not exist');
    await ctl(fs, 'add box 1 1 1 0 3 0');
    expect((await fs.readdir('/bodies')).map((d) => d.name).sort()).toEqual(['1', '4']);
    expect(await readText(fs, '/bodies/4/shape')).toBe('box 1 1 1 mass 1\n');
    // a fid held on a removed body's file answers `no body N`
    const f = await fs.open('/bodies/4/pos', OREAD);
    await ctl(fs, 'remove 4');
    await expect(f.pread(100, 0)).rejects.toThrow('no body 4');
    await f.clunk();
    await ctl(fs, 'reset', 'add ball 1 0 2 0');
    expect((await fs.readdir('/bodies')).map((d) => d.name)).toEqual(['1']);
    expect(await readText(fs, '/bodies/1/shape')).toBe('ball 1 mass 1\n');
  });

  it('refuses every bad input with a message naming it, and changes nothing', async () => {
    const { fs } = await sim();
    await ctl(fs, 'add ground', 'add ball 0.5 0 5 0', 'step 3');
    const before = await readText(fs, '/world.json');
    const trace = await readText(fs, '/trace');
    const cases: Array<[string, string]> = [
      ['fly 1 2', "bad control message: unknown command 'fly' (want gravity, dt, step, run, pause, reset, add, remove, impulse, pos or vel)"],
      ['add ball 0.5 0 5', 'bad control message: add ball wants r x y z [mass m]'],
      ['add ball 0.5 0 5 0 mass', 'bad control message: add ball wants r x y z [mass m]'],
      ['add ball 0.5 0 5 0 weight 3', 'bad control message: add ball wants r x y z [mass m]'],
      ['add box 1 1 0 0 0', 'bad control message: add box wants hx hy hz x y z [mass m]'],
      ['add cone 1 0 0 0', "bad control message: add: unknown shape 'cone' (want ground, ball or box)"],
      ['add', 'bad control message: add wants ground, ball or box'],
      ['add ground 0', 'bad control message: add ground wants no arguments'],
      ['add ball -1 0 5 0', 'bad control message: add ball: r must be positive, not -1'],
      ['add ball 0 0 5 0', 'bad control message: add ball: r must be positive, not 0'],
      ['add box 1 0 1 0 5 0', 'bad control message: add box: hy must be positive, not 0'],
      ['add ball 1 0 5 0 mass 0', 'bad control message: add ball: mass must be positive, not 0'],
      ['add ball 1 0 5 0 mass -2', 'bad control message: add ball: mass must be positive, not -2'],
      ['add ball NaN 0 5 0', "bad control message: add ball: r 'NaN' is not a number"],
      ['add ball 1 Infinity 5 0', "bad control message: add ball: x 'Infinity' is not a number"],
      ['add ball 1 1e999 5 0', 'bad control message: add ball: x 1e999 is out of range (at most 1000000 in size)'],
      ['add ball 1 0x10 5 0', "bad control message: add ball: x '0x10' is not a number"],
      ['gravity 0 -9.8', 'bad control message: gravity wants x y z'],
      ['gravity 0 down 0', "bad control message: gravity: y 'down' is not a number"],
      ['dt 0', 'bad control message: dt: s must be positive, not 0'],
      ['dt -0.1', 'bad control message: dt: s must be positive, not -0.1'],
      ['dt', 'bad control message: dt wants s'],
      ['step 0', "bad control message: step: n must be a whole number from 1 to 100000, not '0'"],
      ['step 1.5', "bad control message: step: n must be a whole number from 1 to 100000, not '1.5'"],
      ['step 100001', "bad control message: step: n must be a whole number from 1 to 100000, not '100001'"],
      ['step 1 2', 'bad control message: step wants [n]'],
      ['run 0', 'bad control message: run: hz must be positive, not 0'],
      ['run 5000', 'bad control message: run: hz must be at most 1000, not 5000'],
      ['pause now', 'bad control message: pause wants no arguments'],
      ['remove 7', 'no body 7'],
      ['remove x', "bad control message: remove: id must be a whole number from 1 to 2147483648, not 'x'"],
      ['remove', 'bad control message: remove wants id'],
      ['impulse 9 0 1 0', 'no body 9'],
      ['impulse 1 0 1 0', 'body 1 is fixed'],
      ['vel 1 0 1 0', 'body 1 is fixed'],
      ['impulse 2 0 1', 'bad control message: impulse wants id x y z'],
      ['pos 5 0 0 0', 'no body 5'],
      ['2 step 1', 'bad control message: step 2 is already past (the world is at step 3)'],
      ['9', 'bad control message: step 9 wants a command after it'],
      // a bad line anywhere refuses the whole write: the add before it does not happen
      ['add ball 1 0 9 0\nimpulse 2 0 1 0\nbogus', "bad control message: unknown command 'bogus' (want gravity, dt, step, run, pause, reset, add, remove, impulse, pos or vel)"],
      ['add ball 1 0 9 0\nremove 3\nremove 3', 'no body 3'],
      ['step 60000\nstep 60000', 'bad control message: one write may step at most 100000 times, this one asks for 120000'],
    ];
    for (const [line, msg] of cases) {
      expect(await errOf(fs.writeFile('/ctl', `${line}\n`)), line).toBe(msg);
    }
    const body: Array<[string, string]> = [
      ['kick 1 2 3', "bad control message: unknown command 'kick' (want impulse, pos, vel or remove)"],
      ['impulse 1 2', 'bad control message: impulse wants x y z'],
      ['remove now', 'bad control message: remove wants no arguments'],
      ['vel 1 nan 3', "bad control message: vel: y 'nan' is not a number"],
    ];
    for (const [line, msg] of body) expect(await errOf(fs.writeFile('/bodies/2/ctl', `${line}\n`)), line).toBe(msg);
    expect(await errOf(fs.writeFile('/bodies/1/ctl', 'impulse 0 1 0\n'))).toBe('body 1 is fixed');
    expect(await readText(fs, '/world.json')).toBe(before);
    expect(await readText(fs, '/trace')).toBe(trace);
    // the files that are not written refuse writes
    for (const p of ['/clock', '/trace', '/events', '/bodies/2/pos', '/bodies/2/vel', '/bodies/2/shape', '/data/state', '/data/clock', '/data/events', '/data/world.json']) {
      expect(await errOf(fs.open(p, OWRITE)), p).toBe('permission denied');
    }
    expect(await errOf(fs.open('/bodies/2/ctl', OREAD))).toBe('permission denied');
    expect(await errOf(fs.remove('/ctl'))).toBe('permission denied');
    expect(await errOf(fs.create('/data/x', 0o666, OWRITE))).toBe('permission denied');
    expect(await errOf(fs.create('/x', 0o666, OWRITE))).toBe('permission denied');
    // create(2) of an existing file truncates it: the server must say it exists (cp onto world.json)
    expect(await errOf(fs.create('/world.json', 0o666, OWRITE))).toBe('file exists');
  });

  it('ctl lines may come in pieces; a last unterminated line runs at clunk', async () => {
    const { fs } = await sim();
    const f = await fs.open('/ctl', OWRITE);
    await f.write('add gr');
    await f.write('ound\nadd ball 0.5 0 ');
    expect(await readText(fs, '/ctl')).toMatch(/^step 0\nbodies 1\n/);
    await f.write('5 0');
    await f.clunk();
    expect(await readText(fs, '/ctl')).toMatch(/^step 0\nbodies 2\n/);
  });

  it('writing world.json restores it; the restored world goes on exactly as the original', async () => {
    const a = await sim(), b = await sim();
    await ctl(a.fs, 'add ground', 'add ball 0.5 0 5 0', 'add box 0.3 0.2 0.4 0.2 7 0.1', 'impulse 3 0.5 0 0', 'gravity 0 -9 0.5', 'dt 0.01', 'step 77');
    const saved = await readText(a.fs, '/world.json');
    expect(JSON.parse(saved)).toMatchObject({ format: 'cohesix-sim 1', step: 77, gravity: [0, -9, 0.5], dt: 0.01, nextId: 4 });
    await ctl(b.fs, 'add ball 2 0 0 0');
    await b.fs.writeFile('/world.json', saved);
    expect(await readText(b.fs, '/world.json')).toBe(saved);
    expect(await readText(b.fs, '/ctl')).toBe('step 77\nbodies 3\ngravity 0 -9 0.5\ndt 0.01\nrunning no 60\n');
    expect(await readText(b.fs, '/trace')).toBe('');
    await ctl(a.fs, 'step 100');
    await ctl(b.fs, 'step 100');
    expect(await readText(b.fs, '/world.json')).toBe(await readText(a.fs, '/world.json'));
    // in small writes, applied when the document is complete
    const f = await b.fs.open('/world.json', OWRITE);
    for (let i = 0; i < saved.length; i += 1000) await f.pwrite(Buffer.from(saved.slice(i, i + 1000)), i);
    await f.clunk();
    expect(await readText(b.fs, '/clock')).toBe('step 77 time 0.77\n');
  });

  it('world.json without the rapier snapshot is rebuilt from the bodies; bad ones are refused whole', async () => {
    const { fs } = await sim();
    await ctl(fs, 'add ground', 'add ball 0.5 1 2 3 mass 3');
    const j = JSON.parse(await readText(fs, '/world.json')) as Record<string, unknown>;
    delete j.rapier;
    (j.bodies as Array<Record<string, unknown>>)[1]!.linvel = [1, 0, 0];
    await fs.writeFile('/world.json', JSON.stringify(j));
    expect(await readNums(fs, '/bodies/2/pos')).toEqual([1, 2, 3, 0, 0, 0, 1]);
    expect((await readNums(fs, '/bodies/2/vel')).slice(0, 3)).toEqual([1, 0, 0]);
    expect(await readText(fs, '/bodies/2/shape')).toBe('ball 0.5 mass 3\n');
    const good = await readText(fs, '/world.json');
    expect(await errOf(fs.writeFile('/world.json', '{"format":1}'))).toBe('bad world.json: format must be "cohesix-sim 1"');
    // an incomplete document is dropped at clunk (9P's clunk cannot fail, so only the world shows it)
    const f = await fs.open('/world.json', OWRITE);
    await f.write('{"format":"cohesix-sim 1"');
    await f.clunk();
    expect(await readText(fs, '/world.json')).toBe(good);
    const bad: Array<[string, RegExp]> = [
      ['[1,2]', /bad world\.json: not a JSON object/],
      [JSON.stringify({ ...j, format: 'x' }), /format must be "cohesix-sim 1"/],
      [JSON.stringify({ ...j, dt: 0 }), /dt must be a positive number/],
      [JSON.stringify({ ...j, bodies: [{ ...(j.bodies as object[])[1]!, shape: 'cone' }] }), /shape must be ground, ball or box/],
      [JSON.stringify({ ...j, bodies: [(j.bodies as object[])[1], (j.bodies as object[])[1]] }), /body 2 appears twice/],
      [JSON.stringify({ ...j, rapier: 'AAAA' }), /rapier: not a snapshot Rapier can read/],
    ];
    for (const [text, re] of bad) expect(await errOf(fs.writeFile('/world.json', text))).toMatch(re);
    expect(await readText(fs, '/world.json')).toBe(good);
  });

  it('events: contacts appear as the ball lands; a blocked read wakes; a flush interrupts it', async () => {
    const { s, fs } = await sim();
    const other = await another(s);
    await ctl(fs, 'add ground', 'add ball 0.5 0 2 0');
    const ev = await fs.open('/events', OREAD);
    const dataEv = await fs.open('/data/events', OREAD);
    const pending = ev.read(8192);
    let woke = false;
    void pending.then(() => { woke = true; });
    await ctl(other, 'step 10');
    await new Promise((r) => setTimeout(r, 10));
    expect(woke).toBe(false); // still in the air
    await ctl(other, 'step 50');
    const line = Buffer.from(await pending).toString();
    expect(line).toMatch(/^\d+ start 1 2\n$/);
    const at = Number(line.split(' ')[0]);
    expect(at).toBeGreaterThan(10);
    expect(at).toBeLessThanOrEqual(60);
    expect(Buffer.from(await dataEv.read(8192)).toString()).toBe(line);
    // a new open reads the current world's events from the beginning
    const late = await fs.open('/events', OREAD);
    expect(Buffer.from(await late.read(8192)).toString()).toBe(line);
    // a removal ends the contact
    await ctl(other, 'remove 2', 'step 1');
    expect(Buffer.from(await ev.read(8192)).toString()).toBe('61 stop 1 2\n');
    expect(Buffer.from(await late.read(8192)).toString()).toBe('61 stop 1 2\n');
    // a blocked read ends with 'interrupted' when flushed
    const ac = new AbortController();
    const blocked = late.read(8192, { signal: ac.signal }).then(() => 'no error', (e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    expect(await blocked).toBe('interrupted');
    // reset ends the old world's stream
    await ctl(other, 'reset');
    expect((await ev.read(8192)).length).toBe(0);
    for (const f of [ev, dataEv, late]) await f.clunk();
  });

  it('several clients at once: every write is applied whole and in order', async () => {
    const { s, fs } = await sim();
    const a = await another(s), b = await another(s);
    await ctl(fs, 'add ground');
    const N = 40;
    const ops: Array<Promise<void>> = [];
    for (let i = 0; i < N; i++) {
      ops.push(ctl(a, 'step 2', `add ball 0.25 ${i} 3 0`));
      ops.push(ctl(b, `add box 0.2 0.2 0.2 ${i} 4 1`, 'step 3'));
    }
    await Promise.all(ops);
    expect(await readText(fs, '/ctl')).toMatch(new RegExp(`^step ${5 * N}\nbodies ${2 * N + 1}\n`));
    const ids = (await fs.readdir('/bodies')).map((d) => Number(d.name)).sort((x, y) => x - y);
    expect(ids).toEqual(Array.from({ length: 2 * N + 1 }, (_, i) => i + 1));
    // each write's two lines are next to each other in the trace: nothing came in between
    const lines = (await readText(fs, '/trace')).trim().split('\n').slice(1);
    expect(lines).toHaveLength(4 * N);
    for (let i = 0; i < lines.length; i += 2) {
      const [x, y] = [lines[i]!.split(' ').slice(1).join(' '), lines[i + 1]!.split(' ').slice(1).join(' ')];
      const pairA = x === 'step 2' && y.startsWith('add ball');
      const pairB = x.startsWith('add box') && y === 'step 3';
      expect(pairA || pairB, `${lines[i]} / ${lines[i + 1]}`).toBe(true);
    }
  });

  it('run steps in real time until pause; the timer stops on close', async () => {
    const { s, fs } = await sim();
    const t0 = performance.now();
    await ctl(fs, 'add ground', 'add ball 0.5 0 5 0', 'run 200');
    expect(await readText(fs, '/ctl')).toMatch(/running yes 200\n$/);
    await new Promise((r) => setTimeout(r, 300));
    await ctl(fs, 'pause');
    const elapsed = performance.now() - t0;
    const n = s.sim.world.step;
    expect(n).toBeGreaterThan(20); // ~60 due; a loaded machine gets fewer, never more than real time allows
    expect(n).toBeLessThanOrEqual(Math.ceil(elapsed * 200 / 1000));
    expect(await readText(fs, '/ctl')).toMatch(new RegExp(`^step ${n}\n[^]*running no 200\n$`));
    await new Promise((r) => setTimeout(r, 50));
    expect(s.sim.world.step).toBe(n);
    expect((await readText(fs, '/trace')).split('\n').slice(-2)[0]).toBe(`${n} pause`);
    await ctl(fs, 'run 500');
    s.close();
    expect(s.sim.running).toBe(false);
    await expect(ctl(fs, 'step')).rejects.toThrow('simulation closed');
  });
});
